import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Shell } from '../../src/model/shell.js'
import {
  anyValue,
  ARRAY_DECLARATION_FRAGMENTS,
  CANARY_PAYLOADS,
  SHELL_READING_FRAGMENTS,
  CONDITIONAL_GROUP_FRAGMENTS,
  EVALUATING_VARIABLE_FRAGMENTS,
  EXPANDED_VARIABLE_FRAGMENTS,
  FUZZ_CONSTRUCTS,
  FUZZ_PIECES,
  GLUED_PARENTHESIS_FRAGMENTS,
  HIDDEN_ATTRIBUTE_FRAGMENTS,
  hostileValue,
  received,
  TIME_FRAGMENTS
} from '../helpers/template-fuzz.js'
import type { Item } from '../../src/model/item.js'
import {
  CommandTemplate,
  PlaceholderError,
  type RenderedCommand,
  TemplateError
} from '../../src/template/template.js'

function render(
  template: string,
  item: Item,
  shell = Shell.Bash,
  seq = 1,
  slot = 1
): RenderedCommand {
  return CommandTemplate.parse(template, shell).render(item, seq, slot)
}

/** The words a shell-less template renders to, program first. */
function words(template: string, item: Item, seq = 1, slot = 1): string[] {
  const { file, args } = render(template, item, Shell.None, seq, slot)
  return [file, ...args]
}

function script(template: string, item: Item, shell = Shell.Bash, seq = 1, slot = 1): string {
  return render(template, item, shell, seq, slot).display
}

function parseError(template: string, shell = Shell.Bash): string {
  try {
    CommandTemplate.parse(template, shell)
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError)
    return (error as Error).message
  }
  throw new Error(`Parsed without an error: ${template}`)
}

function renderError(template: string, item: Item, shell = Shell.Bash, seq = 1): string {
  const parsed = CommandTemplate.parse(template, shell)
  try {
    parsed.render(item, seq, 1)
  } catch (error) {
    expect(error).toBeInstanceOf(PlaceholderError)
    return (error as Error).message
  }
  throw new Error(`Rendered without an error: ${template}`)
}

describe('placeholders', () => {
  it('fills in the item, its number and the worker slot', () => {
    expect(words('echo {} {#} {%}', 'a b', 7, 2)).toEqual(['echo', 'a b', '7', '2'])
    expect(words('echo {}', 42)).toEqual(['echo', '42'])
    expect(words('echo {}', null)).toEqual(['echo', 'null'])
    expect(words('echo {}', { a: [1, 'x'] })).toEqual(['echo', '{"a":[1,"x"]}'])
  })

  it('tells whether the template uses the slot', () => {
    expect(CommandTemplate.parse('echo {%}', Shell.Bash).usesSlot).toBe(true)
    expect(CommandTemplate.parse('echo {%}', Shell.None).usesSlot).toBe(true)
    expect(CommandTemplate.parse('echo {} {#}', Shell.Bash).usesSlot).toBe(false)
    expect(CommandTemplate.parse('echo {} # {%}', Shell.Bash).usesSlot).toBe(false)
    expect(CommandTemplate.parse('', Shell.Bash).usesSlot).toBe(false)
  })

  it.each([
    // item, {.}, {/}, {//}, {/.} as GNU parallel computes them
    ['a/b/c.txt', 'a/b/c', 'c.txt', 'a/b', 'c'],
    ['a.txt', 'a', 'a.txt', '.', 'a'],
    ['a', 'a', 'a', '.', 'a'],
    ['/a', '/a', 'a', '/', 'a'],
    ['/', '/', '', '/', ''],
    ['a/b/', 'a/b/', '', 'a', ''],
    ['a//b', 'a//b', 'b', 'a', 'b'],
    ['dir.d/file', 'dir.d/file', 'file', 'dir.d', 'file'],
    ['a.tar.gz', 'a.tar', 'a.tar.gz', '.', 'a.tar'],
    ['.bashrc', '', '.bashrc', '.', ''],
    ['file.', 'file', 'file.', '.', 'file'],
    ['', '', '', '.', '']
  ])('applies the path forms to %j', (item, noExtension, base, directory, baseNoExtension) => {
    expect(words('x {.} {/} {//} {/.}', item)).toEqual([
      'x',
      noExtension,
      base,
      directory,
      baseNoExtension
    ])
  })

  it('names the elements of a list item', () => {
    const item: Item = ['a/b.c', 2, null, { k: 1 }, [true]]
    expect(words('x {1} {2} {3} {4} {5}', item)).toEqual([
      'x',
      'a/b.c',
      '2',
      'null',
      '{"k":1}',
      '[true]'
    ])
    expect(words('x {1.} {1/} {1//} {1/.}', item)).toEqual(['x', 'a/b', 'b.c', 'a', 'b'])
    expect(words('x {}', item)).toEqual(['x', '["a/b.c",2,null,{"k":1},[true]]'])
    expect(
      words(
        'x {10}',
        Array.from({ length: 10 }, (_, index) => index + 1)
      )
    ).toEqual(['x', '10'])
  })

  it('treats a single value as a one-element list', () => {
    expect(words('x {1} {1/}', 'a/b')).toEqual(['x', 'a/b', 'b'])
    expect(words('x {1}', 5)).toEqual(['x', '5'])
    expect(words('x {1}', false)).toEqual(['x', 'false'])
  })

  it('names the fields of an object item, nested too', () => {
    const item: Item = {
      name: 'n',
      a: { b: 'deep', c: [1] },
      n: 1,
      t: true,
      z: null,
      'with-dash': 'd',
      _u: 'u'
    }
    expect(words('x {name} {a.b} {a.c} {n} {t} {z} {with-dash} {_u}', item)).toEqual([
      'x',
      'n',
      'deep',
      '[1]',
      '1',
      'true',
      'null',
      'd',
      'u'
    ])
    expect(words('x {a}', item)).toEqual(['x', '{"b":"deep","c":[1]}'])
  })

  it('explains a placeholder that names nothing', () => {
    expect(renderError('echo {name}', 'foo', Shell.Bash, 3)).toBe(
      `Placeholder {name} names nothing in item 3 ("foo"): the item has no field 'name' (it is a string).`
    )
    expect(renderError('echo {name}', ['a'])).toBe(
      `Placeholder {name} names nothing in item 1 (["a"]): the item has no field 'name' (it is a list).`
    )
    expect(renderError('echo {missing}', { a: 1 })).toBe(
      `Placeholder {missing} names nothing in item 1 ({"a":1}): the item has no field 'missing'.`
    )
    expect(renderError('echo {a.b}', { a: 'x' })).toBe(
      `Placeholder {a.b} names nothing in item 1 ({"a":"x"}): the item has no field 'a.b'.`
    )
    expect(renderError('echo {constructor}', {})).toBe(
      `Placeholder {constructor} names nothing in item 1 ({}): the item has no field 'constructor'.`
    )
    expect(renderError('echo {0}', ['a', 'b'])).toBe(
      `Placeholder {0} names nothing in item 1 (["a","b"]): positions count from 1.`
    )
    expect(renderError('echo {3}', ['a', 'b'], Shell.Sh, 2)).toBe(
      `Placeholder {3} names nothing in item 2 (["a","b"]): the item has only 2 elements.`
    )
    expect(renderError('echo {2}', ['a'])).toBe(
      `Placeholder {2} names nothing in item 1 (["a"]): the item has only 1 element.`
    )
    expect(renderError('echo {1}', [])).toBe(
      `Placeholder {1} names nothing in item 1 ([]): the item is an empty list.`
    )
    expect(renderError('echo {2}', 'x')).toBe(
      `Placeholder {2} names nothing in item 1 ("x"): the item is a single value, so only {1} names it.`
    )
    expect(renderError('echo {1}', { a: 1 }, Shell.None)).toBe(
      `Placeholder {1} names nothing in item 1 ({"a":1}): the item is an object, not a list; name its fields as in {name}.`
    )
  })

  it('cuts long items short in messages', () => {
    expect(renderError('echo {x}', 'y'.repeat(100))).toBe(
      `Placeholder {x} names nothing in item 1 ("${'y'.repeat(38)}…): the item has no field 'x' (it is a string).`
    )
  })

  it('refuses values no command line can carry', () => {
    expect(renderError('echo {}', 'a\0b')).toBe(
      'Placeholder {} cannot be used for item 1 ("a\\u0000b"): its value contains a NUL character, which no command line can carry.'
    )
    expect(renderError('', 'a\0b', Shell.Sh)).toBe(
      'Item 1 ("a\\u0000b") cannot be run as a command: it contains a NUL character, which no command line can carry.'
    )
  })

  it('leaves braces that are not placeholders alone', () => {
    const template =
      "awk '{print $1}' ${VAR} ${#} ${name} ${1} $${x} {a,b} {a..z} {1.2} {-} { } {1,2} '{\"k\": 1}' x{ } \\${}"
    expect(script(template, 'item')).toBe(template)
    expect(script('{ echo hi; }', 'item')).toBe('{ echo hi; }')
    expect(words('x {a,b} $\\{}', 'item')).toEqual(['x', '{a,b}', '${}'])
    // Without a shell nothing expands ${…}, so a placeholder after $ is filled in.
    expect(words('x ${} a${#}b "${}"', 'item', 7)).toEqual(['x', '$item', 'a$7b', '$item'])
  })
})

describe('rendered commands', () => {
  it('runs bash and sh as GitHub does', () => {
    expect(render('echo {}', 'a b')).toEqual({
      file: 'bash',
      args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', "echo 'a b'"],
      display: "echo 'a b'"
    })
    expect(render('echo {}', 'a b', Shell.Sh)).toEqual({
      file: 'sh',
      args: ['-e', '-c', "echo 'a b'"],
      display: "echo 'a b'"
    })
  })

  it('runs words directly without a shell', () => {
    expect(render(`cp {} "backup dir/{/}" --mode='a b'`, "src/it's $(x)", Shell.None)).toEqual({
      file: 'cp',
      args: ["src/it's $(x)", "backup dir/it's $(x)", '--mode=a b'],
      display: `cp 'src/it'\\''s $(x)' 'backup dir/it'\\''s $(x)' '--mode=a b'`
    })
    expect(words(`printf '%s\\n' "a\\"b" 'c\\d' e\\ f "" {}`, '')).toEqual([
      'printf',
      '%s\\n',
      'a"b',
      'c\\d',
      'e f',
      '',
      ''
    ])
  })

  it('runs each item as the command when the template is empty', () => {
    expect(render('', 'echo "$HOME" | wc -c')).toEqual({
      file: 'bash',
      args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', 'echo "$HOME" | wc -c'],
      display: 'echo "$HOME" | wc -c'
    })
    expect(render(' \n\t', 'make test', Shell.Sh).args).toEqual(['-e', '-c', 'make test'])
    expect(render('', `git commit -m 'a {} message'`, Shell.None)).toEqual({
      file: 'git',
      args: ['commit', '-m', 'a {} message'],
      display: "git commit -m 'a {} message'"
    })
    expect(render('', ['echo', 'x'], Shell.Bash).display).toBe('["echo","x"]')
  })

  it('explains items that cannot be split into a command', () => {
    expect(renderError('', "echo 'a", Shell.None, 4)).toBe(
      `Item 4 ("echo 'a") cannot be run as a command: the command has an unterminated '…' quote starting at line 1, column 6.`
    )
    expect(renderError('', '  ', Shell.None)).toBe(
      'Item 1 ("  ") cannot be run as a command: it has no words.'
    )
    expect(renderError('{} x', '', Shell.None)).toBe(
      'The command for item 1 ("") has an empty program name.'
    )
  })

  it('quotes each value for its context', () => {
    const item = "it's"
    expect(script('echo {}', item)).toBe(`echo 'it'\\''s'`)
    expect(script('echo {}', '')).toBe(`echo ''`)
    expect(script("echo '<{}>'", item)).toBe(`echo '<it'\\''s>'`)
    expect(script('echo "<{}>"', item)).toBe(`echo "<"'it'\\''s'">"`)
    expect(script("echo $'<{}>'", item)).toBe(`echo $'<''it'\\''s'$'>'`)
    expect(script('echo "$(echo "{}")"', item)).toBe(`echo "$(echo ""'it'\\''s'"")"`)
    expect(script('echo {#} "{#}" $(( {#} + 1 )) `echo {#}` {#}>out', item, Shell.Sh, 12)).toBe(
      `echo 12 "12" $(( 12 + 1 )) \`echo 12\` '12'>out`
    )
    expect(script('echo {} # {} and {#}', item)).toBe(`echo 'it'\\''s' # {} and {#}`)
  })

  it('rejects bad seq and slot numbers', () => {
    const parsed = CommandTemplate.parse('echo {#}', Shell.Bash)
    expect(() => parsed.render('x', 1.5, 1)).toThrow('seq must be a whole number, not 1.5.')
    expect(() => parsed.render('x', 1, -1)).toThrow('slot must be a whole number, not -1.')
  })
})

describe('with pwsh', () => {
  const PRELUDE = "$ErrorActionPreference = 'stop'"
  const EPILOGUE = 'if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }'

  /** The script pwsh decodes from -EncodedCommand: base64 of UTF-16LE. */
  function decoded(command: RenderedCommand): string {
    return Buffer.from(command.args.at(-1) as string, 'base64').toString('utf16le')
  }

  it('runs pwsh as GitHub does, with the script passed encoded', () => {
    const command = render('Write-Output {} "{#}: {}"', "it's $HOME", Shell.Pwsh, 3)
    expect(command.file).toBe('pwsh')
    expect(command.args.slice(0, -1)).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-OutputFormat',
      'Text',
      '-EncodedCommand'
    ])
    expect(command.display).toBe(`Write-Output 'it''s $HOME' "3: it's \`$HOME"`)
    expect(decoded(command)).toBe(`${PRELUDE}\n${command.display}\n${EPILOGUE}`)
  })

  it('round-trips any script through -EncodedCommand', () => {
    fc.assert(
      fc.property(fc.oneof(hostileValue, anyValue), value => {
        const command = render("Write-Output '{}'", value, Shell.Pwsh)
        expect(decoded(command)).toBe(`${PRELUDE}\n${command.display}\n${EPILOGUE}`)
        // The base64 is plain ASCII: nothing for a Windows command line to re-read.
        expect(command.args.at(-1)).toMatch(/^[A-Za-z0-9+/]*=*$/)
      }),
      { seed: 42, numRuns: 200 }
    )
  })

  it('runs each item as the script when the template is empty', () => {
    const command = render('', 'Get-ChildItem | Measure-Object {}', Shell.Pwsh)
    expect(command.display).toBe('Get-ChildItem | Measure-Object {}')
    expect(decoded(command)).toBe(`${PRELUDE}\nGet-ChildItem | Measure-Object {}\n${EPILOGUE}`)
    expect(renderError('', 'a\0b', Shell.Pwsh)).toBe(
      'Item 1 ("a\\u0000b") cannot be run as a command: it contains a NUL character, which no command line can carry.'
    )
  })

  it('quotes each value for its PowerShell context', () => {
    const item = { path: "src/it's.ts", note: 'say "hi" for $5 `now`' }
    expect(
      script(
        `Copy-Item {path} "{path}.bak"; Write-Output '{note}' "{note}" --note={note} {#}`,
        item,
        Shell.Pwsh,
        9
      )
    ).toBe(
      `Copy-Item 'src/it''s.ts' "src/it's.ts.bak"; Write-Output 'say "hi" for $5 \`now\`' ` +
        '"say `"hi`" for `$5 ``now``" --note="say `"hi`" for `$5 ``now``" 9'
    )
    expect(script('Write-Output "$(Split-Path "{}")"', 'a (1)/"b"', Shell.Pwsh)).toBe(
      'Write-Output "$(Split-Path "a `u{28}1`u{29}/`u{22}b`u{22}")"'
    )
    expect(script('Write-Output {} # {} and {#}', '\u2018x\u2019', Shell.Pwsh)).toBe(
      "Write-Output '\u2018\u2018x\u2019\u2019' # {} and {#}"
    )
    expect(CommandTemplate.parse('echo {%}', Shell.Pwsh).usesSlot).toBe(true)
    expect(CommandTemplate.parse('echo {} # {%}', Shell.Pwsh).usesSlot).toBe(false)
  })

  it.each([
    [
      "Get-Content @'\n{}\n'@",
      'Placeholder {} (line 2, column 1) is inside the here-string @\'…\'@, which a line of the value could end. Use a "…" string instead (it may span lines), or $env:PARALLEL_ITEM.'
    ],
    [
      'cmd /c --% echo {}',
      'Placeholder {} (line 1, column 17) follows the stop-parsing token --% on its line, after which PowerShell passes the text on as it is, unquoted.'
    ],
    [
      'echo `{}',
      'Placeholder {} (line 1, column 7) directly follows a backtick, which would escape the quote put around its value. Remove the backtick.'
    ],
    [
      'echo {}.bak',
      'Placeholder {} (line 1, column 6) is directly followed by `.`; PowerShell would read the quoted value and what follows as separate arguments or as a member access. Quote the whole word ("{}…"), use ({}) in an expression, or separate them with a space.'
    ],
    ['echo "{}', 'Unterminated "…" string (line 1, column 6).']
  ])('rejects %j', (template, message) => {
    expect(parseError(template, Shell.Pwsh)).toBe(message)
  })

  it('refuses values that would make the stop-parsing token --%', () => {
    expect(script('git {1} -x {2}', ['--%', 'a | b'], Shell.Pwsh)).toBe("git ('--%') -x 'a | b'")
    expect(renderError("git '{1}' -x {2}", ['--%', 'a | b'], Shell.Pwsh, 4)).toBe(
      'Placeholder {1} cannot be used for item 4 (["--%","a | b"]): the word it stands in would read --%, which PowerShell takes as its stop-parsing token, passing the rest of the line on unquoted.'
    )
    expect(renderError('git -{1}', ['-%'], Shell.Pwsh)).toMatch(/^Placeholder \{1\} cannot be used/)
  })

  it('refuses values no command line can carry', () => {
    expect(renderError('echo {}', 'a\0b', Shell.Pwsh)).toBe(
      'Placeholder {} cannot be used for item 1 ("a\\u0000b"): its value contains a NUL character, which no command line can carry.'
    )
  })
})

describe('templates that cannot be made safe', () => {
  it.each([
    [
      'echo `cat {}`',
      'Placeholder {} (line 1, column 11) is inside backticks, where its value cannot be quoted safely. Use $(…) instead of backticks.'
    ],
    [
      'echo "${1:-{}}"',
      'Placeholder {} (line 1, column 12) is inside a parameter expansion ${…}, where its value cannot be quoted safely. Assign it to a variable first (value={}) and expand that.'
    ],
    [
      'echo $(( {n} * 2 ))',
      'Placeholder {n} (line 1, column 10) is inside arithmetic $((…)), where its value would be evaluated as code. Assign it to a variable first (n={n}), check that it is a number, and use the variable.'
    ],
    [
      'for ((i = 0; i < {}; i++)); do :; done',
      'Placeholder {} (line 1, column 18) is inside arithmetic ((…)), where its value would be evaluated as code. Assign it to a variable first (n={}), check that it is a number, and use the variable.'
    ],
    [
      'echo $[{1}]',
      'Placeholder {1} (line 1, column 8) is inside arithmetic $[…], where its value would be evaluated as code. Assign it to a variable first (n={1}), check that it is a number, and use the variable.'
    ],
    [
      'cat <<EOF\nHello {name}\nEOF',
      "Placeholder {name} (line 2, column 7) is inside the here-document <<EOF, where its value cannot be quoted safely. Pipe the value in instead (printf '%s\\n' {name} | …) or use $PARALLEL_ITEM."
    ],
    [
      'cat <<{}\n{}',
      'Placeholder {} (line 1, column 7) is in a here-document delimiter, which cannot depend on an item. Use a fixed word such as EOF.'
    ],
    [
      'echo \\{}',
      'Placeholder {} (line 1, column 7) directly follows a backslash, which would escape the quote put around its value. Remove the backslash.'
    ],
    [
      '[[ {} -gt 3 ]]',
      'Placeholder {} (line 1, column 4) is inside [[ … ]] with -gt, which makes bash evaluate operands as arithmetic, so its value could run as code. Use [ … ] or test instead, which only accept plain numbers for -gt.'
    ],
    [
      'count[{}]=1',
      'Placeholder {} (line 1, column 7) is inside an array subscript name[…], which bash evaluates as arithmetic, so its value could run as code. Assign it to a variable first (key={}) and check it before using it.'
    ],
    [
      'let total+={}',
      'Placeholder {} (line 1, column 12) is an argument of let, which evaluates it as arithmetic, so its value could run as code. Assign it to a variable first (n={}) and check that it is a number.'
    ]
  ])('rejects %j', (template, message) => {
    expect(parseError(template)).toBe(message)
  })

  it('rejects syntax it cannot read with certainty', () => {
    expect(parseError(`echo $'{}'`, Shell.Sh)).toBe(
      "$'…' quoting is not POSIX sh (dash reads it differently); use shell: bash (line 1, column 6)."
    )
    expect(parseError(`echo "{}`)).toBe('Unterminated "…" quote (line 1, column 6).')
    expect(parseError('echo {})')).toBe('Unmatched `)` (line 1, column 8).')
    expect(parseError(`echo 'a`, Shell.None)).toBe(
      "The command has an unterminated '…' quote starting at line 1, column 6."
    )
    expect(parseError('echo \\', Shell.None)).toBe(
      'The command ends with a backslash that escapes nothing (line 1, column 6).'
    )
    expect(parseError('\\\n', Shell.None)).toBe('The command template has no words to run.')
    expect(parseError("'' {}", Shell.None)).toBe(
      'The command template starts with an empty word, which names no program.'
    )
  })
})

// Real shells: bash, and sh (dash here, as on GitHub's Ubuntu runners).

let workDirectory = ''
beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'template-test-'))
})
afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true })
})

function run(
  command: RenderedCommand,
  locale = 'C.UTF-8',
  environment: Record<string, string> = {}
): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(command.file, command.args, {
    cwd: workDirectory,
    env: { PATH: process.env.PATH, HOME: workDirectory, LC_ALL: locale, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() }
}

/** The NUL-terminated strings a command printed. */
function printed(command: RenderedCommand, locale?: string): string[] {
  const result = run(command, locale)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return result.stdout.toString('utf8').split('\0').slice(0, -1)
}

function leftovers(): string[] {
  const files = readdirSync(workDirectory)
  for (const file of files) rmSync(join(workDirectory, file), { recursive: true, force: true })
  return files
}

interface ContextCase {
  template: string
  expected: (value: string) => string[]
  bashOnly?: boolean
}

// Each line puts {} in some context and prints what the command received, NUL-terminated.
// Command substitutions add a dot, as they drop trailing newlines. Item number 7.
const CONTEXT_CASES: ContextCase[] = [
  { template: `printf '%s\\0' {}`, expected: value => [value] },
  { template: `printf '%s\\0' '{}'`, expected: value => [value] },
  { template: `printf '%s\\0' "{}"`, expected: value => [value] },
  {
    template: `printf '%s\\0' pre{}post 'a{}b' "c{}d"`,
    expected: value => [`pre${value}post`, `a${value}b`, `c${value}d`]
  },
  {
    template: `printf '%s\\0' {}{} '{}'"{}"{}`,
    expected: value => [value + value, value + value + value]
  },
  {
    template: `printf '%s\\0' "a'{}'b" 'a"{}"b'`,
    expected: value => [`a'${value}'b`, `a"${value}"b`]
  },
  { template: `printf '%s\\0' "$(printf '%s.' "{}")"`, expected: value => [`${value}.`] },
  {
    template: `value=$(printf '%s.' {}); printf '%s\\0' "$value"`,
    expected: value => [`${value}.`]
  },
  {
    template: `printf '%s\\0' "$(printf '%s:' "$(printf '%s.' "{}")")"`,
    expected: value => [`${value}.:`]
  },
  {
    template: `printf '%s\\0' "$(case x in x) printf '%s.' {};; esac)" "$(case x in (x) printf '%s.' "{}";; esac)"`,
    expected: value => [`${value}.`, `${value}.`]
  },
  {
    template: `# a comment with {} and it's quote\nprintf '%s\\0' {} # {} again`,
    expected: value => [value]
  },
  {
    template: `cat >/dev/null <<'EOF'\nit's {#} $( \`\nEOF\nprintf '%s\\0' {}`,
    expected: value => [value]
  },
  {
    template: `read -r line <<EOF\n{#}\nEOF\nprintf '%s\\0' "$line" {}`,
    expected: value => ['7', value]
  },
  {
    template: `printf '%s\\0' {#} "{#}" '{#}' $(( {#} * 2 )) \`echo {#}\` "\${HOME:+{#}}"`,
    expected: () => ['7', '7', '7', '14', '7', '7']
  },
  { template: `f() { printf '%s\\0' "$1"; }; f {}`, expected: value => [value] },
  { template: `if true; then printf '%s\\0' {}; fi`, expected: value => [value] },
  {
    template: `printf '%s\\0' $'\\t{}\\n' $'{}'`,
    expected: value => [`\t${value}\n`, value],
    bashOnly: true
  },
  { template: `cat <(printf '%s\\0' {})`, expected: value => [value], bashOnly: true },
  {
    template: `words=({} "{}" '{}'); printf '%s\\0' "\${words[@]}"`,
    expected: value => [value, value, value],
    bashOnly: true
  },
  {
    template: `IFS= read -r -d '' line <<< {} || true; printf '%s\\0' "$line"`,
    expected: value => [`${value}\n`],
    bashOnly: true
  }
]

describe.each([Shell.Bash, Shell.Sh])('with %s', shell => {
  const cases = CONTEXT_CASES.filter(testCase => shell === Shell.Bash || !testCase.bashOnly)

  beforeEach(() => {
    leftovers()
  })

  it('delivers any value exactly, in every context, and runs nothing else', () => {
    // One template holding every case, so each value takes one shell process.
    const template = CommandTemplate.parse(
      cases.map(testCase => testCase.template).join('\n'),
      shell
    )
    fc.assert(
      fc.property(
        fc.oneof(hostileValue, anyValue),
        fc.constantFrom('C.UTF-8', 'C'),
        (value, locale) => {
          const command = template.render(value, 7, 1)
          const expected = cases.flatMap(testCase => testCase.expected(received(value)))
          expect(printed(command, locale)).toEqual(expected)
          expect(leftovers()).toEqual([])
        }
      ),
      { seed: 42, numRuns: 250 }
    )
  })

  it('runs nothing from values inside random templates', () => {
    const pieces = FUZZ_PIECES
    const constructs = FUZZ_CONSTRUCTS
    // How many templates were tried, and how many of them hold each class's fragments.
    let tried = 0
    let accepted = 0
    const classes = {
      '[[ ( … ) ]]': { fragments: CONDITIONAL_GROUP_FRAGMENTS, tried: 0, accepted: 0 },
      'OPTIND and the like': { fragments: EVALUATING_VARIABLE_FRAGMENTS, tried: 0, accepted: 0 },
      'if(…) and the like': { fragments: GLUED_PARENTHESIS_FRAGMENTS, tried: 0, accepted: 0 },
      'time -- and if ( : ) then': { fragments: TIME_FRAGMENTS, tried: 0, accepted: 0 },
      'declare x={} of an array': { fragments: ARRAY_DECLARATION_FRAGMENTS, tried: 0, accepted: 0 },
      'PS4 and the like': { fragments: EXPANDED_VARIABLE_FRAGMENTS, tried: 0, accepted: 0 },
      'hidden declare -i': { fragments: HIDDEN_ATTRIBUTE_FRAGMENTS, tried: 0, accepted: 0 },
      'x[ … ]=, x\\⏎=1 and $c': { fragments: SHELL_READING_FRAGMENTS, tried: 0, accepted: 0 }
    }
    // The review classes' own fragments are drawn apart, so that each class gets its share.
    const classConstructs = constructs.filter(construct =>
      Object.values(classes).some(({ fragments }) => fragments.includes(construct))
    )
    const templates = fc.array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...constructs), weight: 2 },
        { arbitrary: fc.constantFrom(...classConstructs), weight: 2 },
        { arbitrary: fc.constantFrom(...pieces), weight: 1 }
      ),
      { minLength: 1, maxLength: 5 }
    )
    const payload = fc.oneof(
      fc.shuffledSubarray(CANARY_PAYLOADS, { minLength: 1 }).map(parts => parts.join('')),
      // Only a name with a subscript: arithmetic that reads it whole runs the $(…) in it.
      fc.constant('a[$(touch CANARY)]'),
      // What declare reads as an array assignment (a second $(…) closes x=\( … ).
      fc.constantFrom('($(touch CANARY))', '$(touch CANARY))')
    )
    fc.assert(
      fc.property(templates, payload, (parts, value) => {
        const text = parts.join('')
        // A blank template runs each item as the command, on purpose.
        if (text.trim() === '') return
        tried++
        const hit = Object.values(classes).filter(({ fragments }) =>
          parts.some(part => fragments.includes(part))
        )
        for (const counts of hit) counts.tried++
        let template: CommandTemplate
        try {
          template = CommandTemplate.parse(text, shell)
        } catch (error) {
          if (error instanceof TemplateError) return
          throw error
        }
        accepted++
        for (const counts of hit) counts.accepted++
        // $t1 would run the canary as a command, and $a1 in arithmetic (bash): numbers that
        // run into $t or a make them.
        const result = run(template.render(value, 1, 1), undefined, {
          t1: 'touch CANARY',
          a1: 'b[$(touch CANARY)]'
        })
        // Only the canary counts: a template may itself write files, as ` >&echo` does.
        const ranPayload = leftovers().includes('CANARY')
        expect({ text, ranPayload }).toEqual({ text, ranPayload: false })
        expect(result.status).not.toBeNull() // not killed by the timeout
      }),
      { seed: 42, numRuns: 8000 }
    )
    // Many random templates are rejected; enough must run for this to mean something.
    expect(accepted).toBeGreaterThan(200)
    const counts = Object.entries(classes).map(
      ([name, counts]) => `${name} fragments in ${counts.tried} (${counts.accepted} accepted)`
    )
    console.log(`${shell}: ${tried} random templates, ${accepted} accepted; ${counts.join(', ')}`)
    for (const counts of Object.values(classes)) {
      expect(counts.tried).toBeGreaterThan(1000)
      expect(counts.accepted).toBeGreaterThan(10)
    }
  })
})

describe('with no shell', () => {
  const template = CommandTemplate.parse(
    `printf '%s\\0' {} pre{}post '{}' "{}" x'{}'"{}"y "a\\"{}\\\\" {#}`,
    Shell.None
  )

  it('passes any value as exactly one argument', () => {
    fc.assert(
      fc.property(fc.oneof(hostileValue, anyValue), value => {
        const command = template.render(value, 7, 1)
        const v = received(value)
        expect(printed(command)).toEqual([v, `pre${v}post`, v, v, `x${v}${v}y`, `a"${v}\\`, '7'])
        expect(leftovers()).toEqual([])
      }),
      { seed: 42, numRuns: 150 }
    )
  })

  it('displays a command that a shell runs with the same arguments', () => {
    fc.assert(
      fc.property(fc.oneof(hostileValue, anyValue), value => {
        const command = template.render(value, 7, 1)
        const viaShell = printed({ file: 'sh', args: ['-c', command.display], display: '' })
        expect(viaShell).toEqual(printed(command))
      }),
      { seed: 42, numRuns: 50 }
    )
  })
})

describe('constructs that run as intended', () => {
  // Each template prints the item once per line; the item is hostile.
  const item = `it's "$(touch CANARY)" \`touch CANARY\` $HOME \\ ; #`
  it.each([
    [Shell.Bash, 'echo {}'],
    [Shell.Sh, "x=$(case {} in *) printf '%s\\n' {};; esac)\nprintf '%s\\n' \"$x\""],
    [Shell.Sh, 'f () {\n  case "$1" in\n    (*) printf \'%s\\n\' "$1" ;;\n  esac\n}\nf {}'],
    [Shell.Bash, 'function f { case "$1" in *) echo "$1";; esac; }; f "{}"'],
    [Shell.Sh, "cat <<-EOF >/dev/null\n\tx\n\tEOF\nprintf '%s\\n' {}"],
    [Shell.Sh, "cat <<EOF |\nline {#}\nEOF\nsed -n 's/^line //p' >/dev/null\nprintf '%s\\n' {}"],
    [Shell.Bash, 'if [[ {} == *touch* ]]; then echo "{}"; fi'],
    [Shell.Bash, '{ time -p echo {}; } 2>/dev/null'],
    [Shell.Sh, "printf '%s\\n' {} | while IFS= read -r line; do printf '%s\\n' \"$line\"; done"],
    [Shell.Sh, "printf '%s\\n' \\\n  {}"],
    [Shell.Bash, 'items=({} x); echo "${items[0]}"'],
    [Shell.Sh, "awk 'BEGIN { print ARGV[1] }' {}"]
  ])('%s: %j', (shell, template) => {
    leftovers()
    const result = run(render(template, item, shell, 4))
    expect(result.stderr).toBe('')
    expect(result.stdout.toString()).toBe(`${item}\n`)
    expect(leftovers()).toEqual([])
  })
})

describe('reproductions from the security review', () => {
  // Each runs in the real shell what the template used to render to (so the reproduction is known
  // to run the canary), then checks that the template is now refused with a message that names
  // the placeholder, its line and column, and what to write instead.
  const nameItem = 'a[$(touch CANARY)]'
  const codeItem = '$(touch CANARY)'
  function runScript(shell: Shell, script: string): void {
    const file = shell === Shell.Bash ? 'bash' : 'sh'
    const options = shell === Shell.Bash ? ['--noprofile', '--norc'] : []
    run({ file, args: [...options, '-c', script], display: script })
  }

  beforeEach(() => {
    leftovers()
  })

  it.each([
    // 1. >&word, where word is not a number, is &>word in bash, which expands word again.
    [
      Shell.Bash,
      'echo hello >&{}.log',
      'build$(touch CANARY)',
      "echo hello >&'build$(touch CANARY)'.log",
      'Placeholder {} (line 1, column 14) is in the word after >&, which bash reads a second time when it is not a file descriptor number, so its value could run as code. To write to a file, write >{} (and 2>&1 after it for both outputs).'
    ],
    [
      Shell.Bash,
      'echo hello >& "{}"',
      'build$(touch CANARY)',
      `echo hello >& ""'build$(touch CANARY)'""`,
      /^Placeholder \{\} \(line 1, column 16\) is in the word after >&/
    ],
    [
      Shell.Bash,
      'echo hello >&x{}',
      'build$(touch CANARY)',
      "echo hello >&x'build$(touch CANARY)'",
      /^Placeholder \{\} \(line 1, column 15\) is in the word after >&/
    ],
    // 2. Builtins that take a value as a variable name (a subscript is arithmetic), or evaluate it.
    [
      Shell.Bash,
      'declare -i n={}',
      nameItem,
      `declare -i n='${nameItem}'`,
      'Placeholder {} (line 1, column 14) is an argument of declare -i, which makes bash evaluate the values assigned as arithmetic, so its value could run as code. Assign it without attributes first (value={}) and check it before giving it any.'
    ],
    [
      Shell.Bash,
      'typeset -i x; x={}',
      nameItem,
      `typeset -i x; x='${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 17\) is in a template that gives a variable the integer or nameref attribute \(typeset -i at line 1, column 9\)/
    ],
    [
      Shell.Bash,
      '[ -v {} ]',
      nameItem,
      `[ -v '${nameItem}' ]`,
      'Placeholder {} (line 1, column 6) is the operand of -v in [ … ], which makes bash take it as a variable name and evaluate a subscript in it (name[…]) as arithmetic, so its value could run as code. Test a fixed variable name instead, or compare the value as a string ([ {} = … ]).'
    ],
    [
      Shell.Bash,
      'test -v {}',
      nameItem,
      `test -v '${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 9\) is the operand of -v in test/
    ],
    [
      Shell.Bash,
      'printf -v {} x',
      nameItem,
      `printf -v '${nameItem}' x`,
      'Placeholder {} (line 1, column 11) is the variable name after printf -v, where bash evaluates a subscript (name[…]) as arithmetic, so its value could run as code. Use a fixed variable name.'
    ],
    [
      Shell.Bash,
      'printf {} x',
      `-v${nameItem}`,
      `printf '-v${nameItem}' x`,
      /^Placeholder \{\} \(line 1, column 8\) is where printf reads its options/
    ],
    [
      Shell.Bash,
      'read {} <<< x',
      nameItem,
      `read '${nameItem}' <<< x`,
      'Placeholder {} (line 1, column 6) is an argument of read, which can take it as a variable name, and bash evaluates a subscript in a name (name[…]) as arithmetic, so its value could run as code. Read into a fixed variable name instead (read -r line <<< {}).'
    ],
    [
      Shell.Bash,
      'declare {}=1',
      nameItem,
      `declare '${nameItem}'=1`,
      /^Placeholder \{\} \(line 1, column 9\) is where declare reads its options and variable names: .* Put it only after the = of an assignment \(declare name=\{\}\)\.$/
    ],
    [
      Shell.Bash,
      'declare -n r={}; : "$r"',
      nameItem,
      `declare -n r='${nameItem}'; : "$r"`,
      /^Placeholder \{\} \(line 1, column 14\) is an argument of declare -n/
    ],
    [
      Shell.Bash,
      'declare -a x={}',
      '([$(touch CANARY)]=1)',
      `declare -a x='([$(touch CANARY)]=1)'`,
      /^Placeholder \{\} \(line 1, column 14\) is an argument of declare -a/
    ],
    [
      Shell.Bash,
      'a=(1); unset {}',
      nameItem,
      `a=(1); unset '${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 14\) is an argument of unset/
    ],
    [
      Shell.Bash,
      'builtin let n={}',
      nameItem,
      `builtin let n='${nameItem}'`,
      'Placeholder {} (line 1, column 15) is an argument of let, which evaluates it as arithmetic, so its value could run as code. Assign it to a variable first (n={}) and check that it is a number.'
    ],
    [
      Shell.Bash,
      '\\let {}',
      nameItem,
      `\\let '${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 6\) is an argument of let/
    ],
    [
      Shell.Bash,
      'command let {}',
      nameItem,
      `command let '${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 13\) is an argument of let/
    ],
    [
      Shell.Bash,
      'x=1 let {}',
      nameItem,
      `x=1 let '${nameItem}'`,
      /^Placeholder \{\} \(line 1, column 9\) is an argument of let/
    ],
    [
      Shell.Sh,
      "trap 'echo {}' EXIT",
      codeItem,
      `trap 'echo ${codeItem}' EXIT`,
      `Placeholder {} (line 1, column 12) is an argument of trap, which evaluates its arguments as shell code, so its value would run as code. Assign it to a variable first (value={}) and use "$value" in the code, in double quotes.`
    ],
    [
      Shell.Sh,
      'eval echo {}',
      codeItem,
      `eval echo '${codeItem}'`,
      /^Placeholder \{\} \(line 1, column 11\) is an argument of eval/
    ],
    // 3. Here-documents that dash ends elsewhere than bash, and [[ in dash.
    [
      Shell.Sh,
      'cat <<EOF\nEO\\\nF\nprintf "%s\\n" {}\nEOF',
      codeItem,
      `cat <<EOF\nEO\\\nF\nprintf "%s\\n" '${codeItem}'\nEOF`,
      "A line of here-document <<EOF ends with a backslash that joins it to the next, and the lines could read as its delimiter EOF: bash and dash disagree on where the body ends. Remove the backslash, quote the delimiter (<<'EOF') or use shell: bash (line 2, column 1)."
    ],
    [
      Shell.Sh,
      '(cat <<EOF\n$(echo\nEOF\n)\necho {} (\nEOF\n)',
      codeItem,
      `(cat <<EOF\n$(echo\nEOF\n)\necho '${codeItem}' (\nEOF\n)`,
      'Unterminated $(…) command substitution in the body of here-document <<EOF: close it before the line EOF, where bash ends the body while dash would read on (line 2, column 1).'
    ],
    [
      Shell.Sh,
      '[[ x << EOF ]]\necho {}\nEOF',
      codeItem,
      `[[ x << EOF ]]\necho '${codeItem}'\nEOF`,
      '`[[ … ]]` is bash syntax: dash runs `[[` as a command and reads the rest of the line differently (a `<<` there starts a here-document). Use [ … ] or test, or shell: bash (line 1, column 1).'
    ],
    // A value that runs as the command itself, through an unquoted $(…) in the command's name.
    [
      Shell.Sh,
      '$(echo {}) x',
      'touch CANARY',
      "$(echo 'touch CANARY') x",
      /^Placeholder \{\} \(line 1, column 8\) is inside an unquoted substitution that makes the command's name/
    ]
  ])('%s: %j is refused', (shell, template, item, oldScript, message) => {
    runScript(shell, oldScript)
    expect(leftovers()).toContain('CANARY')
    if (typeof message === 'string') expect(parseError(template, shell)).toBe(message)
    else expect(parseError(template, shell)).toMatch(message)
    expect(leftovers()).toEqual([])
  })

  // 6. Operators inside the ( … ) of [[ … ]], and variables bash evaluates when assigned.
  it.each([
    [
      'if [[ ( {} -gt 5 ) ]]; then echo big; fi',
      /^Placeholder \{\} \(line 1, column 9\) is inside \[\[ … \]\] with -gt/
    ],
    [
      '[[ -f x || ( 1 -eq {} ) ]]',
      /^Placeholder \{\} \(line 1, column 20\) is inside \[\[ … \]\] with -eq/
    ],
    ['[[ ! ( -v {} ) ]]', /^Placeholder \{\} \(line 1, column 11\) is inside \[\[ … \]\] with -v/],
    [
      '[[ ( $(printf %s {}) -eq 1 ) ]]',
      /^Placeholder \{\} \(line 1, column 18\) is inside \[\[ … \]\] with -eq/
    ],
    ['OPTIND={}', /^Placeholder \{\} \(line 1, column 8\) is in a template that assigns OPTIND /],
    ['RANDOM={}', /^Placeholder \{\} \(line 1, column 8\) is in a template that assigns RANDOM /],
    [
      'export OPTIND={}',
      /^Placeholder \{\} \(line 1, column 15\) is in a template that assigns OPTIND /
    ],
    [
      'for OPTIND in {}; do :; done',
      /assigns OPTIND a value that is not fixed text \(for OPTIND at/
    ],
    ['read OPTIND <<< {}', /assigns OPTIND a value that is not fixed text \(read OPTIND at/],
    ['printf -v OPTIND %s {}', /assigns OPTIND a value that is not fixed text \(printf -v OPTIND/],
    ['SRANDOM={}', /assigns SRANDOM a value that is not fixed text \(SRANDOM=… at/],
    ['HISTCMD={}', /assigns HISTCMD a value that is not fixed text/],
    ['declare SECONDS=x{}', /assigns SECONDS a value that is not fixed text/],
    ['BASHPID+={}', /assigns BASHPID a value that is not fixed text/]
  ])('bash: %j is refused', (template, message) => {
    runScript(Shell.Bash, template.replaceAll('{}', `'${nameItem}'`))
    expect(leftovers()).toContain('CANARY')
    expect(parseError(template, Shell.Bash)).toMatch(message)
    expect(leftovers()).toEqual([])
  })

  it.each([
    [Shell.Bash, 'if(eval {}); then :; fi', 9],
    [Shell.Sh, 'if(eval {}); then :; fi', 9],
    [Shell.Sh, '!(eval {})', 8],
    [Shell.Bash, '{(eval {}); }', 8],
    [Shell.Sh, 'while(eval {}); do break; done', 12]
  ])('%s: %j, a reserved word glued to (, is refused', (shell, template, column) => {
    runScript(shell, template.replaceAll('{}', `'${codeItem}'`))
    expect(leftovers()).toContain('CANARY')
    expect(parseError(template, shell)).toMatch(
      new RegExp(String.raw`^Placeholder \{\} \(line 1, column ${column}\) is an argument of eval`)
    )
  })

  it('bash: [[(…)]] and for((…)), a reserved word glued to (, are refused', () => {
    for (const template of ['[[(1 -eq {})]]', 'for((i=0;i<{};i++)); do :; done']) {
      runScript(Shell.Bash, template.replaceAll('{}', `'${nameItem}'`))
      expect(leftovers()).toContain('CANARY')
      expect(parseError(template)).toMatch(
        /^Placeholder \{\} \(line 1, column \d+\) is inside (\[\[ … \]\] with -eq|arithmetic \(\(…\)\))/
      )
    }
    expect(leftovers()).toEqual([])
  })

  it('refuses such a variable assigned before a command, which bash as sh evaluates', () => {
    // bash in POSIX mode (sh on macOS) keeps assignments before special builtins such as `:`.
    const template = 'OPTIND={} :'
    const oldScript = template.replaceAll('{}', `'${nameItem}'`)
    run({ file: 'bash', args: ['--posix', '-c', oldScript], display: oldScript })
    expect(leftovers()).toContain('CANARY')
    for (const shell of [Shell.Bash, Shell.Sh]) {
      expect(parseError(template, shell)).toMatch(
        /^Placeholder \{\} \(line 1, column 8\) is in a template that assigns OPTIND a value that is not fixed text \(OPTIND=… at line 1, column 1\)/
      )
    }
  })

  it('no longer points [[ -v ]] at [ -v ]', () => {
    const message = parseError('[[ -v {} ]]')
    expect(message).toMatch(/^Placeholder \{\} \(line 1, column 7\) is inside \[\[ … \]\] with -v/)
    expect(message).not.toMatch(/\[ … \] or test/)
    expect(parseError('builtin alias e=echo')).toBe(
      'Aliases can change how the rest of the command is read; use a function instead (line 1, column 9).'
    )
  })

  it.each([Shell.Bash, Shell.Sh])(
    '%s: quotes numbers that would run into the text around them',
    shell => {
      // 4. "$out{#}.txt" read $out1; a number before \<newline>> became a file descriptor.
      const environment = { out: 'base', out1: 'WRONG', t1: 'touch CANARY' }
      const runs = (template: string, seq: number): string => {
        const result = run(render(template, 'x', shell, seq), undefined, environment)
        expect(result.stderr).toBe('')
        return result.stdout.toString()
      }
      expect(runs('echo "$out{#}.txt" $out{#}', 1)).toBe('base1.txt base1\n')
      expect(runs('echo {#}\\\n>f; cat f', 1)).toBe('1\n')
      expect(script('echo "$out{#}.txt"', 'x', shell)).toBe(`echo "$out"'1'".txt"`)
      // $t1 would run the canary; now the number is quoted and the command is 1, not found.
      expect(run(render('$t{#}', 'x', shell), undefined, environment).status).toBe(127)
      expect(leftovers()).toEqual(['f'])
      expect(parseError('echo `echo {#}>f`', shell)).toBe(
        'Placeholder {#} (line 1, column 12) is a number, and its digits before > would be read as the file descriptor of a redirection; it cannot be quoted here. Separate it from the text around it (write ${name} for a variable, or add a space), or assign it to a variable first (n=…) and use that.'
      )
    }
  )

  it('splits shell-less commands only where a POSIX shell would', () => {
    // 5. U+00A0 and U+2028 are not blanks; and {} after $ is a placeholder without a shell.
    const item = 'v'
    expect(words("printf '%s\\0' a\u00a0b c\u2028d e\rf", item)).toEqual([
      'printf',
      '%s\\0',
      'a\u00a0b',
      'c\u2028d',
      'e\rf'
    ])
    expect(words('echo x${}y #{}', item)).toEqual(['echo', 'x$vy', '#v'])
    expect(printed(render(`printf '%s\\0' x\${}y a\u00a0{}`, 'it', Shell.None))).toEqual([
      'x$ity',
      'a\u00a0it'
    ])
  })
})

describe('reproductions from the second security review', () => {
  // Each runs the script the template used to render to in the real shell, to show that it runs
  // the canary, then checks that the template is now refused, naming the placeholder.
  const nameItem = 'a[$(touch CANARY)]'
  const codeItem = '$(touch CANARY)'
  const arrayItem = '($(touch CANARY))'
  /** What the template rendered to for a value without single quotes, all placeholders bare. */
  const bare = (template: string, item: string): string => template.replaceAll('{}', `'${item}'`)
  function runs(runner: 'bash' | 'bash --posix' | 'dash', script: string): boolean {
    const [file, ...options] = runner.split(' ') as [string, ...string[]]
    run({ file, args: [...options, '-c', script], display: script })
    return leftovers().includes('CANARY')
  }

  /** runs('bash', …) as a user other than root, for whom bash reads PS4 from the environment. */
  function runsUnprivileged(script: string): boolean {
    if (process.getuid?.() !== 0) return runs('bash', script)
    const user = ['--reuid=65534', '--regid=65534', '--clear-groups']
    chmodSync(workDirectory, 0o777)
    try {
      run({ file: 'setpriv', args: [...user, 'bash', '-c', script], display: script })
      return leftovers().includes('CANARY')
    } finally {
      chmodSync(workDirectory, 0o700)
    }
  }
  beforeEach(() => {
    leftovers()
  })

  // A1: bash reads `--` after `time` or `time -p` as part of `time`; the next word still starts
  // the command, so reserved words there count.
  it.each([
    ['time -- [[ {} -eq 1 ]]', /is inside \[\[ … \]\] with -eq/],
    ['time -p -- [[ {} -eq 1 ]]', /is inside \[\[ … \]\] with -eq/],
    ['! time -- [[ {} -eq 1 ]]', /is inside \[\[ … \]\] with -eq/],
    ['time -p -- ! [[ {} -eq 1 ]]', /is inside \[\[ … \]\] with -eq/],
    ['time -- [[ -v {} ]]', /is inside \[\[ … \]\] with -v/],
    ['time -- if [[ {} -eq 1 ]]; then :; fi', /is inside \[\[ … \]\] with -eq/],
    ['time -- function f { [[ {} -lt 1 ]]; }; f', /is inside \[\[ … \]\] with -lt/],
    ['time -- ( [[ {} -lt 1 ]] )', /is inside \[\[ … \]\] with -lt/],
    ['time -- time -- [[ {} -eq 1 ]]', /is inside \[\[ … \]\] with -eq/],
    // and the body of `function NAME ()`, with the parentheses apart from the name
    ['function f () [[ {} -eq 1 ]]; f', /is inside \[\[ … \]\] with -eq/],
    ['time -- for OPTIND in {}; do :; done', /assigns OPTIND a value that is not fixed text/],
    [
      'time -- select RANDOM in {}; do break; done <<< 1',
      /assigns RANDOM a value that is not fixed text/
    ]
  ])('bash: %j is refused', (template, message) => {
    expect(runs('bash', bare(template, nameItem))).toBe(true)
    expect(parseError(template)).toMatch(/^Placeholder \{\} \(line 1, column \d+\) /)
    expect(parseError(template)).toMatch(message)
  })

  // After the end of a compound command, and after a loop's variable, bash and dash still read
  // reserved words: the next word starts a command.
  it.each([
    [Shell.Sh, 'if ( : ) then eval {}; fi'],
    [Shell.Sh, 'if { :; } then eval {}; fi'],
    [Shell.Sh, 'set -- 1; for x do eval {}; done'],
    [Shell.Sh, 'if case x in x) ;; esac then eval {}; fi'],
    [Shell.Sh, 'if while false; do :; done then eval {}; fi'],
    [Shell.Sh, 'if if true; then :; fi then eval {}; fi'],
    [Shell.Bash, 'if [[ 1 ]] then eval {}; fi'],
    [Shell.Bash, 'if ((1)) then eval {}; fi'],
    [Shell.Bash, 'for ((i=0;i<1;i++)) { eval {}; }'],
    [Shell.Bash, 'for ((i=0;i<1;i++)) do eval {}; done'],
    [Shell.Bash, 'while ((i++<1)) do eval {}; done']
  ])('%s: %j is refused', (shell, template) => {
    expect(runs(shell === Shell.Sh ? 'dash' : 'bash', bare(template, 'touch CANARY'))).toBe(true)
    expect(parseError(template, shell)).toMatch(
      /^Placeholder \{\} \(line 1, column \d+\) is an argument of eval/
    )
  })

  it('sh: a reserved word after time -- is refused, as after time', () => {
    for (const template of ['time -- [[ {} -eq 1 ]]', 'time -p -- for x in {}; do :; done']) {
      expect(parseError(template, Shell.Sh)).toMatch(
        /time is a reserved word in bash but a command/
      )
    }
    // Still words where bash reads them as such: -p after --, a quoted --, a second -p.
    for (const template of ['time -- -p {}', "time '--' {}", 'time -p -p {}', 'time -- echo {}']) {
      expect(script(template, nameItem)).toBe(bare(template, nameItem))
      expect(runs('bash', bare(template, nameItem))).toBe(false)
    }
  })

  // A2: for a variable that already is an array, declare, typeset and local read a value that
  // looks like (…), even quoted, as an array assignment and expand it again.
  it.each([
    ['x=(); declare x={}', bare('x=(); declare x={}', arrayItem)],
    ['declare -a x; declare x={}', bare('declare -a x; declare x={}', arrayItem)],
    ['x[0]=1; declare x={}', bare('x[0]=1; declare x={}', arrayItem)],
    [
      'mapfile -t x </dev/null; declare x={}',
      bare('mapfile -t x </dev/null; declare x={}', arrayItem)
    ],
    ['x=(); typeset x={}', bare('x=(); typeset x={}', arrayItem)],
    ['x=(); declare -g x={}', bare('x=(); declare -g x={}', arrayItem)],
    ['x=(); declare x+={}', bare('x=(); declare x+={}', arrayItem)],
    ['f(){ local -a x; local x={}; }; f', bare('f(){ local -a x; local x={}; }; f', arrayItem)],
    ['x=(); declare x="{}"', `x=(); declare x=""'${arrayItem}'""`],
    ['x=(); declare x="$(printf %s {})"', `x=(); declare x="$(printf %s '${arrayItem}')"`],
    ['x=(); declare x=\\({}', `x=(); declare x=\\('$(touch CANARY))'`]
  ])('bash: %j is refused', (template, oldScript) => {
    expect(runs('bash', oldScript)).toBe(true)
    expect(parseError(template)).toMatch(
      /^Placeholder \{\} \(line 1, column \d+\) starts the value of an assignment in .*: when the variable already is an array, bash's (declare|typeset|local) reads a value that looks like \(…\) as an array assignment/
    )
  })

  // A command named when it runs could be declare (or eval): no item among its arguments at all.
  it('bash: "x=(); d=declare; $d x={}" is refused', () => {
    expect(runs('bash', bare('x=(); d=declare; $d x={}', arrayItem))).toBe(true)
    expect(parseError('x=(); d=declare; $d x={}')).toMatch(
      /^Placeholder \{\} \(line 1, column 23\) is an argument of a command whose name is only known when it runs \(\$d\)/
    )
  })

  // and where the template makes the variable an array in other ways, or bash makes it one
  it.each([
    'x=(); f(){ declare -g x={}; }; f',
    'declare -A x; declare x={}',
    'read -ra x <<< "a b"; declare x={}',
    'readarray x </dev/null; declare x={}',
    'mapfile </dev/null; declare MAPFILE={}',
    'declare DIRSTACK={}',
    'declare BASH_ALIASES={}',
    'x=(); declare -r x={}',
    'n=x; declare -a "$n"; declare x={}'
  ])('bash: %j, whose variable is an array, is refused', template => {
    expect(runs('bash', bare(template, arrayItem))).toBe(true)
    expect(parseError(template)).toMatch(/starts the value of an assignment in declare: when/)
  })

  it('bash: a declaration of a variable that is no array takes the value as data', () => {
    for (const template of [
      'declare -r name={}; printf %s "$name"',
      'declare -r name="{}"; printf %s "$name"',
      'f() { local x="{}"; printf %s "$x"; }; f',
      'f() { local x={}; printf %s "$x"; }; f',
      'typeset t="{}"; printf %s "$t"'
    ]) {
      const rendered = script(template, arrayItem)
      expect(runs('bash', rendered)).toBe(false)
      const result = run({ file: 'bash', args: ['-c', rendered], display: rendered })
      expect(result.stdout.toString()).toBe(arrayItem)
    }
  })

  it('bash: export, readonly and fixed text before the value are not read as arrays', () => {
    for (const template of [
      'x=(); export x={}',
      'x=(); readonly x={}',
      'x=(); declare x=a{}',
      'x=(); declare x=( {} )'
    ]) {
      expect(runs('bash', script(template, arrayItem))).toBe(false)
    }
  })

  // A3: variables bash (or a shell it starts) expands again, command substitutions included.
  it.each([
    ['bash', Shell.Bash, 'PS4="+[{}] "; set -x; true', `PS4="+["'${codeItem}'"] "; set -x; true`],
    ['bash', Shell.Bash, 'read -r PS4 <<< {}; set -x; :', undefined],
    ['bash --posix', Shell.Sh, 'PS4={}; set -o xtrace; :', undefined],
    ['bash', Shell.Bash, 'BASH_ENV={} bash -c :', undefined],
    ['dash', Shell.Sh, 'env BASH_ENV={} bash -c :', undefined],
    ['dash', Shell.Sh, 'export ENV={}; sh -i -c :', undefined],
    ['bash', Shell.Bash, 'PS0={} bash -i <<< :', undefined],
    ['bash', Shell.Bash, 'PS2={} bash -i <<< "echo \\\\"', undefined]
  ] as const)('%s (%s): %j is refused', (runner, shell, template, oldScript) => {
    expect(runs(runner, oldScript ?? bare(template, codeItem))).toBe(true)
    expect(parseError(template, shell)).toMatch(
      /^Placeholder \{\} \(line 1, column \d+\) is in a template that assigns (PS0|PS2|PS4|BASH_ENV|ENV) a value that is not fixed text .* where \$\(…\) in the value runs as a command/
    )
  })

  // env and the like put a NAME=value argument in a program's environment, however the word is
  // quoted and whichever command runs env.
  it.each([
    ['env "BASH_ENV={}" bash -c :', `env "BASH_ENV="'${'$(touch CANARY)'}'"" bash -c :`],
    ["env 'BASH_ENV'={} bash -c :", undefined],
    ['/usr/bin/env BASH_ENV={} bash -c :', undefined],
    ['exec env BASH_ENV={} bash -c :', undefined],
    ['nice env BASH_ENV={} bash -c :', undefined],
    ['timeout 5 env BASH_ENV={} bash -c :', undefined],
    ['nohup env BASH_ENV={} bash -c : 2>/dev/null', undefined],
    ["printf '%s\\0' x | xargs -0 env BASH_ENV={} bash -c :", undefined],
    ['env "PS4"={} bash -xc : 2>/dev/null', undefined],
    ['env PS4\\={} bash -xc : 2>/dev/null', undefined],
    ['env P"S4"={} bash -xc : 2>/dev/null', undefined],
    ['nice env PS4={} bash -xc : 2>/dev/null', undefined],
    ['setpriv env PS4={} bash -xc : 2>/dev/null', undefined]
  ] as const)('bash: %j is refused', (template, oldScript) => {
    expect(runsUnprivileged(oldScript ?? bare(template, codeItem))).toBe(true)
    expect(parseError(template)).toMatch(
      /^Placeholder \{\} \(line 1, column \d+\) is in a template that assigns (PS4|BASH_ENV) a value that is not fixed text \((\S*env|nice|exec|timeout|nohup|xargs|setpriv) /
    )
  })

  it('bash: PROMPT_COMMAND from an item is refused, fixed prompts are fine', () => {
    const template = 'PROMPT_COMMAND={} bash -i <<< :'
    expect(runs('bash', bare(template, 'touch CANARY'))).toBe(true)
    expect(parseError(template)).toMatch(/assigns PROMPT_COMMAND a value that is not fixed text/)
    for (const fixed of [`PS4='+ $LINENO '; set -x; echo {}`, 'TIMEFORMAT={}; time :']) {
      expect(runs('bash', script(fixed, codeItem))).toBe(false)
    }
  })

  // A4: attributes given where the lexer does not read commands: in code strings, and by
  // commands whose name is not fixed text.
  it.each([
    ["eval 'declare -i n'; n={}", 'declare -i'],
    ['eval declare -i x; x={}', 'declare -i'],
    ["eval 'de''clare -i x'; x={}", 'declare -i'],
    ["trap 'declare -gi x' DEBUG; x={}", 'declare -gi'],
    [". /dev/stdin <<< 'declare -i x'; x={}", 'declare -i'],
    ["mapfile -t -C 'declare -gi x; :' -c 1 a <<< 1; x={}", 'declare -gi'],
    ["$'declare' -i x; x={}", "$'declare' -i"],
    ['d=declare; $d -i x; x={}', '$d -i'],
    ['${d:-declare} -i x; x={}', '${d:-declare} -i'],
    ['$(echo declare) -i x; x={}', '$(echo declare) -i']
  ])('bash: %j is refused', (template, spelling) => {
    expect(runs('bash', bare(template, nameItem))).toBe(true)
    expect(parseError(template)).toMatch(
      /^Placeholder \{\} \(line 1, column \d+\) is in a template that gives a variable the integer or nameref attribute \(/
    )
    expect(parseError(template)).toContain(`(${spelling} at line 1, column `)
  })
})
