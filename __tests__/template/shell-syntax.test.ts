import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lexScript } from '../../src/template/shell-syntax.js'
import {
  type PlaceholderMatcher,
  type QuotingContext,
  type ShellDialect,
  describePosition,
  quoteInContext,
  ShellSyntaxError,
  shellJoin,
  shellQuote,
  splitWords
} from '../../src/template/shell-words.js'

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

function refuses(template: string, dialect: ShellDialect): boolean {
  try {
    lexScript(template, dialect, matcher)
    return false
  } catch (error) {
    if (error instanceof ShellSyntaxError) return true
    throw error
  }
}

function mkdtemp(): string {
  return mkdtempSync(join(tmpdir(), 'shell-syntax-test-'))
}

/**
 * Runs `rendered` (the template with a canary payload) in the real `shell`; when the canary
 * appears, the lexer must refuse `template`. Returns whether it appeared.
 */
function refusedWhereItRuns(
  directory: string,
  template: string,
  dialect: ShellDialect,
  [file, ...options]: string[],
  rendered: string
): boolean {
  spawnSync(file as string, [...options, '-c', rendered], {
    cwd: directory,
    stdio: 'ignore',
    timeout: 5000
  })
  const canary = join(directory, 'CANARY')
  if (!existsSync(canary)) return false
  rmSync(canary)
  expect({ template, dialect, refused: refuses(template, dialect) }).toEqual({
    template,
    dialect,
    refused: true
  })
  return true
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
      // Without a shell a $ means nothing, so {} after it is a placeholder too.
      [
        { kind: 'text', text: '$' },
        { kind: 'placeholder', source: '{}' }
      ]
    ])
    expect(splitWords(`x\${}y "\${#}"`, matcher)).toEqual([
      [
        { kind: 'text', text: 'x$' },
        { kind: 'placeholder', source: '{}' },
        { kind: 'text', text: 'y' }
      ],
      [
        { kind: 'text', text: '$' },
        { kind: 'placeholder', source: '{#}' }
      ]
    ])
  })

  it('splits only on spaces, tabs and newlines, as a POSIX shell does', () => {
    expect(texts('a\u00a0b c\u2028d e\rf\u3000g\vh\fi\u0085j')).toEqual([
      'a\u00a0b',
      'c\u2028d',
      'e\rf\u3000g\vh\fi\u0085j'
    ])
    expect(texts(' \t\na \t\n b\n')).toEqual(['a', 'b'])
    // No comments without a shell: # is an ordinary character.
    expect(texts('a #b # c#')).toEqual(['a', '#b', '#', 'c#'])
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
    expect(contexts('cat <<EOF\n"\'\nEOF\necho {}')).toEqual(['bare'])
    expect(contexts('cat <<"EOF"\n"\'$(\nEOF\necho {}')).toEqual(['bare'])
    expect(contexts('cat <<EOF\n$(echo "a\nb") `echo c\nd` ${x:-\n}\nEOF\necho {}')).toEqual([
      'bare'
    ])
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

  it('keeps the command position after time --, time -p -- and ! in bash', () => {
    for (const template of [
      'time -- [[ {} -eq 1 ]]',
      'time -p -- [[ {} -eq 1 ]]',
      'time -- ! time -p -- [[ {} -eq 1 ]]',
      'time -\\\np -\\\n- [[ {} -eq 1 ]]',
      'function f () [[ {} -eq 1 ]]'
    ]) {
      expect(lexError(template)).toMatch(
        /^Placeholder \{\} \(line \d+, column \d+\) is inside \[\[/
      )
    }
    // There -p after --, a second -p and a quoted or escaped word are the command's name.
    expect(
      contexts("time -- -p [[ {} -eq 1 ]]; time -p -p [[ {}; time '--' [[ {}; \\[[ {} -eq 1 ]]")
    ).toEqual(Array(4).fill('bare'))
    expect(lexError('time -- if true; then echo {}; fi', 'sh')).toBe(
      '`time if`: time is a reserved word in bash but a command in dash, so the shells read the ' +
        'rest differently; use shell: bash (line 1, column 9).'
    )
    expect(lexError('time -p -- ! echo {}', 'sh')).toMatch(/^`time !`/)
    expect(contexts('time -- echo {}; time -p -- -p {}', 'sh')).toEqual(['bare', 'bare'])
  })

  it('refuses a reserved word in command position after any prefix bash accepts', () => {
    // Random runs of words that may or may not keep the command position, then [[ … -eq … ]]:
    // whenever the real bash (or bash in POSIX mode, for sh) runs the item, the lexer refuses.
    const directory = mkdtemp()
    const likely = fc.constantFrom('time', 'time', '--', '-p', '!')
    const others = fc.constantFrom("'--'", '\\--', '-pp', '\\time', 'x=1', '{', '-\\\np', 'time --')
    let ran = 0
    try {
      fc.assert(
        fc.property(
          fc.array(fc.oneof({ arbitrary: likely, weight: 4 }, { arbitrary: others, weight: 1 }), {
            minLength: 1,
            maxLength: 4
          }),
          fc.constantFrom<ShellDialect>('bash', 'sh'),
          (prefix, dialect) => {
            const template = `${prefix.join(' ')} [[ {} -eq 1 ]]${prefix.includes('{') ? '; }' : ''}`
            const rendered = template.replace('{}', "'a[$(touch CANARY)]'")
            const shell = dialect === 'bash' ? ['bash', '--norc'] : ['bash', '--posix']
            if (refusedWhereItRuns(directory, template, dialect, shell, rendered)) ran++
          }
        ),
        { seed: 7, numRuns: 300 }
      )
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
    // Enough of the prefixes reach [[ in command position for this to mean something.
    console.log(`${ran} of 300 random prefixes put [[ in command position for bash`)
    expect(ran).toBeGreaterThan(50)
  })

  it('refuses eval where bash or dash read a reserved word after a compound command', () => {
    // Random (nested) if, while and for whose condition is a compound command with the reserved
    // word right after it (if ( : ) then, for x do), eval {} inside: whenever the real shell
    // (dash for sh) runs the item, the lexer refuses.
    const directory = mkdtemp()
    const condition = fc.constantFrom(
      '( : )',
      '{ :; }',
      'case x in x) ;; esac',
      'while false; do :; done',
      'if :; then :; fi',
      '((1))',
      '[[ 1 ]]',
      '! ( false )',
      ':;'
    )
    const gap = fc.constantFrom(' ', '', '\n')
    const construct = fc.oneof(
      fc.tuple(condition, gap).map(([c, g]) => [`if ${c}${g}then`, 'fi']),
      fc.tuple(condition, gap).map(([c, g]) => [`if false; then :; elif ${c}${g}then`, 'fi']),
      fc.tuple(condition, gap).map(([c, g]) => [`while ${c}${g}do`, 'break; done']),
      fc.constantFrom(
        ['set -- 1; for x do', 'done'],
        ['set -- 1; for x\ndo', 'done'],
        ['for x in 1; do', 'done'],
        ['for ((i=0;i<1;i++)) do', 'done'],
        ['for ((i=0;i<1;i++)) {', '}'],
        ['{', '}']
      )
    )
    let ran = 0
    try {
      fc.assert(
        fc.property(
          fc.array(construct, { minLength: 1, maxLength: 2 }),
          fc.constantFrom<ShellDialect>('bash', 'sh'),
          (constructs, dialect) => {
            const opening = constructs.map(([open]) => open).join(' ')
            const closing = constructs.map(([, close]) => `\n${close}`).reverse()
            const template = `${opening} eval {}${closing.join('')}`
            const rendered = template.replace('{}', "'touch CANARY'")
            const shell = dialect === 'bash' ? ['bash', '--norc'] : ['dash']
            if (refusedWhereItRuns(directory, template, dialect, shell, rendered)) ran++
          }
        ),
        { seed: 11, numRuns: 300 }
      )
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
    console.log(`${ran} of 300 random compound commands ran eval in the real shell`)
    expect(ran).toBeGreaterThan(100)
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

describe('lexScript redirections that duplicate a descriptor', () => {
  it('refuses text after >& and <&, which bash reads a second time', () => {
    expect(lexError('echo hello >&{}.log')).toBe(
      'Placeholder {} (line 1, column 14) is in the word after >&, which bash reads a second ' +
        'time when it is not a file descriptor number, so its value could run as code. To write ' +
        'to a file, write >{} (and 2>&1 after it for both outputs).'
    )
    expect(lexError('cat <&{}')).toBe(
      'Placeholder {} (line 1, column 7) is in the word after <&, which bash reads a second ' +
        'time when it is not a file descriptor number, so its value could run as code. To read ' +
        'from a file, write <{}.'
    )
    for (const template of [
      'echo >& "{}"',
      'echo >&x{}',
      'echo 2>&{}',
      'echo 1>&{}',
      'exec 3>&"{}"',
      'cat 0<&{}',
      "echo >&'{}'",
      'echo >&"$(printf %s {})"',
      'echo >& \\\n{}'
    ]) {
      for (const dialect of ['bash', 'sh'] as const) {
        expect(lexError(template, dialect)).toMatch(
          /^Placeholder \{\} .* is in the word after [<>]&/
        )
      }
    }
  })

  it('accepts numbers there, and other redirections', () => {
    expect(contexts('echo >&{#} 2>&{#}')).toEqual(['raw', 'raw'])
    expect(contexts('echo &>{} >{} 2>&1 <{} >>{} <>{} >|{} <<<{}')).toEqual(Array(7).fill('bare'))
    expect(contexts('echo >&2 {}; echo 2>&1 "{}"')).toEqual(['bare', 'double'])
  })
})

describe('lexScript commands that evaluate their arguments', () => {
  it.each([
    // bash evaluates a subscript in a variable name as arithmetic: a[$(cmd)] runs cmd.
    ['declare -i n={}', /is an argument of declare -i, which makes bash evaluate the values/],
    ['local -i n={}', /is an argument of local -i/],
    ['typeset -ai n=({})', /is an argument of typeset -ai/],
    ['declare -n ref={}', /is an argument of declare -n, which makes bash use the value as a/],
    ['declare -a x={}', /is an argument of declare -a, which lets bash read a value that looks/],
    ['declare -A x=({})', /is an argument of declare -A/],
    ['readonly -a x={}', /is an argument of readonly -a/],
    ['export -n x={}', /is an argument of export -n/],
    ['declare $opts x={}', /is an argument of declare, whose options come from an expansion/],
    ['declare {}=1', /is where declare reads its options and variable names/],
    ['declare x {}', /is part of the variable name in an argument of declare;/],
    ['declare -- {}', /is part of the variable name in an argument of declare;/],
    ['declare x=1 y{}=2', /is part of the variable name in an argument of declare;/],
    ['local "a[{}]"=1', /is part of the variable name in an argument of local;/],
    ['export x "$(echo {})"', /is part of the variable name in an argument of export/],
    ['printf -v {} x', /is the variable name after printf -v/],
    ['printf {} x', /is where printf reads its options/],
    ['printf -{}', /is where printf reads its options/],
    ['printf "$(cat {})"', /is where printf reads its options/],
    ['read {} <<< x', /is an argument of read, which can take it as a variable name/],
    ['read -r -a {}', /is an argument of read/],
    ['mapfile -t {} < /dev/null', /is an argument of mapfile/],
    ['readarray {}', /is an argument of readarray/],
    ['unset {}', /is an argument of unset/],
    ['getopts ab {}', /is an argument of getopts/],
    ['wait -n -p {}', /is an argument of wait/],
    ['[ -v {} ]', /is the operand of -v in \[ … \], which makes bash take it as a variable/],
    ['test -v {}', /is the operand of -v in test/],
    ['test ! -R "{}"', /is the operand of -R in test/],
    ['[ {} {} ]', /follows an argument of \[ … \] that could turn out to be -v or -R/],
    ['[ "$op" {} ]', /follows an argument of \[ … \] that could turn out to be -v or -R/],
    ['let n={}', /is an argument of let/],
    ['builtin let n={}', /is an argument of let/],
    ['\\let {}', /is an argument of let/],
    ["'let' {}", /is an argument of let/],
    ['l"e"t {}', /is an argument of let/],
    ['l\\\net {}', /is an argument of let/],
    ['command let {}', /is an argument of let/],
    ['command -p -- let {}', /is an argument of let/],
    ['x=1 let {}', /is an argument of let/],
    ['x=1 y[2]=3 >/dev/null let {}', /is an argument of let/],
    ['2>/dev/null let {}', /is an argument of let/],
    ['time -p let {}', /is an argument of let/],
    ['! builtin read {}', /is an argument of read/],
    ['if true; then unset {}; fi', /is an argument of unset/],
    ['function f { let {}; }', /is an argument of let/],
    ['f () { read {}; }', /is an argument of read/],
    ['echo "$(x=1 command let {})"', /is an argument of let/],
    ['eval echo {}', /is an argument of eval, which evaluates its arguments as shell code/],
    ["trap 'rm -f {}' EXIT", /is an argument of trap/],
    ['compgen -W {}', /is an argument of compgen/],
    ['{let,x} {}', /whose name this template spells as a brace expansion/],
    ["$'let' {}", /whose name this template spells as a brace expansion, \$'…'/]
  ])('refuses %j', (template, message) => {
    expect(lexError(template)).toMatch(message)
    expect(lexError(template)).toMatch(/^Placeholder \{\} \(line \d+, column \d+\) /)
  })

  it('refuses text placeholders anywhere once a variable gets the integer or nameref attribute', () => {
    expect(lexError('typeset -i x; x={}')).toBe(
      'Placeholder {} (line 1, column 17) is in a template that gives a variable the integer or ' +
        'nameref attribute (typeset -i at line 1, column 9): bash evaluates whatever is assigned ' +
        'to such a variable (by name=…, read, for, printf -v and others) as arithmetic or as a ' +
        'variable name, so its value could run as code. Drop the attribute, or check the value ' +
        '(value={}) before it reaches such a variable.'
    )
    expect(lexError('echo {}; f() { local -n r; }')).toMatch(/\(local -n at line 1, column 22\)/)
    expect(lexError('declare -gi n\nread -r n <<< {}')).toMatch(/^Placeholder \{\} \(line 2/)
    expect(lexError('declare "$@"; echo {}')).toMatch(/\(declare "\$@" at line 1, column 9\)/)
    // Numbers are fine, and so is -i given to a variable in a template without text.
    expect(contexts('declare -i n={#}; n+={#}')).toEqual(['raw', 'raw'])
  })

  it('refuses a placeholder that starts the value of an assignment in declare, typeset or local', () => {
    expect(lexError('x=(); declare x={}')).toBe(
      'Placeholder {} (line 1, column 17) starts the value of an assignment in declare: when ' +
        "the variable already is an array, bash's declare reads a value that looks like (…) as an " +
        'array assignment, even quoted, and expands it again, so its value could run as code. ' +
        'Declare the variable first and assign it separately (declare name; name={}), or put ' +
        'fixed text other than ( before it.'
    )
    for (const template of [
      'x=(); local x="{}"',
      'x+=(1); typeset -g x+={}',
      'x[0]=1; declare x=\\({}',
      'read -ra x; declare x="( "{}',
      'mapfile -t x; declare x="$(cat {})"',
      'readarray x; declare -- x=$y{}',
      'declare -A x; builtin declare x={}',
      'f() { local -a x; local x={}; }',
      'echo "${x[@]}"; declare x={}',
      "eval 'coproc x { :; }'; declare x={}",
      "eval 'x=(1)'; declare x={}"
    ]) {
      expect(lexError(template)).toMatch(
        /^Placeholder \{\} \(line 1, column \d+\) starts the value/
      )
    }
    // A command named by an expansion could be declare (or eval): no item among its arguments.
    expect(lexError('$d x={}')).toMatch(/only known when it runs \(\$d\), which could be eval/)
    // export and readonly do not read values as arrays; fixed text first, or x=( … ), is fine.
    expect(contexts('export x={}; readonly y={}; declare x=a{} y=( {} ); local v=" "{}')).toEqual(
      Array(5).fill('bare')
    )
  })

  it('refuses it where the name may be an array the template does not spell', () => {
    for (const template of [
      'declare BASH_REMATCH={}',
      'mapfile < /dev/null; declare MAPFILE={}',
      'f() { declare -g DIRSTACK={}; }',
      'declare -a "$n"; declare x={}',
      'eval "$n=(1)"; declare x={}',
      'declare "$n[0]=1"; declare x={}',
      'read -a "$n"; typeset x={}'
    ]) {
      expect(lexError(template)).toMatch(/starts the value of an assignment in (declare|typeset)/)
    }
  })

  it('accepts a declaration of a variable that cannot be an array there', () => {
    expect(
      contexts(
        [
          'declare -r name={}',
          'declare -r name="{}"',
          'f() { local x="{}"; echo "$x"; }; f',
          'f() { local y={}; echo "$y"; }; f',
          'typeset t="{}"',
          'declare -a list=(1); read -r line; mapfile -t lines; declare z={} MAPFILES={}'
        ].join('\n')
      )
    ).toEqual(['bare', 'double', 'double', 'bare', 'double', 'bare', 'bare'])
  })

  it('refuses text placeholders once -i or -n may be given where it does not read commands', () => {
    for (const [template, spelling] of [
      ["eval 'declare -i n'", 'declare -i'],
      ['eval "typeset  -g -n r"', 'typeset -g -n'],
      ["trap 'local -i x' RETURN", 'local -i'],
      ['. /dev/stdin <<EOF\nreadonly -i x\nEOF', 'readonly -i'],
      ["$'declare' -gi x", "$'declare' -gi"],
      ['"$d" +n x', '"$d" +n'],
      ['eval "declare $opt x"', 'declare $opt'],
      ['eval "typeset -g${o} x"', 'typeset -g${o}']
    ] as const) {
      expect(lexError(`${template}\nx={}`)).toMatch(
        new RegExp(
          `^Placeholder \\{\\} \\(line \\d+, column 3\\) is in a template that gives a variable the integer or nameref attribute \\(${spelling.replace(/[$+{}]/g, '\\$&')} at line \\d+, column \\d+\\)`
        )
      )
    }
    // Other options, export -n (which only unexports) and commands named by text are fine.
    expect(contexts('"$cmd" -x; export -n X; grep -in {} f')).toEqual(['bare'])
  })

  it('refuses aliases, however the command is spelled', () => {
    for (const template of [
      'alias e=echo',
      'builtin alias e=echo',
      '\\alias e=echo',
      'x=1 alias'
    ]) {
      expect(lexError(template)).toMatch(/^Aliases can change how the rest/)
    }
  })

  it('accepts values where these commands only take them as data', () => {
    expect(
      contexts(
        [
          'declare x=a{} -r y="a{}"',
          'local -r x=a{}',
          'export X={}',
          'readonly X="$HOME/{}"',
          'declare x="a$y"{}',
          "printf '%s\\n' {}",
          'printf -- {}',
          'printf -v x %s {}',
          'read -r line <<< {}',
          'read -r line < <(echo {})',
          'mapfile -t lines <<< "{}"',
          '[ {} = x ]',
          '[ -n {} -a -f {} ]',
          'test {} != "{}"',
          '[[ {} == x ]]',
          'echo let {} read {} unset {}',
          'x={} y={}',
          'a=({}); b[1]={}',
          'f() { local v=a{}; }',
          '"$dir"/bin/tool {}',
          'command -v {}',
          'cd {}'
        ].join('\n')
      )
    ).toEqual(
      // prettier-ignore
      [
        'bare', 'double', 'bare', 'bare', 'double', 'bare', 'bare', 'bare', 'bare', 'bare',
        'bare', 'double', 'bare', 'bare', 'bare', 'bare', 'double', 'bare', 'bare', 'bare',
        'bare', 'bare', 'bare', 'bare', 'bare', 'bare', 'bare', 'bare', 'bare'
      ]
    )
  })

  it('keeps [[ -v ]] refused without pointing at [ -v ]', () => {
    const message = lexError('[[ -v {} ]]')
    expect(message).toBe(
      'Placeholder {} (line 1, column 7) is inside [[ … ]] with -v, which makes bash take an ' +
        'operand as a variable name and evaluate a subscript in it (name[…]) as arithmetic, so ' +
        'its value could run as code. Test a fixed variable name instead, or compare the value ' +
        'as a string ([[ {} == … ]]).'
    )
    expect(message).not.toMatch(/Use \[ … \] or test/)
  })
})

describe('lexScript [[ … ]] with parentheses', () => {
  it.each([
    ['if [[ ( {} -gt 5 ) ]]; then echo big; fi', '-gt', '1, column 9'],
    ['[[ -f x || ( 1 -eq {} ) ]]', '-eq', '1, column 20'],
    ['[[ ! ( -v {} ) ]]', '-v', '1, column 11'],
    ['[[ ( $(printf %s {}) -eq 1 ) ]]', '-eq', '1, column 18'],
    ['[[ (-v {}) ]]', '-v', '1, column 8'],
    ['[[ !(-R {}) ]]', '-R', '1, column 9'],
    ['[[ ( ( x && ( 1 -ne {} ) ) ) ]]', '-ne', '1, column 21'],
    ['[[ ( {} == x ) || ( 1 -le 2 ) ]]', '-le', '1, column 6'],
    ['[[ (\n1 -lt {}\n) ]]', '-lt', '2, column 7'],
    ['[[ ( x ||\n 1 -ge "{}" ) ]]', '-ge', '2, column 9'],
    ['[[ x == @(a|b) && ( 1 -\\\neq {} ) ]]', '-eq', '2, column 4']
  ])('refuses %j, an operator inside ( … ) at any depth', (template, operator, position) => {
    expect(lexError(template)).toMatch(
      new RegExp(
        String.raw`^Placeholder \{\} \(line ${position}\) is inside \[\[ … \]\] with ${operator}, `
      )
    )
  })

  it('accepts values there where the operators only compare strings or files', () => {
    expect(
      contexts('[[ ( {} == x ) || ( -n "{}" && ! ( {} < y ) ) ]]; [[ ( -f {} ) && {} -nt x ]]')
    ).toEqual(['bare', 'double', 'bare', 'bare', 'bare'])
  })

  it('ends a reserved word at a ( glued to it, as bash and dash do', () => {
    // [[(…)]] is [[ ( … ) ]]; if(…) and the like start a subshell; for((…)) is arithmetic.
    expect(lexError('[[(1 -eq {})]]')).toMatch(
      /^Placeholder \{\} \(line 1, column 10\) is inside \[\[ … \]\] with -eq/
    )
    expect(lexError('if [[(-v {}) ]]; then :; fi')).toMatch(/is inside \[\[ … \]\] with -v/)
    for (const dialect of ['bash', 'sh'] as const) {
      for (const template of [
        'if(eval {}); then :; fi',
        'while(eval {}); do break; done',
        'until(eval {}); do :; done',
        'if true; then(eval {}); else(eval {}); fi',
        '!(eval {})',
        '{(eval {}); }'
      ]) {
        expect(lexError(template, dialect)).toMatch(
          /^Placeholder \{\} \(line 1, column \d+\) is an argument of eval/
        )
      }
    }
    // time is a reserved word in bash only; dash stops at time( with a syntax error.
    expect(lexError('time(eval {})')).toMatch(/is an argument of eval/)
    expect(lexError('for((i = 0; i < {}; i++)); do :; done')).toMatch(
      /is inside arithmetic \(\(…\)\)/
    )
    expect(
      contexts('if(echo {}); then(echo "{}"); fi; {(echo {}); }; for((i=0;i<{#};i++)); do :; done')
    ).toEqual(['bare', 'double', 'bare', 'raw'])
    expect(contexts('x=(a {}); echo @(x|y) {}; f(){ echo {}; }')).toEqual(['bare', 'bare', 'bare'])
  })

  it('refuses ]] before the ( … ) inside [[ … ]] is closed', () => {
    expect(lexError('[[ ( x ]] ) ]]')).toBe(
      '`]]` inside ( … ) of [[ … ]]: close the ( first (line 1, column 8).'
    )
  })
})

describe('lexScript variables bash evaluates when assigned', () => {
  it.each([
    ['OPTIND={}', 'OPTIND', 'OPTIND=…', 1],
    ['RANDOM={}', 'RANDOM', 'RANDOM=…', 1],
    ['export OPTIND={}', 'OPTIND', 'export OPTIND=…', 8],
    ['for OPTIND in {}; do :; done', 'OPTIND', 'for OPTIND', 5],
    ['read OPTIND <<< {}', 'OPTIND', 'read OPTIND', 6],
    ['printf -v OPTIND %s {}', 'OPTIND', 'printf -v OPTIND', 11],
    ['SRANDOM+={}', 'SRANDOM', 'SRANDOM+=…', 1],
    ['HISTCMD={} cmd', 'HISTCMD', 'HISTCMD=…', 1],
    ['OPTIND[0]={}', 'OPTIND', 'OPTIND[0]=…', 1],
    ['declare SECONDS=x{}', 'SECONDS', 'declare SECONDS=…', 9],
    ['f() { local OPTIND="$1"; }; f {}', 'OPTIND', 'local OPTIND=…', 13],
    ['readonly RANDOM=x{}', 'RANDOM', 'readonly RANDOM=…', 10],
    ['typeset -g OPTIND=x{}', 'OPTIND', 'typeset OPTIND=…', 12],
    ['export "OPTIND"={}', 'OPTIND', 'export OPTIND=…', 8],
    ['builtin export RANDOM={}', 'RANDOM', 'export RANDOM=…', 16],
    ['command read -r HISTCMD <<< {}', 'HISTCMD', 'read HISTCMD', 17],
    ['\\read "OPTIND" < {}', 'OPTIND', 'read OPTIND', 7],
    ['IFS= read -r -a RANDOM <<< {}', 'RANDOM', 'read RANDOM', 17],
    ['read -aRANDOM <<< {}', 'RANDOM', 'read -aRANDOM', 6],
    ['mapfile -t BASHPID <<< {}', 'BASHPID', 'mapfile BASHPID', 12],
    ['readarray OPTIND < {}', 'OPTIND', 'readarray OPTIND', 11],
    ['printf -vRANDOM %s {}', 'RANDOM', 'printf -vRANDOM', 8],
    ['select OPTIND in {}; do break; done', 'OPTIND', 'select OPTIND', 8],
    ['echo {} | while read -r OPTIND; do :; done', 'OPTIND', 'read OPTIND', 25],
    ['x={}; OPTIND=$x', 'OPTIND', 'OPTIND=…', 7],
    ['OPTIND=$(cat {})', 'OPTIND', 'OPTIND=…', 1],
    ['echo {}; : "${RANDOM:=$x}"', 'RANDOM', '${RANDOM:=…}', 13],
    ['getopts ab OPTIND; echo {}', 'OPTIND', 'getopts OPTIND', 12],
    ['wait -p BASHPID; echo {}', 'BASHPID', 'wait BASHPID', 9],
    ['cat <<EOF\n$(OPTIND=$x)\nEOF\necho {}', 'OPTIND', 'OPTIND=…', 3]
  ])('refuses text placeholders in %j', (template, variable, spelling, column) => {
    const message = lexError(template)
    expect(message).toMatch(/^Placeholder \{\} \(line \d+, column \d+\) is in a template that /)
    expect(message).toContain(
      `assigns ${variable} a value that is not fixed text (${spelling} at line `
    )
    expect(message).toContain(`, column ${column}): bash evaluates whatever is assigned to`)
    // Refused for sh as well: it may be bash in POSIX mode, which evaluates them too.
    if (!template.includes('[[') && !template.includes('<<<') && !template.includes('select')) {
      expect(lexError(template, 'sh')).toBe(message)
    }
  })

  it('says why, and what to write instead', () => {
    expect(lexError('OPTIND={}')).toBe(
      'Placeholder {} (line 1, column 8) is in a template that assigns OPTIND a value that is ' +
        'not fixed text (OPTIND=… at line 1, column 1): bash evaluates whatever is assigned to ' +
        'OPTIND as arithmetic (by name=…, read, for, printf -v and others), where a subscript ' +
        '(name[…]) in the value runs commands, so its value could run as code. Use a variable ' +
        'of your own instead (value={}), or assign OPTIND only fixed numbers.'
    )
  })

  it('refuses text placeholders once PS4 or a variable like it is assigned from an item', () => {
    expect(lexError('PS4="+[{}] "; set -x')).toBe(
      'Placeholder {} (line 1, column 8) is in a template that assigns PS4 a value that is not ' +
        'fixed text (PS4=… at line 1, column 1): bash expands PS4 for each line it traces ' +
        '(set -x), where $(…) in the value runs as a command, so its value could run as code. ' +
        "Assign PS4 only fixed text, and let that text expand a variable of your own (value={}; PS4='… $value …')."
    )
    for (const [template, variable] of [
      ['read -r PS4 <<< {}', 'PS4'],
      ['PS0={} bash -i', 'PS0'],
      ['export PS1={}', 'PS1'],
      ['PS2=$x; echo {}', 'PS2'],
      ['PROMPT_COMMAND[1]={}', 'PROMPT_COMMAND'],
      ['env -u X BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['ENV={} sh -i', 'ENV'],
      ['printf -v MAILPATH %s {}', 'MAILPATH']
    ] as const) {
      expect(lexError(template)).toMatch(`assigns ${variable} a value that is not fixed text`)
    }
    expect(lexError('PS4={}; set -o xtrace', 'sh')).toMatch(/assigns PS4 /)
    // Fixed prompts, and variables used without expanding them again, are fine.
    expect(
      contexts("PS4='+ $LINENO '; PS3={}; TIMEFORMAT={}; HISTTIMEFORMAT={}; env X={} cmd")
    ).toEqual(Array(4).fill('bare'))
  })

  it('refuses a guarded NAME= argument of any command, however it is quoted or run', () => {
    for (const [template, variable] of [
      ['env "BASH_ENV={}" bash -c :', 'BASH_ENV'],
      ["env 'BASH_ENV'={} bash -c :", 'BASH_ENV'],
      ['/usr/bin/env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['exec env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['nice env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['timeout 5 env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['nohup env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['xargs -0 env BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['env "PS4"={} bash -xc :', 'PS4'],
      ['env PS4\\={} bash -xc :', 'PS4'],
      ['env P"S4"={} bash -xc :', 'PS4'],
      ['nice env PS4={} bash -xc :', 'PS4'],
      ['setpriv env PS4={} bash -xc :', 'PS4'],
      // Fixed text that stops inside a guarded name could still spell it: the first such name.
      ["env PS$'4'={} bash -xc :", 'PS0'],
      ['sudo OPTIND={} cmd', 'OPTIND'],
      ['systemd-run --setenv=BASH_ENV={} bash -c :', 'BASH_ENV'],
      ['v={}; nice env PS4="$v" bash -xc :', 'PS4']
    ] as const) {
      expect(lexError(template)).toMatch(`assigns ${variable} a value that is not fixed text`)
    }
    // The cost: text that only looks like such an assignment is refused too.
    expect(lexError('echo "PS4={}"')).toMatch('assigns PS4 a value that is not fixed text')
    // Fixed values, and other names, are fine.
    expect(contexts("nice env PS4='+ ' X={} bash -xc : {}")).toEqual(['bare', 'bare'])
  })

  it('accepts fixed values for them, and values for other variables', () => {
    expect(
      contexts(
        [
          'OPTIND=1 RANDOM=42; f() { local OPTIND; while getopts ab o; do :; done; }; f {}',
          'export OPTIND=1 x={}; for x in {}; do :; done; read -r line <<< {}',
          'printf -v OPTIONS %s {}; RANDOMS={}; OPTIND_x={}; echo OPTIND {} RANDOM {}',
          'LINENO={} COLUMNS={} PPID={}'
        ].join('\n')
      )
    ).toEqual(Array(12).fill('bare'))
    expect(contexts('OPTIND={#}; RANDOM=$(echo {#})')).toEqual(['raw', 'raw'])
  })
})

describe('lexScript with dash', () => {
  it('refuses line continuations that could end a here-document differently', () => {
    expect(lexError('cat <<EOF\nEO\\\nF\nprintf "%s\\n" {}\nEOF', 'sh')).toBe(
      'A line of here-document <<EOF ends with a backslash that joins it to the next, and the ' +
        'lines could read as its delimiter EOF: bash and dash disagree on where the body ends. ' +
        "Remove the backslash, quote the delimiter (<<'EOF') or use shell: bash (line 2, column 1)."
    )
    for (const body of ['a\\\nEOF\n', 'EOF\\\nx\n', '\\\nEOF\n', 'E\\\nO\\\nF\n']) {
      expect(lexError(`cat <<EOF\n${body}EOF\necho {}`, 'sh')).toMatch(
        /^A line of here-document <<EOF ends with a backslash/
      )
    }
    expect(lexError('cat <<-EOF\n\tE\\\n\tOF\nEOF\n', 'sh')).toMatch(/^A line of here-document/)
    // bash joins the lines, so these are as the lexer reads them.
    expect(contexts('cat <<EOF\nEO\\\nF\necho {}', 'bash')).toEqual(['bare'])
    expect(contexts("cat <<EOF\na\\\nEOF\n'\nEOF\necho {}", 'bash')).toEqual(['bare'])
    // Continuations that no reading takes for the delimiter, and quoted delimiters, are fine.
    expect(contexts('cat <<EOF\na\\\nb\nEOF\necho {}', 'sh')).toEqual(['bare'])
    expect(contexts("cat <<'EOF'\nEO\\\nF\nEOF\necho {}", 'sh')).toEqual(['bare'])
  })

  it('refuses substitutions in a here-document body that reach its delimiter line', () => {
    const template = '(cat <<EOF\n$(echo\nEOF\n)\necho {} (\nEOF\n)'
    for (const dialect of ['sh', 'bash'] as const) {
      expect(lexError(template, dialect)).toBe(
        'Unterminated $(…) command substitution in the body of here-document <<EOF: close it ' +
          'before the line EOF, where bash ends the body while dash would read on (line 2, column 1).'
      )
    }
    for (const body of ['`echo\n', '${x:-\n', '$((1 +\n', '$(echo "\n', '$(case x in x) :;;\n']) {
      expect(lexError(`cat <<EOF\n${body}EOF\necho {}`, 'sh')).toMatch(
        /^Unterminated .* in the body of here-document <<EOF/
      )
    }
    expect(lexError('cat <<EOF\n$(cat <<X\nx\nX\n)\nEOF')).toMatch(
      /^Here-documents inside the body of a here-document are not supported/
    )
  })

  it('refuses [[ in sh, and << inside [[ … ]]', () => {
    expect(lexError('[[ x << EOF ]]\necho {}\nEOF', 'sh')).toBe(
      '`[[ … ]]` is bash syntax: dash runs `[[` as a command and reads the rest of the line ' +
        'differently (a `<<` there starts a here-document). Use [ … ] or test, or shell: bash ' +
        '(line 1, column 1).'
    )
    expect(lexError('if [[ -n {} ]]; then :; fi', 'sh')).toMatch(/^`\[\[ … \]\]` is bash syntax/)
    expect(lexError('[[ x << EOF ]]\necho {}\nEOF', 'bash')).toMatch(
      /^`<<` inside \[\[ … \]\] is not supported/
    )
    expect(contexts('echo [[ {} ]]', 'sh')).toEqual(['bare'])
    expect(lexError('cat <<< {}', 'sh')).toMatch(/^`<<<` here-strings are bash syntax/)
  })
})

describe('lexScript numbers', () => {
  it('quotes numbers that would run into the text around them', () => {
    expect(contexts('echo "$out{#}.txt" $out{#} ${x}{#} $1{#} "${x}{#}"')).toEqual([
      'double',
      'bare',
      'raw',
      'raw',
      'raw'
    ])
    expect(contexts('echo {#}\\\n>f a\\\n{#} ~{#} ~/x{#} {1..{#}} {{#}..3}')).toEqual(
      Array(6).fill('bare')
    )
    expect(contexts('echo {#}>f {#}<f {#}_x "$(echo {#}>f)"')).toEqual([
      'bare',
      'bare',
      'raw',
      'bare'
    ])
  })

  it('refuses such numbers where quotes cannot go', () => {
    expect(lexError('echo `echo {#}>f`')).toBe(
      'Placeholder {#} (line 1, column 12) is a number, and its digits before > would be read as ' +
        'the file descriptor of a redirection; it cannot be quoted here. Separate it from the ' +
        'text around it (write ${name} for a variable, or add a space), or assign it to a ' +
        'variable first (n=…) and use that.'
    )
    for (const [template, hazard] of [
      ['echo `echo $x{#}`', /would become part of the variable name \$x/],
      ['echo `echo {#}\\\n>f`', /a line continuation next to it/],
      ['echo ${{#}}', /would be part of the parameter name in \$\{…\}/],
      ['echo ${x{#}}', /would be part of the parameter name/],
      ['echo ${#{#}}', /would be part of the parameter name/],
      ['echo ${x:-$y{#}}', /would become part of the variable name \$y/],
      ['echo ${x:a{#}}', /would join the name or number next to them/],
      ['echo $(( x{#} ))', /would join the name or number/],
      ['echo $(( {#}0 ))', /would join the name or number/],
      ['(( $n{#} ))', /would become part of the variable name \$n/],
      ['a[x{#}]=1', /would join the name or number/],
      ['let x=y{#}', /would join the name or number/],
      ['cat <<EOF\n$out{#}\nEOF', /would become part of the variable name \$out/],
      ['cat <<EOF\n$(echo {#}>f)\nEOF', /before > would be read as the file descriptor/],
      ["echo '{#}' `echo ~{#}`", /tilde expansion/]
    ] as const) {
      expect(lexError(template)).toMatch(hazard)
    }
  })

  it('writes numbers raw where nothing can join them', () => {
    expect(
      contexts(
        'echo {#} a{#}b "x{#}" \'{#}\' ${x:-{#}} ${x:-a{#}} ${x[{#}]} ${x:{#}:1} $(( {#} + 1 )) a[{#}]=1'
      )
    ).toEqual(Array(10).fill('raw'))
    expect(contexts('cat <<EOF\n{#} $x {#} ${x}{#}\nEOF\ncat <<"EOF"\n$x{#}\nEOF')).toEqual(
      Array(4).fill('raw')
    )
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
