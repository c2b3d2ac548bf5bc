import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import {
  type PlaceholderMatcher,
  type QuotingContext,
  type ShellDialect,
  describePosition,
  lexScript,
  quoteInContext,
  ShellSyntaxError,
  shellJoin,
  shellQuote,
  splitWords
} from '../src/shell-syntax.js'

// A stand-in for the template's placeholder syntax: {} is text, {#} is a number.
const matcher: PlaceholderMatcher = (text, index) => {
  if (text.startsWith('{}', index)) return { length: 2, numeric: false }
  if (text.startsWith('{#}', index)) return { length: 3, numeric: true }
  return undefined
}

function contexts(template: string, dialect: ShellDialect = 'bash'): QuotingContext[] {
  return lexScript(template, dialect, matcher).flatMap(part =>
    part.kind === 'placeholder' ? [part.context] : []
  )
}

function lexError(template: string, dialect: ShellDialect = 'bash'): string {
  try {
    lexScript(template, dialect, matcher)
  } catch (error) {
    expect(error).toBeInstanceOf(ShellSyntaxError)
    return (error as Error).message
  }
  throw new Error(`Lexed without an error: ${template}`)
}

describe('quoteInContext', () => {
  it('writes a value for each context', () => {
    expect(quoteInContext("it's", 'bare')).toBe(`'it'\\''s'`)
    expect(quoteInContext('', 'bare')).toBe(`''`)
    expect(quoteInContext("it's", 'single')).toBe(`it'\\''s`)
    expect(quoteInContext("it's", 'double')).toBe(`"'it'\\''s'"`)
    expect(quoteInContext("it's", 'ansiC')).toBe(`''it'\\''s'$'`)
    expect(quoteInContext('42', 'raw')).toBe('42')
  })

  it('refuses to write anything but digits raw', () => {
    expect(() => quoteInContext('4 2', 'raw')).toThrow('Refusing to write 4 2 unquoted.')
    expect(() => quoteInContext('', 'raw')).toThrow('Refusing to write  unquoted.')
  })
})

describe('shellQuote and shellJoin', () => {
  it('quotes only words that need it', () => {
    expect(shellQuote('plain-word_1.2/x:y,z@%+=')).toBe('plain-word_1.2/x:y,z@%+=')
    expect(shellQuote('')).toBe("''")
    expect(shellQuote('two words')).toBe("'two words'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('~home')).toBe("'~home'")
    expect(shellQuote('#x')).toBe("'#x'")
    expect(shellQuote('{a,b}')).toBe("'{a,b}'")
  })

  it('quotes a first word that would read as an assignment or a reserved word', () => {
    expect(shellJoin(['A=1', 'B=2'])).toBe("'A=1' B=2")
    expect(shellJoin(['if', 'then'])).toBe("'if' then")
    expect(shellJoin(['echo', 'a b', ''])).toBe("echo 'a b' ''")
  })
})

describe('describePosition', () => {
  it('counts lines and columns from 1', () => {
    expect(describePosition('abc', 0)).toBe('line 1, column 1')
    expect(describePosition('a\nbc', 3)).toBe('line 2, column 2')
  })
})

describe('splitWords', () => {
  const texts = (text: string): string[] =>
    splitWords(text).map(parts =>
      parts.map(part => (part.kind === 'text' ? part.text : '?')).join('')
    )

  it('splits on whitespace and groups quotes without expanding anything', () => {
    expect(texts(`a  'b c' "d \\"e\\" \\\\ \\x $HOME" f\\ g h\\\ni\tj\n'' ""`)).toEqual([
      'a',
      'b c',
      'd "e" \\ \\x $HOME',
      'f g',
      'hi',
      'j',
      '',
      ''
    ])
    expect(texts(`'a'"b"c`)).toEqual(['abc'])
    expect(texts(`'$(x)' \`y\` # z`)).toEqual(['$(x)', '`y`', '#', 'z'])
  })

  it('places placeholders inside their words', () => {
    expect(splitWords(`cp {} "dir/{}.bak" '{#}' \\{} \${}`, matcher)).toEqual([
      [{ kind: 'text', text: 'cp' }],
      [{ kind: 'placeholder', source: '{}' }],
      [
        { kind: 'text', text: 'dir/' },
        { kind: 'placeholder', source: '{}' },
        { kind: 'text', text: '.bak' }
      ],
      [{ kind: 'placeholder', source: '{#}' }],
      [{ kind: 'text', text: '{}' }],
      [{ kind: 'text', text: '${}' }]
    ])
  })

  it('rejects unterminated quotes and a trailing backslash', () => {
    expect(() => splitWords(`echo 'a`)).toThrow(
      new ShellSyntaxError(
        "The command has an unterminated '…' quote starting at line 1, column 6."
      )
    )
    expect(() => splitWords(`echo\n"a`)).toThrow(
      'The command has an unterminated "…" quote starting at line 2, column 1.'
    )
    expect(() => splitWords('echo a\\')).toThrow(
      'The command ends with a backslash that escapes nothing (line 1, column 7).'
    )
  })
})

describe('lexScript contexts', () => {
  it('finds the quoting context of each placeholder', () => {
    expect(contexts(`echo {} '{}' "{}" $'{}' pre{}post`)).toEqual([
      'bare',
      'single',
      'double',
      'ansiC',
      'bare'
    ])
    expect(contexts(`echo "a'{}'b" 'a"{}"b' "\\"{}\\""`)).toEqual(['double', 'single', 'double'])
    expect(contexts(`echo \\\\{} "\\\\{}" "\\$"{}`)).toEqual(['bare', 'double', 'bare'])
  })

  it('writes numbers raw, except where digits could join something', () => {
    expect(contexts(`echo {#} '{#}' "{#}" $(( {#} )) \`echo {#}\` \${x:-{#}}`)).toEqual([
      'raw',
      'raw',
      'raw',
      'raw',
      'raw',
      'raw'
    ])
    expect(contexts(`echo $'\\1{#}' {#}>file {#}<file "{#}">file`)).toEqual([
      'ansiC',
      'bare',
      'bare',
      'raw'
    ])
  })

  it('follows nested command substitutions', () => {
    expect(contexts(`echo "$(printf %s "{}" {} '{}')"`)).toEqual(['double', 'bare', 'single'])
    expect(contexts(`echo "$(a "$(b "$(c {})" {})" {})" {}`)).toEqual([
      'bare',
      'bare',
      'bare',
      'bare'
    ])
    expect(contexts(`echo "$(a ")" {})"`)).toEqual(['bare'])
    expect(contexts('echo "$(echo ")")" {} "({})"')).toEqual(['bare', 'double'])
    expect(contexts('diff <(sort {}) >(cat "{}")')).toEqual(['bare', 'double'])
  })

  it('tells comments from # inside words', () => {
    expect(contexts('echo {} # {} "{}\n{}')).toEqual(['bare', 'bare'])
    expect(contexts('echo a#{} $#{} {}#{} ${#}{}')).toEqual([
      'bare',
      'bare',
      'bare',
      'bare',
      'bare'
    ])
    expect(contexts('echo a;#{}\n(:)#{}\n{}')).toEqual(['bare'])
    expect(contexts('echo \\\n#{}\n{}')).toEqual(['bare'])
    expect(contexts('echo a\\\n#{}')).toEqual(['bare'])
    const parts = lexScript("echo # {} it's\n", 'sh', matcher)
    expect(parts).toEqual([{ kind: 'text', text: "echo # {} it's\n" }])
  })

  it('leaves ${…} and $( … ) to the shell', () => {
    expect(contexts('echo ${#} ${x} ${x:-a}{} $( (echo {}) )')).toEqual(['bare', 'bare'])
    expect(contexts('echo $(( (1) + (2) )){}')).toEqual(['bare'])
  })

  it('reads here-documents to their delimiter line', () => {
    expect(contexts('cat <<EOF\n"\'$(\nEOF\necho {}')).toEqual(['bare'])
    expect(contexts("cat <<'EOF' && echo {}\n`\nEOF\necho '{}'")).toEqual(['bare', 'single'])
    expect(contexts('cat <<-"E F"\n\t"\n\tE F\necho "{}"')).toEqual(['double'])
    expect(contexts('cat <<A <<B\n"\nA\n\'\nB\necho {}')).toEqual(['bare'])
    expect(contexts('cat <<EOF\n{#}\nEOF\n')).toEqual(['raw'])
    // A backslash at the end of a body line joins the next line, so this EOF is body text.
    expect(contexts("cat <<EOF\na\\\nEOF\n'\nEOF\necho {}")).toEqual(['bare'])
    // With a quoted delimiter it does not.
    expect(contexts("cat <<'EOF'\na\\\nEOF\necho {}")).toEqual(['bare'])
    expect(contexts('x=$(cat <<EOF\n)\nEOF\n); echo "{}"')).toEqual(['double'])
    expect(contexts('cat <<<{} <<< "{}"')).toEqual(['bare', 'double'])
  })

  it('tells case patterns from the end of $( … )', () => {
    expect(contexts('echo "$(case $x in a) echo {};; (b|c) echo "{}";; esac)" {}')).toEqual([
      'bare',
      'double',
      'bare'
    ])
    expect(contexts('echo "$(case x in a) echo x;; esac) {}"')).toEqual(['double'])
    expect(
      contexts('echo "$(case x in\n a|b)\n case y in (y) :;; esac;;\n *) echo;; esac) {}"')
    ).toEqual(['double'])
    expect(contexts('echo "$(case x in x) echo {}; esac) {}"')).toEqual(['bare', 'double'])
    expect(contexts('echo "$(case x in x) :;& y) :;;& esac){}"')).toEqual(['double'])
    expect(contexts('echo "$(echo case x in a) {}"')).toEqual(['double'])
    expect(contexts('echo "$(x=1 case) {}"')).toEqual(['double'])
    expect(contexts('echo "$(>f case) {}"')).toEqual(['double'])
    expect(contexts('echo "$(if case x in a) :;; esac; then :; fi) {}"')).toEqual(['double'])
  })

  it('knows where commands start after function definitions and time', () => {
    expect(contexts('echo "$(f() { case x in a) :;; esac; }) {}"')).toEqual(['double'])
    expect(contexts('echo "$(f () case x in a) :;; esac) {}"', 'sh')).toEqual(['double'])
    expect(contexts('echo "$(function f { case x in a) :;; esac; }) {}"')).toEqual(['double'])
    expect(contexts('echo "$(function f() { case x in a) :;; esac; }) {}"')).toEqual(['double'])
    expect(contexts('echo "$(time -p case x in a) :;; esac) {}"')).toEqual(['double'])
    expect(contexts('echo "$(! case x in a) :;; esac) {}"')).toEqual(['double'])
    expect(contexts('a=() ; echo "$(echo a=() case) {}"')).toEqual(['double'])
  })

  it('reads parenthesized words as words', () => {
    expect(contexts('a=({} "{}" [1]=x) ; echo @(a|{})')).toEqual(['bare', 'double', 'bare'])
    expect(contexts('[[ ( {} == x ) && "{}" < y ]]')).toEqual(['bare', 'double'])
  })

  it("treats $'…' as bash-only", () => {
    expect(contexts(`echo $"{}"`, 'bash')).toEqual(['double'])
    expect(contexts(`echo $"{}"`, 'sh')).toEqual(['double'])
    expect(contexts(`echo "$'{}'"`, 'sh')).toEqual(['double'])
    expect(lexError(`echo $'{}'`, 'sh')).toBe(
      "$'…' quoting is not POSIX sh (dash reads it differently); use shell: bash (line 1, column 6)."
    )
  })

  it('rejects placeholders where no quoting is safe', () => {
    expect(lexError('echo `echo {}`')).toMatch(
      /^Placeholder \{\} \(line 1, column 12\) is inside backticks/
    )
    expect(lexError('echo "`echo {}`"')).toMatch(/is inside backticks/)
    expect(lexError('echo ${x:-{}}')).toMatch(/is inside a parameter expansion/)
    expect(lexError('echo ${x:-"$(echo "{}")"}')).toMatch(/is inside a parameter expansion/)
    expect(lexError('echo $(( {} ))')).toMatch(/is inside arithmetic \$\(\(…\)\)/)
    expect(lexError('echo $(( $(echo {}) ))')).toMatch(/is inside arithmetic \$\(\(…\)\)/)
    expect(lexError('(( {} ))')).toMatch(/is inside arithmetic \(\(…\)\)/)
    expect(lexError('echo $[ {} ]', 'sh')).toMatch(/is inside arithmetic \$\[…\]/)
    expect(lexError('cat <<EOF\n{}\nEOF')).toMatch(/is inside the here-document <<EOF/)
    expect(lexError("cat <<-'EOF'\n\t{}\n\tEOF")).toMatch(/is inside the here-document <<-'EOF'/)
    expect(lexError('cat <<{}\nx\n{}')).toMatch(/is in a here-document delimiter/)
    expect(lexError('cat <<"a{}"\nx\n')).toMatch(/is in a here-document delimiter/)
    expect(lexError('echo \\{}')).toMatch(/directly follows a backslash/)
    expect(lexError('echo "\\{}"')).toMatch(/directly follows a backslash/)
    expect(lexError("echo $'\\{}'")).toMatch(/directly follows a backslash/)
    expect(lexError('echo \\{#}')).toMatch(/directly follows a backslash/)
    expect(lexError('[[ {} -eq 1 ]]')).toMatch(/is inside \[\[ … \]\] with -eq/)
    expect(lexError('[[ 1 -lt "$(echo {})" ]]')).toMatch(/is inside \[\[ … \]\] with -lt/)
    expect(lexError('a[{}]=1')).toMatch(/is inside an array subscript/)
    expect(lexError('a=([{}]=1)')).toMatch(/is inside an array subscript/)
    expect(lexError('let x={}+1')).toMatch(/is an argument of let/)
  })

  it('accepts numbers where text is rejected', () => {
    expect(contexts('a[{#}]=1; let x={#}; [[ {#} -eq 1 ]]; (( {#} ))')).toEqual([
      'raw',
      'raw',
      'raw',
      'raw'
    ])
  })

  it('rejects what it cannot classify with certainty', () => {
    expect(lexError("echo 'a")).toBe("Unterminated '…' quote (line 1, column 6).")
    expect(lexError('echo "a')).toBe('Unterminated "…" quote (line 1, column 6).')
    expect(lexError('echo $(a')).toBe('Unterminated $(…) command substitution (line 1, column 6).')
    expect(lexError('echo `a')).toBe('Unterminated `…` command substitution (line 1, column 6).')
    expect(lexError('echo ${a')).toBe('Unterminated ${…} parameter expansion (line 1, column 6).')
    expect(lexError('echo a)')).toBe('Unmatched `)` (line 1, column 7).')
    expect(lexError('echo $((echo a) )')).toBe(
      'Cannot tell whether $(( starts arithmetic or a nested subshell; write $( ( … ) ) or ( ( … ) ) with spaces for subshells (line 1, column 6).'
    )
    expect(lexError('((echo a) )', 'sh')).toMatch(/^Cannot tell whether \(\( starts arithmetic/)
    expect(lexError('echo $[ 1 ) ]')).toBe(
      'Unmatched `)` inside arithmetic $[…] (line 1, column 11).'
    )
    expect(contexts('echo $[ a[1] + {#} ]{}')).toEqual(['raw', 'bare'])
    expect(lexError('echo "${x:-\'a\'}"')).toBe(
      'Single quotes inside "${…}" are read differently by bash and dash; put the text in a variable (line 1, column 12).'
    )
    expect(lexError('echo $(( "1" ))')).toMatch(/^Quotes and backticks inside arithmetic/)
    expect(lexError('a=(x #c\n)')).toMatch(/^Quote the `#`/)
    expect(lexError('cat <<EOF\nx')).toBe(
      'Here-document <<EOF is never closed by a line EOF (line 1, column 5).'
    )
    expect(lexError('x=$(cat <<EOF)')).toBe('Here-document <<EOF has no body (line 1, column 9).')
    expect(lexError("cat <<EOF; echo 'a\nb'\nEOF")).toMatch(
      /^The body of here-document <<EOF would start inside a quoted string/
    )
    expect(lexError('cat <<EOF $(echo\n)\nEOF')).toMatch(
      /^The body of here-document <<EOF would start inside a different substitution/
    )
    expect(lexError('cat <<$x\n')).toMatch(/^Here-document delimiters can only be plain/)
    expect(lexError('cat <<\n')).toBe(
      'A here-document operator must be followed by a delimiter word (line 1, column 5).'
    )
    expect(lexError('cat <<1\n{#}\n1')).toMatch(
      /could become its delimiter once its numbers are filled in/
    )
    expect(lexError('alias e=echo\ne {}')).toMatch(/^Aliases can change how the rest/)
    expect(lexError('coproc cat')).toMatch(/^coproc is not supported/)
    expect(lexError('function f { :; }', 'sh')).toMatch(/^`function` is bash syntax/)
    expect(lexError('time case x in x) :;; esac', 'sh')).toMatch(
      /^`time case`: time is a reserved word/
    )
    expect(lexError('case x; esac')).toMatch(/^Expected `case WORD in`/)
    expect(lexError('case x on')).toMatch(/^Expected `in` after `case WORD`/)
    expect(lexError('echo a;; b')).toMatch(/^`;;` outside a case statement/)
    expect(lexError('$(case x in x) :;;)')).toMatch(/^`case` without a matching `esac`/)
    expect(lexError('[[ a')).toMatch(/^`\[\[` without a matching `\]\]`/)
    expect(lexError('[[ case ]]')).toMatch(/^`case` inside \[\[ … \]\] is not supported/)
  })
})

describe('quoting with real shells', () => {
  const anyValue = fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: 'binary-ascii', maxLength: 20 }),
      fc.constantFrom("'", `'\\''`, '"', '\\', '$(x)', '`x`', '\n', '!', '$', '')
    )
    .map(value => value.replaceAll('\0', ''))

  function printed(shell: 'bash' | 'sh', script: string): string[] {
    // Without --norc, bash reads ~/.bashrc when its stdin is a socket, as under jest.
    const options = shell === 'bash' ? ['--norc', '--noprofile'] : []
    const result = spawnSync(shell, [...options, '-c', script], {
      encoding: 'buffer',
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    expect(result.stderr.toString()).toBe('')
    return result.stdout.toString('utf8').split('\0').slice(0, -1)
  }

  it('reads back each context exactly, in bash and dash', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 4 }), values => {
        const words = values
          .flatMap(value => [
            quoteInContext(value, 'bare'),
            `'${quoteInContext(value, 'single')}'`,
            `"${quoteInContext(value, 'double')}"`
          ])
          .join(' ')
        const expected = values.flatMap(value => [value, value, value])
        expect(printed('sh', `printf '%s\\0' ${words}`)).toEqual(expected)
        const ansiC = values.map(value => `$'${quoteInContext(value, 'ansiC')}'`).join(' ')
        expect(printed('bash', `printf '%s\\0' ${words} ${ansiC}`)).toEqual([
          ...expected,
          ...values
        ])
      }),
      { seed: 42, numRuns: 100 }
    )
  })

  it('displays words so a shell reads back the same words', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 5 }), words => {
        // With no arguments printf would still print the format once.
        const display = shellJoin(['printf', '%s\\0', 'first', ...words])
        expect(printed('sh', display)).toEqual(['first', ...words])
        expect(printed('bash', display)).toEqual(['first', ...words])
      }),
      { seed: 42, numRuns: 100 }
    )
  })
})
