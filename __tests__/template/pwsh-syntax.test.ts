import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { lexPwshScript } from '../../src/template/pwsh-lexer.js'
import {
  PWSH_EPILOGUE,
  PWSH_PRELUDE,
  pwshArguments,
  type PwshQuotingContext,
  PwshValueError,
  quotePwsh,
  renderPwshScript
} from '../../src/template/pwsh-syntax.js'
import { type PlaceholderMatcher, ShellSyntaxError } from '../../src/template/shell-words.js'
import { pwshLiteralSpans } from '../helpers/pwsh-spans.js'

// A stand-in for the template's placeholder syntax: {} and {b} are text, {#} is a number.
const matcher: PlaceholderMatcher = (text, index) => {
  if (text.startsWith('{}', index)) return { length: 2, numeric: false }
  if (text.startsWith('{b}', index)) return { length: 3, numeric: false }
  if (text.startsWith('{#}', index)) return { length: 3, numeric: true }
  return undefined
}

function contexts(template: string): PwshQuotingContext[] {
  return lexPwshScript(template, matcher).parts.flatMap(part =>
    part.kind === 'placeholder' ? [part.context] : []
  )
}

function lexError(template: string): string {
  try {
    lexPwshScript(template, matcher)
  } catch (error) {
    expect(error).toBeInstanceOf(ShellSyntaxError)
    return (error as Error).message
  }
  throw new Error(`Lexed without an error: ${template}`)
}

/** Renders with {} = value, {b} = second, {#} = 7. */
function render(template: string, value: string, second = 'B'): string {
  return renderPwshScript(lexPwshScript(template, matcher), source =>
    source === '{#}' ? '7' : source === '{b}' ? second : value
  )
}

describe('quotePwsh', () => {
  it('writes a value for each context', () => {
    const value = `it's "$HOME" \`n $(x)`
    expect(quotePwsh(value, 'bare')).toBe(`'it''s "$HOME" \`n $(x)'`)
    expect(quotePwsh(value, 'single')).toBe(`it''s "$HOME" \`n $(x)`)
    expect(quotePwsh(value, 'double')).toBe('it\'s `"`$HOME`" ``n `$(x)')
    expect(quotePwsh(value, 'word')).toBe('"it\'s `"`$HOME`" ``n `$(x)"')
    expect(quotePwsh(value, 'nestedDouble')).toBe("it's `u{22}`$HOME`u{22} `u{60}n `$`u{28}x`u{29}")
    expect(quotePwsh('42', 'raw')).toBe('42')
  })

  it('writes empty values', () => {
    expect(quotePwsh('', 'bare')).toBe("''")
    expect(quotePwsh('', 'single')).toBe('')
    expect(quotePwsh('', 'double')).toBe('')
    expect(quotePwsh('', 'word')).toBe('""')
    // Not nothing: the template's "" around it would become one doubled quote.
    expect(quotePwsh('', 'nestedDouble')).toBe('$()')
  })

  it('doubles every kind of single quote and escapes every kind of double quote', () => {
    // U+2018 U+2019 U+201A U+201B are single quotes to PowerShell, U+201C U+201D U+201E double.
    const quotes = '\u2018\u2019\u201a\u201b\u201c\u201d\u201e'
    expect(quotePwsh(quotes, 'bare')).toBe(
      "'\u2018\u2018\u2019\u2019\u201a\u201a\u201b\u201b\u201c\u201d\u201e'"
    )
    expect(quotePwsh(quotes, 'double')).toBe('\u2018\u2019\u201a\u201b`\u201c`\u201d`\u201e')
    expect(quotePwsh(quotes, 'nestedDouble')).toBe(
      '\u2018\u2019\u201a\u201b`u{201C}`u{201D}`u{201E}'
    )
  })

  it('refuses to write anything but digits raw', () => {
    expect(() => quotePwsh('4 2', 'raw')).toThrow('Refusing to write 4 2 unquoted.')
    expect(() => quotePwsh('', 'raw')).toThrow('Refusing to write  unquoted.')
  })
})

describe('lexPwshScript contexts', () => {
  it('finds the quoting context of each placeholder', () => {
    expect(contexts(`echo {} '{}' "{}" pre{}post --name={} "a$(echo "{}")b" {#}`)).toEqual([
      'bare',
      'single',
      'double',
      'word',
      'word',
      'nestedDouble',
      'raw'
    ])
  })

  it('renders each context', () => {
    expect(render(`echo {} '<{}>' "<{}>" pre{}post`, "it's")).toBe(
      `echo 'it''s' '<it''s>' "<it's>" pre"it's"post`
    )
    expect(render('echo "$(Write-Output "[{}]")"', 'a(b)"c"')).toBe(
      'echo "$(Write-Output "[a`u{28}b`u{29}`u{22}c`u{22}]")"'
    )
  })

  it('accepts placeholders as whole arguments and in expressions', () => {
    expect(contexts('$x = {}; @{ key = {} }; ({}).Length; $map[{}]; & {} -x; . {}')).toEqual([
      'bare',
      'bare',
      'bare',
      'word',
      'bare',
      'bare'
    ])
    expect(contexts('Get-Item -LiteralPath {} -Filter:{} {}>out.txt 2>{} {}|Out-Null')).toEqual([
      'bare',
      'bare',
      'bare',
      'bare',
      'bare'
    ])
    expect(
      contexts('if ($x) { echo {} } else { echo {b} }; foreach ($f in @({}, {b})) { }')
    ).toEqual(['bare', 'bare', 'bare', 'bare'])
    // {} is a placeholder even where PowerShell would read an empty script block; { } is not.
    expect(render('try { echo {} } catch {}', 'v')).toBe("try { echo 'v' } catch 'v'")
    expect(render('$map[{}] ${x}{} $x{} -{}', 'v')).toBe('$map["v"] ${x}"v" $x"v" -"v"')
  })

  it('writes numbers raw, except before a redirection', () => {
    expect(contexts(`echo {#} '{#}' "{#}" a{#} {#}.txt "$(echo {#})" {#}>out {#}<in`)).toEqual([
      'raw',
      'raw',
      'raw',
      'raw',
      'raw',
      'raw',
      'bare',
      'bare'
    ])
    expect(render('echo {#}>out', '')).toBe("echo '7'>out")
  })

  it('leaves placeholders in comments as they are', () => {
    expect(contexts('echo {} # {} and {#}\n<# {} #> echo {}#x')).toEqual(['bare', 'bare'])
    expect(render('# it\'s {}\n<# "{}\n #>\necho {}', 'v')).toBe(
      "# it's {}\n<# \"{}\n #>\necho 'v'"
    )
    expect(contexts('echo "a # {}" \'# {}\'')).toEqual(['double', 'single'])
  })

  it('reads here-strings to their closing line', () => {
    expect(contexts("$t = @'\nit's \"{#}\" $(\n'@\necho {}")).toEqual(['raw', 'bare'])
    expect(
      contexts('$t = @"\n`"@ not the end\n$({#}) "@ not either\n  "@ nor this\n"@\necho {}')
    ).toEqual(['raw', 'bare'])
    expect(contexts("$t = @'  \r\n x'@\n'@\necho '{}'")).toEqual(['single'])
    // A line that starts with '@ closes it, whatever follows on that line.
    expect(contexts("$t = @'\n'@ + '{}'")).toEqual(['single'])
    // An escaped line break does not start a line, so "@ after it does not close the string.
    expect(contexts('$t = @"\na`\n"@ b\n"@\necho {}')).toEqual(['bare'])
  })

  it('follows nested subexpressions and strings', () => {
    expect(contexts('echo "$(echo "$(echo "{}")")" $(echo {}) @(echo {})')).toEqual([
      'nestedDouble',
      'bare',
      'bare'
    ])
    // $( at the start of a token is parsed at once; inside a string or word it is not.
    expect(contexts('echo $(echo "{}" \')\') "{}"')).toEqual(['double', 'double'])
    expect(contexts('echo "$(echo \'()\') {}"')).toEqual(['double'])
    // There parentheses count even inside quotes: this $(…) ends at the quoted `)`.
    expect(lexError('echo "$(echo \')\') {}"')).toBe("Unterminated '…' string (line 1, column 14).")
    expect(lexError('echo "$(echo \'(\') {}")"')).toBe('Unmatched `)` (line 1, column 17).')
    expect(contexts('echo pre$(echo "{}")')).toEqual(['nestedDouble'])
  })

  it('reads the stop-parsing token --% to the end of its command', () => {
    expect(contexts('icacls x --% /grant D:(CI)(OI)F\necho {}')).toEqual(['bare'])
    expect(contexts('cmd --% /c "a | b" | Out-Null\necho {}')).toEqual(['bare'])
    expect(render('cmd --% a\necho {}', 'v')).toBe("cmd --% a\necho 'v'")
  })

  it('knows typographic quotes', () => {
    expect(contexts('echo \u2018{}\u2019 \u201c{}\u201d \u201a\u2019\u2019{}\u201b')).toEqual([
      'single',
      'double',
      'single'
    ])
  })
})

describe('templates that cannot be made safe', () => {
  it.each([
    [
      'echo `{}',
      'Placeholder {} (line 1, column 7) directly follows a backtick, which would escape the quote put around its value. Remove the backtick.'
    ],
    [
      'echo "`{#}"',
      'Placeholder {#} (line 1, column 8) directly follows a backtick, which would escape the quote put around its value. Remove the backtick.'
    ],
    [
      "echo @'\n{}\n'@",
      'Placeholder {} (line 2, column 1) is inside the here-string @\'…\'@, which a line of the value could end. Use a "…" string instead (it may span lines), or $env:PARALLEL_ITEM.'
    ],
    [
      'echo @"\n$(echo "{}")\n"@',
      'Placeholder {} (line 2, column 9) is inside the here-string @"…"@, which a line of the value could end. Use a "…" string instead (it may span lines), or $env:PARALLEL_ITEM.'
    ],
    [
      'echo "$(echo {})"',
      'Placeholder {} (line 1, column 14) is inside a $(…) that is itself inside a "…" string or a word. PowerShell finds the end of such a $(…) by counting parentheses, quotes or not, so a value there is only safe inside "…". Write "{}" there.'
    ],
    [
      'echo cmd --% {}',
      'Placeholder {} (line 1, column 14) follows the stop-parsing token --% on its line, after which PowerShell passes the text on as it is, unquoted.'
    ],
    [
      'echo ${env:{}}',
      'Placeholder {} (line 1, column 12) is inside ${…}, a variable name, which cannot depend on an item.'
    ],
    [
      'echo "$name{}"',
      "Placeholder {} (line 1, column 12) directly follows the variable $name, so its value could become part of the variable's name. Write ${name}{} instead."
    ],
    [
      'echo $n{#}',
      "Placeholder {#} (line 1, column 8) directly follows the variable $n, so its value could become part of the variable's name. Write ${n}{#} instead."
    ],
    [
      'echo "$env:{}"',
      'Placeholder {} (line 1, column 12) directly follows $env:, so its value would name the variable, which cannot depend on an item.'
    ],
    [
      "echo --msg=$prefix'{}'",
      'Placeholder {} (line 1, column 20) is inside \'…\' in a word that PowerShell also expands ($…), where braces in its value would be read as format items. Write "{}" for that part instead.'
    ],
    [
      'echo {}.txt',
      'Placeholder {} (line 1, column 6) is directly followed by `.`; PowerShell would read the quoted value and what follows as separate arguments or as a member access. Quote the whole word ("{}…"), use ({}) in an expression, or separate them with a space.'
    ],
    [
      'echo "a"{}',
      'Placeholder {} (line 1, column 9) directly follows a quoted string; PowerShell would pass them as separate arguments. Put the whole word in one "…" string, or separate them with a space.'
    ],
    [
      'echo $x.{}',
      'Placeholder {} (line 1, column 9) directly follows `.`, where PowerShell reads a member name or a separate argument. Write ({}) to use the value in an expression, or quote the whole word.'
    ],
    [
      'echo user@{}',
      'Placeholder {} (line 1, column 11) directly follows `@`, with which PowerShell reads a hashtable or script block, not a placeholder. Put the whole word in "…".'
    ],
    [
      'echo pre"a"{}',
      'Placeholder {} (line 1, column 12) is directly next to a "…" part of the same word, which its quoted value would merge with. Put the whole word in one "…" string.'
    ]
  ])('rejects %j', (template, message) => {
    expect(lexError(template)).toBe(message)
  })

  it('rejects placeholders next to other tokens or placeholders', () => {
    expect(lexError('echo {}{b}')).toMatch(/^Placeholder \{\} .* followed by another placeholder/)
    expect(lexError('echo pre{}{b}')).toMatch(/followed by another placeholder/)
    expect(lexError("echo 'a'{}")).toMatch(/directly follows a quoted string/)
    expect(lexError('echo (1){}')).toMatch(/directly follows `\)`/)
    expect(lexError('echo {}(1)')).toMatch(/followed by `\(`/)
    expect(lexError('echo pre{}"a"')).toMatch(/merge with/)
    expect(lexError('echo .{}')).toMatch(/directly follows `\.`/)
    expect(lexError('echo (x).{}')).toMatch(/directly follows `\.`/)
    expect(lexError("echo '{}'{#}")).toMatch(
      /^Placeholder \{#\} .* directly follows a quoted string/
    )
  })

  it('rejects text placeholders in every context inside a nested $(…)', () => {
    expect(lexError(`echo "$(echo '{}')"`)).toMatch(/is inside a \$\(…\) that is itself inside/)
    expect(lexError('echo a$(echo {})')).toMatch(/is inside a \$\(…\) that is itself inside/)
    expect(lexError('echo "$(echo "$(echo pre{})")"')).toMatch(/is inside a \$\(…\)/)
  })

  it('rejects what it cannot classify with certainty', () => {
    expect(lexError("echo 'a")).toBe("Unterminated '…' string (line 1, column 6).")
    expect(lexError('echo "a')).toBe('Unterminated "…" string (line 1, column 6).')
    expect(lexError('echo (a')).toBe('Unterminated (…) (line 1, column 6).')
    expect(lexError('echo {a')).toBe('Unterminated {…} (line 1, column 6).')
    expect(lexError('echo a)')).toBe('Unmatched `)` (line 1, column 7).')
    expect(lexError('echo "$(a"')).toBe('Unterminated $(…) subexpression (line 1, column 7).')
    expect(lexError('echo ${a')).toBe('Unterminated ${…} variable name (line 1, column 6).')
    expect(lexError('echo <# a')).toBe('Unterminated <# … #> comment (line 1, column 6).')
    expect(lexError('echo a`')).toBe(
      'The template ends with a backtick that escapes nothing (line 1, column 7).'
    )
    expect(lexError('echo "`u{110000}"')).toBe('Invalid `u{…} escape (line 1, column 7).')
    expect(lexError("echo @' x\n'@")).toBe(
      "The here-string opening @' must end its line (line 1, column 6)."
    )
    expect(lexError("echo @'\nx\n '@")).toBe(
      "The here-string @'…'@ is never closed by a line starting with '@ (line 1, column 6)."
    )
    expect(lexError('echo "$(echo ""a"")"')).toBe(
      'Doubled quotes ("" or `") inside a $(…) that is inside a "…" string or a word are merged by PowerShell before the $(…) is read; write the inner string with single quotes, or assign it to a variable first (line 1, column 14).'
    )
    expect(lexError('echo "$(echo "a`"b")"')).toMatch(/^Doubled quotes/)
    expect(lexError('echo a#b')).toBe(
      '`#` directly after other text is a comment in some PowerShell contexts and part of the word in others; put a space before a comment, or quote the text (line 1, column 7).'
    )
    expect(lexError('echo $x<#c#>')).toMatch(/^`<#` directly after other text/)
    expect(lexError("echo a@'b'")).toMatch(/^`@` followed by a quote inside a word/)
    expect(lexError('echo -a`b')).toMatch(/^A backtick inside a parameter name/)
    expect(lexError('echo a\0b')).toBe('The template contains a NUL character (line 1, column 7).')
  })

  it('rejects what a type literal would read differently', () => {
    // After a [ that starts a token PowerShell may read a type name, and after a comma an
    // assembly name, in which quotes and backticks are plain characters.
    expect(lexError("[Type, '{}']")).toBe(
      '`A quote` inside […] at the start of a word: PowerShell may read the brackets as a type name, where quotes, backticks and # are plain characters; move it out of the brackets (line 1, column 8).'
    )
    expect(lexError('echo [a`b]')).toMatch(/^`A backtick` inside \[…\]/)
    expect(lexError('[List[x], {}]')).toBe(
      'Placeholder {} (line 1, column 11) is inside […] at the start of a word, which PowerShell may read as a type name, where quotes are plain characters. Assign the value to a variable first, or move it out of the brackets.'
    )
    expect(lexError('echo [{}]')).toMatch(/is inside \[…\] at the start of a word/)
    // Parentheses inside the brackets are parsed again, and the brackets end at their ].
    expect(
      contexts('[ValidateSet({})]$x = {}; [int]{#} [string]{} [IO.Path]::Combine({}, "{}")')
    ).toEqual(['bare', 'bare', 'raw', 'word', 'bare', 'double'])
    expect(contexts("'ab'[{#}] (x)['{}'] $a['{}']")).toEqual(['raw', 'single', 'single'])
  })

  it('rejects spellings of --% whose effect depends on what follows', () => {
    expect(lexError("echo '--%' -x")).toBe(
      'Write the stop-parsing token as a plain --%; quoted or escaped forms of it are read inconsistently (line 1, column 6).'
    )
    expect(lexError('echo "--%"')).toMatch(/^Write the stop-parsing token as a plain --%/)
    expect(lexError('echo -`-%')).toMatch(/^Write the stop-parsing token as a plain --%/)
    expect(lexError("echo --'%'")).toMatch(/^Write the stop-parsing token as a plain --%/)
    expect(lexError("echo @'\n--%\n'@ -x")).toMatch(/^Write the stop-parsing token as a plain --%/)
    expect(lexError('echo "$(cmd --% a)"')).toMatch(/^The stop-parsing token --% is not supported/)
  })

  it('rejects --% lines that would read differently without stop-parsing', () => {
    const message =
      'Cannot tell how PowerShell reads the rest of the line after --%: it must read the same with or without stop-parsing, leaving no string, bracket or comment open (line 1, column 5).'
    expect(lexError("cmd --% it's\necho {}")).toBe(message)
    expect(lexError("cmd --% 'a | b'\necho {}")).toBe(message)
    expect(lexError('(cmd --% a)')).toMatch(/^Cannot tell how PowerShell reads/)
    expect(lexError('cmd --% a | echo "b\nc"')).toMatch(/^Cannot tell how PowerShell reads/)
  })
})

describe('values that would make the stop-parsing token --%', () => {
  it('writes a bare --% value as an expression, which PowerShell does not take for --%', () => {
    expect(render('cmd {} -x {b}', '--%', 'a | b')).toBe("cmd ('--%') -x 'a | b'")
    expect(render('cmd {}', '--%X')).toBe("cmd '--%X'")
  })

  it.each([
    ["cmd '{}' -x", '--%'],
    ['cmd "{}" -x', '--%'],
    ['cmd -{} -x', '-%'],
    ['cmd --{}', '%'],
    ['cmd --%{}', ''],
    ["cmd '-{}'", '-%']
  ])('refuses %j with %j', (template, value) => {
    expect(() => render(template, value)).toThrow(
      new PwshValueError(
        ['{}'],
        'the word it stands in would read --%, which PowerShell takes as its stop-parsing token, passing the rest of the line on unquoted.'
      )
    )
  })

  it('names every placeholder of the word', () => {
    try {
      render("cmd '{}{b}'", '-', '-%')
      throw new Error('Rendered')
    } catch (error) {
      expect(error).toBeInstanceOf(PwshValueError)
      expect((error as PwshValueError).sources).toEqual(['{}', '{b}'])
    }
  })
})

describe('pwshArguments', () => {
  it('passes the script with GitHub’s prelude and epilogue as base64 UTF-16LE', () => {
    const script = 'echo \'\u00e9\u65e5\u{1f600}\'\r\n"$x"'
    const args = pwshArguments(script)
    expect(args.slice(0, -1)).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-OutputFormat',
      'Text',
      '-EncodedCommand'
    ])
    const encoded = args.at(-1) as string
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toBe(
      `${PWSH_PRELUDE}\n${script}\n${PWSH_EPILOGUE}`
    )
    expect(PWSH_PRELUDE).toBe("$ErrorActionPreference = 'stop'")
    expect(PWSH_EPILOGUE).toBe(
      'if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }'
    )
  })
})

/*
 * A reference reader for the part of PowerShell's grammar that the quoting emits, written from
 * tokenizer.cs independently of src/pwsh-syntax.ts: '…' strings (ScanStringLiteral), "…" strings
 * with backtick escapes (ScanStringExpandable, Backtick, ScanUnicodeEscape), $( inside "…" found by
 * counting parentheses and merging doubled quotes (ScanSubExpression), and bare words with quoted
 * parts (ScanGenericToken). pwsh cannot be installed where this project is developed, so reading
 * the rendered text back with this reader is the best stand-in available for running pwsh: a value
 * that does not come back exactly, or text the reader cannot read, fails the test.
 */
const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
const DOUBLE_QUOTES = '"\u201c\u201d\u201e'
const isSingle = (char: string | undefined): boolean =>
  char !== undefined && char !== '' && SINGLE_QUOTES.includes(char)
const isDouble = (char: string | undefined): boolean =>
  char !== undefined && char !== '' && DOUBLE_QUOTES.includes(char)
// CharTraits.cs ForceStartNewToken, for the ASCII the tests use, and the end of the text.
const endsToken = (char: string | undefined): boolean =>
  char === undefined || ' \t\r\n&(),;{|}'.includes(char)

interface Read {
  value: string
  end: number
}

function readBacktick(text: string, at: number): Read {
  const char = text[at + 1]
  if (char === undefined) throw new Error('backtick at the end')
  if (char === 'u') {
    const escape = /^\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(at + 2))
    if (escape === null) throw new Error('bad `u escape')
    return {
      value: String.fromCodePoint(Number.parseInt(escape[1] as string, 16)),
      end: at + 2 + escape[0].length
    }
  }
  const special: Record<string, string> = {
    '0': '\0',
    a: '\x07',
    b: '\b',
    e: '\x1b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v'
  }
  return { value: special[char] ?? char, end: at + 2 }
}

function readSingleQuoted(text: string, at: number): Read {
  if (!isSingle(text[at])) throw new Error(`no ' at ${at}`)
  let value = ''
  for (let index = at + 1; ;) {
    const char = text[index]
    if (char === undefined) throw new Error('unterminated single-quoted string')
    if (isSingle(char)) {
      if (!isSingle(text[index + 1])) return { value, end: index + 1 }
      value += text[index + 1]
      index += 2
    } else {
      value += char
      index++
    }
  }
}

/** $( inside "…": the text up to the balancing parenthesis, doubled quotes merged. */
function readSubexpression(text: string, at: number): Read {
  let inner = ''
  let depth = 1
  for (let index = at + 2; ; index++) {
    const char = text[index]
    if (char === undefined) throw new Error('unterminated $(')
    if (char === '(') depth++
    if (char === ')' && --depth === 0) return { value: inner, end: index + 1 }
    if ((char === '`' || isDouble(char)) && isDouble(text[index + 1])) {
      inner += text[index + 1]
      index++
      continue
    }
    inner += char
  }
}

/** What `Write-Output <argument>`, or an empty statement list, writes. */
function evaluateStatements(text: string): string {
  if (text.trim() === '') return ''
  const [command, ...args] = readArguments(text)
  if (command !== 'Write-Output' || args.length !== 1) throw new Error(`cannot run ${text}`)
  return args[0] as string
}

function readDoubleQuoted(text: string, at: number): Read {
  if (!isDouble(text[at])) throw new Error(`no " at ${at}`)
  let value = ''
  for (let index = at + 1; ;) {
    const char = text[index]
    if (char === undefined) throw new Error('unterminated double-quoted string')
    if (isDouble(char)) {
      if (!isDouble(text[index + 1])) return { value, end: index + 1 }
      value += text[index + 1]
      index += 2
    } else if (char === '`') {
      const escape = readBacktick(text, index)
      value += escape.value
      index = escape.end
    } else if (char === '$' && text[index + 1] === '(') {
      const subexpression = readSubexpression(text, index)
      value += evaluateStatements(subexpression.value)
      index = subexpression.end
    } else if (char === '$' && /^[A-Za-z0-9_:?^${]$/.test(text[index + 1] ?? '')) {
      throw new Error(`a variable would expand at ${index}`)
    } else {
      value += char
      index++
    }
  }
}

/** A bare word (ScanGenericToken) of literal characters and quoted parts. */
function readWord(text: string, at: number): Read {
  let value = ''
  let index = at
  while (!endsToken(text[index])) {
    const char = text[index] as string
    if (char === '`') {
      const escape = readBacktick(text, index)
      value += escape.value
      index = escape.end
    } else if (isSingle(char)) {
      const part = readSingleQuoted(text, index)
      value += part.value
      index = part.end
    } else if (isDouble(char)) {
      const part = readDoubleQuoted(text, index)
      value += part.value
      index = part.end
    } else if (char === '$' || char === '#' || char === '@') {
      throw new Error(`the reader does not know ${char} in words`)
    } else {
      value += char
      index++
    }
  }
  return { value, end: index }
}

/** The arguments of a command line made of the tokens above and ('…') expressions. */
function readArguments(text: string): string[] {
  const args: string[] = []
  for (let index = 0; index < text.length;) {
    const char = text[index] as string
    if (char === ' ') {
      index++
      continue
    }
    let read: Read
    if (isSingle(char)) read = readSingleQuoted(text, index)
    else if (isDouble(char)) read = readDoubleQuoted(text, index)
    else if (char === '(') {
      read = readSingleQuoted(text, index + 1)
      if (text[read.end] !== ')') throw new Error("only ('…') expressions are known")
      read = { value: read.value, end: read.end + 1 }
    } else read = readWord(text, index)
    // A token that starts with a quote ends there: what touches it would be another argument.
    if (!endsToken(text[read.end])) throw new Error(`token at ${index} runs into ${text[read.end]}`)
    args.push(read.value)
    index = read.end
  }
  return args
}

const QUOTE_LIKE = [...SINGLE_QUOTES, ...DOUBLE_QUOTES]

const hostileValue = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ...QUOTE_LIKE,
        '`',
        '$',
        '$(',
        '$x',
        '${x}',
        '(',
        ')',
        '{',
        '}',
        '{0}',
        '@',
        "'@",
        '"@',
        '\n"@\n',
        "\n'@\n",
        '#',
        '<#',
        '#>',
        '|',
        '&&',
        ';',
        '--%',
        '-%',
        '`u{41}',
        '``',
        '`"',
        '""',
        "''",
        '\n',
        '\r\n',
        ' ',
        '\t',
        '\u00a0',
        '\u0085',
        '\u2028',
        'é',
        '日本',
        '😀',
        '\ud800'
      ),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.integer({ min: 1, max: 0xffff }).map(code => String.fromCharCode(code))
    ),
    { maxLength: 16 }
  )
  .map(parts => parts.join('').replaceAll('\0', ''))

const anyValue = fc
  .oneof(hostileValue, fc.string({ unit: 'binary', maxLength: 30 }))
  .map(value => value.replaceAll('\0', ''))

describe('read back by a reference reader (the stand-in for pwsh)', () => {
  it('reads every quoting back as exactly the value', () => {
    fc.assert(
      fc.property(anyValue, value => {
        const whole = (text: string, read: Read, expected: string): void => {
          expect(read).toEqual({ value: expected, end: text.length })
        }
        const bare = quotePwsh(value, 'bare')
        whole(bare, readSingleQuoted(bare, 0), value)
        const single = `'<${quotePwsh(value, 'single')}>'`
        whole(single, readSingleQuoted(single, 0), `<${value}>`)
        const double = `"<${quotePwsh(value, 'double')}>"`
        whole(double, readDoubleQuoted(double, 0), `<${value}>`)
        const word = `pre${quotePwsh(value, 'word')}post`
        whole(word, readWord(word, 0), `pre${value}post`)
        const nested = `"<$(Write-Output "${quotePwsh(value, 'nestedDouble')}")>"`
        whole(nested, readDoubleQuoted(nested, 0), `<${value}>`)
        // And with the quotes of the template right against the value, at both ends.
        const tight = `"$(Write-Output "${quotePwsh(value, 'nestedDouble')}")"`
        whole(tight, readDoubleQuoted(tight, 0), value)
      }),
      { seed: 42, numRuns: 2000 }
    )
  })

  it('reads rendered templates back as exactly the values, in every context', () => {
    const template = lexPwshScript(
      `Write-Output {} '<{}>' "<{}>" pre{}post --name={b} "$(Write-Output "[{}]")" "$(Write-Output "{}")" x{#}`,
      matcher
    )
    fc.assert(
      fc.property(anyValue, anyValue, (value, second) => {
        let rendered: string
        try {
          rendered = renderPwshScript(template, source =>
            source === '{#}' ? '7' : source === '{b}' ? second : value
          )
        } catch (error) {
          // Only a value that would make a word --% is refused.
          expect(error).toBeInstanceOf(PwshValueError)
          expect(value === '--%' || second === '%').toBe(true)
          return
        }
        expect(readArguments(rendered)).toEqual([
          'Write-Output',
          value,
          `<${value}>`,
          `<${value}>`,
          `pre${value}post`,
          `--name=${second}`,
          `[${value}]`,
          value,
          'x7'
        ])
      }),
      { seed: 42, numRuns: 1000 }
    )
  })

  it('knows the reader fails on what is not safe', () => {
    // Sanity checks of the reader itself: naive quoting does not survive it.
    expect(() => readArguments(`'it's'`)).toThrow()
    expect(() => readDoubleQuoted('"$HOME"', 0)).toThrow('a variable would expand')
    expect(() => readDoubleQuoted('"$(Write-Output \'a)b\')"', 0)).toThrow(
      'unterminated single-quoted string'
    )
    expect(() => readArguments(`'a'b`)).toThrow('runs into b')
  })
})

describe('random templates', () => {
  // Loose fragments of PowerShell and whole constructs with a placeholder in each context (those
  // the lexer must refuse included), so that many random templates are accepted at all.
  const pieces = [
    'echo ',
    "'",
    '"',
    '$(',
    ')',
    '(',
    '{ ',
    ' }',
    ';',
    ' #',
    '\n',
    '`',
    "@'\n",
    "\n'@",
    '@"\n',
    '\n"@',
    '$x',
    '${x}',
    '[',
    ']',
    '.',
    ',',
    '|',
    '-p:',
    ' --% ',
    ' ',
    'a',
    '<#',
    '#>',
    '\u2018',
    '\u201c',
    '=',
    '`n',
    '@',
    '-'
  ]
  const constructs = [
    ' {} ',
    " '{}' ",
    ' "{}" ',
    ' pre{}post ',
    ' "$(echo "{}")" ',
    ' $x{} ',
    ' -p:{} ',
    ' {#} ',
    " '<{#}>' ",
    ' # {}\n',
    ' <# {} #> ',
    ' @{ k = {} } ',
    ' ({}) ',
    ' $a[{}] ',
    ' "a{}b" ',
    ' --n={} ',
    ' {}>f ',
    ' & {} ',
    ' `{} ',
    ' {}post ',
    " @'\n{}\n'@\n",
    ' "${x}{}" ',
    ' [T]{} ',
    ' [T, {}] ',
    ' -{} ',
    " a'{}' ",
    ' "$(echo "$(echo "{}")")" ',
    ' a$(echo "{}") ',
    ' @"\n{#}\n"@\n',
    '\ncmd --% /x (y)\n'
  ]
  const templates = fc
    .array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...constructs), weight: 3 },
        { arbitrary: fc.constantFrom(...pieces), weight: 2 }
      ),
      { minLength: 1, maxLength: 6 }
    )
    .map(parts => parts.join(''))

  it('keeps every character of every value inside string content', () => {
    // Re-reading the rendered script with the lexer, each value must lie wholly in the content
    // of '…' or "…", never in code, a comment or a --% region. This checks how the quoting
    // fits the text around it; the reference reader above checks the quoting itself.
    let accepted = 0
    fc.assert(
      fc.property(templates, anyValue, (text, value) => {
        let script
        try {
          script = lexPwshScript(text, matcher)
        } catch (error) {
          if (error instanceof ShellSyntaxError) return
          throw error
        }
        accepted++
        const valueOf = (source: string): string => (source === '{#}' ? '7' : value)
        let rendered = ''
        const valueSpans: [number, number][] = []
        for (const part of script.parts) {
          if (part.kind === 'text') {
            rendered += part.text
            continue
          }
          const quoted = quotePwsh(valueOf(part.source), part.context)
          const delimited = part.context === 'bare' || part.context === 'word' ? 1 : 0
          if (part.context !== 'raw' && valueOf(part.source) !== '') {
            valueSpans.push([
              rendered.length + delimited,
              rendered.length + quoted.length - delimited
            ])
          }
          rendered += quoted
        }
        try {
          // Values that would make --% are written or refused differently; they are tested above.
          if (renderPwshScript(script, valueOf) !== rendered) return
        } catch (error) {
          if (error instanceof PwshValueError) return
          throw error
        }
        const spans = pwshLiteralSpans(rendered)
        for (const [start, end] of valueSpans) {
          for (let index = start; index < end; index++) {
            const inside = spans.some(([from, to]) => from <= index && index < to)
            expect({ rendered, index, inside }).toEqual({ rendered, index, inside: true })
          }
        }
      }),
      { seed: 42, numRuns: 20000 }
    )
    // Many random templates are refused; enough must be accepted for this to mean something.
    expect(accepted).toBeGreaterThan(5000)
  })
})
