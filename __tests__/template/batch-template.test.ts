import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Shell } from '../../src/model/shell.js'
import type { Item } from '../../src/model/item.js'
import {
  CommandTemplate,
  PlaceholderError,
  type RenderedCommand,
  TemplateError
} from '../../src/template/template.js'
import {
  anyValue,
  CANARY_PAYLOADS,
  FUZZ_CONSTRUCTS,
  FUZZ_PIECES,
  hostileValue,
  received,
  SHELL_READING_FRAGMENTS
} from '../helpers/template-fuzz.js'

// Templates rendered for batches of items: each item placeholder becomes one word per item.

const SEED = 20261207

let workDirectory = ''
beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'batch-template-test-'))
})
afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true })
})
beforeEach(() => {
  leftovers()
})

function leftovers(): string[] {
  const files = readdirSync(workDirectory)
  for (const file of files) rmSync(join(workDirectory, file), { recursive: true, force: true })
  return files
}

function run(command: RenderedCommand): { status: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync(command.file, command.args, {
    cwd: workDirectory,
    env: { PATH: process.env.PATH, HOME: workDirectory, LC_ALL: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5000
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString() }
}

/** The NUL-terminated strings a command printed. */
function printed(command: RenderedCommand): string[] {
  const result = run(command)
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return result.stdout.toString('utf8').split('\0').slice(0, -1)
}

function batchError(template: string, shell: Shell): string {
  try {
    CommandTemplate.parse(template, shell, { batch: true })
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError)
    return (error as Error).message
  }
  throw new Error(`Parsed for batches without an error: ${template}`)
}

/** A placeholder's value for one item, as a template for one item renders it. */
function valueFor(placeholder: string, item: Item): string {
  const [value] = CommandTemplate.parse(`x ${placeholder}`, Shell.None).render(item, 1, 1).args
  return value as string
}

/** An item placeholder in each place a batch may expand it; printf prints each word NUL-ended. */
interface BatchCase {
  template: string
  /** What the line prints for the batch's items, its number 7 and slot 2. */
  expected: (items: Item[]) => string[]
  bashOnly?: boolean
}

const each = (placeholder: string, items: Item[]): string[] =>
  items.map(item => received(valueFor(placeholder, item)))

const SCRIPT_CASES: BatchCase[] = [
  { template: `printf '%s\\0' {}`, expected: items => each('{}', items) },
  {
    template: `printf '%s\\0' {.} {/} {//} {/.} -- {#} {%} "x{#}"`,
    expected: items => [
      ...['{.}', '{/}', '{//}', '{/.}'].flatMap(form => each(form, items)),
      '--',
      '7',
      '2',
      'x7'
    ]
  },
  {
    template: `for f in first {} last; do printf '%s\\0' "$f"; done`,
    expected: items => ['first', ...each('{}', items), 'last']
  },
  {
    // Inside $(…) the items are words of the inner command; \x01 ends each, and the outer "…"
    // keeps the whole output one word.
    template: `printf '%s\\0' "$(printf '%s\\001' {})"`,
    expected: items => [each('{}', items).join('\x01') + '\x01']
  },
  {
    template: `f() { printf '%s\\0' "$#" "$@"; }; f {} | cat; echo {} >/dev/null`,
    expected: items => [String(items.length), ...each('{}', items)]
  },
  {
    template: `if true; then printf '%s\\0' {/} 2>/dev/null; fi`,
    expected: items => each('{/}', items)
  },
  {
    template: `cat <(printf '%s\\0' {})`,
    expected: items => each('{}', items),
    bashOnly: true
  }
]

/** Constructs where a batch's items may expand, and near misses, for random templates. */
const BATCH_CONSTRUCTS = [
  ' {} ',
  ' {/} {.} ',
  ' "$(echo {})" ',
  ' $(echo {}) ',
  '\nfor f in {}; do echo "$f"; done\n',
  '\nfor f in x {}\ndo echo "$f"; done\n',
  '\nf() { echo "$@"; }; f {}\n',
  '\nif true; then echo {}; fi\n',
  '\n( echo {} ) | cat\n',
  ' <(echo {}) ',
  '\ncase x in x) echo {};; esac\n',
  '\nx=$(printf %s {})\n',
  ' -- {} ',
  ' 2>/dev/null {} ',
  // near misses, refused
  ' x{} ',
  ' {}= ',
  ' > {} ',
  '\n{} x\n',
  '\ncase {} in *) ;; esac\n',
  '\nx={}\n'
]

/** Hostile texts, and an empty one now and then. */
const itemText = fc.oneof(
  { arbitrary: hostileValue, weight: 4 },
  { arbitrary: anyValue, weight: 2 },
  { arbitrary: fc.constantFrom('', '-n', '--', '*', '{}', '$HOME', 'a b', '日本.ts'), weight: 1 }
)
const batchOf = fc.array(itemText, { minLength: 1, maxLength: 6 })

describe.each([Shell.Bash, Shell.Sh])('a batch with %s', shell => {
  const cases = SCRIPT_CASES.filter(testCase => shell === Shell.Bash || !testCase.bashOnly)
  const template = CommandTemplate.parse(
    cases.map(testCase => testCase.template).join('\n'),
    shell,
    { batch: true }
  )

  it('delivers each item as exactly one word, in order, in every accepted place', () => {
    let batches = 0
    let items = 0
    fc.assert(
      fc.property(batchOf, batch => {
        batches++
        items += batch.length
        const command = template.renderBatch(batch, 7, 2)
        const expected = cases.flatMap(testCase => testCase.expected(batch))
        expect(printed(command)).toEqual(expected)
        expect(leftovers()).toEqual([])
      }),
      { seed: SEED, numRuns: 300 }
    )
    console.log(`${shell}: ${batches} batches of ${items} hostile items ran as words`)
  })

  it('delivers the fields and elements of object and list items one word each', () => {
    const fields = CommandTemplate.parse(`printf '%s\\0' {name} {dir.path} {1}`, shell, {
      batch: true
    })
    const lists = CommandTemplate.parse(`printf '%s\\0' {2} {1/}`, shell, { batch: true })
    fc.assert(
      fc.property(fc.array(fc.tuple(itemText, itemText), { minLength: 1, maxLength: 6 }), pairs => {
        const objects = pairs.map(([name, path]) => ({ name, dir: { path } }))
        expect(() => fields.renderBatch(objects, 1, 1)).toThrow(PlaceholderError)
        const named = CommandTemplate.parse(`printf '%s\\0' {name} {dir.path}`, shell, {
          batch: true
        })
        expect(printed(named.renderBatch(objects, 1, 1))).toEqual([
          ...pairs.map(([name]) => received(name)),
          ...pairs.map(([, path]) => received(path))
        ])
        const elements = pairs.map(([first, second]) => [first, second])
        expect(printed(lists.renderBatch(elements, 1, 1))).toEqual([
          ...each('{2}', elements),
          ...each('{1/}', elements)
        ])
      }),
      { seed: SEED, numRuns: 100 }
    )
  })

  it('runs nothing from the items of a batch inside random templates', () => {
    let tried = 0
    let accepted = 0
    let expanded = 0
    // Templates holding a fragment the shell reads as one word across blanks or line
    // continuations, or a command named when it runs: tried, and accepted and run.
    const reading = { tried: 0, accepted: 0 }
    const templates = fc.array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...FUZZ_CONSTRUCTS), weight: 2 },
        { arbitrary: fc.constantFrom(...BATCH_CONSTRUCTS), weight: 2 },
        { arbitrary: fc.constantFrom(...SHELL_READING_FRAGMENTS), weight: 1 },
        { arbitrary: fc.constantFrom(...FUZZ_PIECES), weight: 1 }
      ),
      { minLength: 1, maxLength: 5 }
    )
    const payloads = fc.oneof(
      fc.array(
        fc.oneof(
          fc.shuffledSubarray(CANARY_PAYLOADS, { minLength: 1 }).map(parts => parts.join('')),
          fc.constantFrom('a[$(touch CANARY)]', '($(touch CANARY))', '-o', '!', '')
        ),
        { minLength: 2, maxLength: 4 }
      ),
      // Items that run only as words of their own where a command name or a value would be.
      fc.constantFrom(
        ['touch', 'CANARY'],
        ['x', 'touch', 'CANARY'],
        ['x', 'touch CANARY'],
        ['n', 'touch', 'CANARY']
      )
    )
    fc.assert(
      fc.property(templates, payloads, (parts, batch) => {
        const text = parts.join('')
        if (text.trim() === '') return
        tried++
        const readsAcross = parts.some(part => SHELL_READING_FRAGMENTS.includes(part))
        if (readsAcross) reading.tried++
        let template: CommandTemplate
        try {
          template = CommandTemplate.parse(text, shell, { batch: true })
        } catch (error) {
          if (error instanceof TemplateError) return
          throw error
        }
        accepted++
        if (readsAcross) reading.accepted++
        const command = template.renderBatch(batch, 1, 1)
        // The template expanded an item placeholder when the batch's command differs from its
        // first item's alone.
        if (command.display !== template.renderBatch(batch.slice(0, 1), 1, 1).display) expanded++
        const result = run(command)
        const ranPayload = leftovers().includes('CANARY')
        expect({ text, ranPayload }).toEqual({ text, ranPayload: false })
        expect(result.status).not.toBeNull()
      }),
      { seed: SEED, numRuns: 3000 }
    )
    console.log(
      `${shell}: ${tried} random templates for batches, ${accepted} accepted and run, ` +
        `${expanded} of them expanding the batch's items; ${reading.tried} held x[ … ]=, ` +
        `x\\⏎=1 or $c fragments (${reading.accepted} accepted)`
    )
    expect(reading.tried).toBeGreaterThan(500)
    expect(expanded).toBeGreaterThan(100)
  })

  it('renders a batch of one exactly as the template renders that item alone', () => {
    let compared = 0
    for (const construct of [...FUZZ_CONSTRUCTS, ...FUZZ_PIECES]) {
      const text = `echo x ${construct}`
      let single: CommandTemplate
      let forBatches: CommandTemplate
      try {
        single = CommandTemplate.parse(text, shell)
        forBatches = CommandTemplate.parse(text, shell, { batch: true })
      } catch (error) {
        if (error instanceof TemplateError) continue
        throw error
      }
      for (const value of ['plain', "it's $(x) `y`", '']) {
        expect(forBatches.renderBatch([value], 7, 2, [7])).toEqual(single.render(value, 7, 2))
        compared++
      }
    }
    console.log(`${shell}: ${compared} renderings of a batch of one compared`)
    expect(compared).toBeGreaterThan(50)
  })
})

describe('a batch with no shell', () => {
  const template = CommandTemplate.parse(`printf '%s\\0' {} "{/}" x{#} {%} '{.}'`, Shell.None, {
    batch: true
  })

  it('passes each item as exactly one argument, in order', () => {
    let batches = 0
    fc.assert(
      fc.property(batchOf, batch => {
        batches++
        const command = template.renderBatch(batch, 7, 2)
        expect(printed(command)).toEqual([
          ...each('{}', batch),
          ...each('{/}', batch),
          'x7',
          '2',
          ...each('{.}', batch)
        ])
        expect(leftovers()).toEqual([])
      }),
      { seed: SEED, numRuns: 200 }
    )
    console.log(`none: ${batches} batches ran as arguments`)
  })

  it('displays a command that a shell runs with the same arguments', () => {
    fc.assert(
      fc.property(batchOf, batch => {
        const command = template.renderBatch(batch, 7, 2)
        const viaShell = printed({ file: 'sh', args: ['-c', command.display], display: '' })
        expect(viaShell).toEqual(printed(command))
      }),
      { seed: SEED, numRuns: 50 }
    )
  })
})

const EXPECTED = 'an argument of a command or a word of for … in, when batch-size is not 1.'

describe('templates refused for batches', () => {
  it('names the placeholder, quotes the word, says why and what works', () => {
    expect(batchError('echo "x{}"', Shell.Bash)).toBe(
      `Placeholder {} (line 1, column 8) is inside double quotes "…" in '"x{}"', where the ` +
        `items of a batch would become one word. Expected {} as a word of its own, ${EXPECTED}`
    )
    expect(batchError('eslint --file={}', Shell.None)).toBe(
      "Placeholder {} (word 2) is part of the word '--file={}', which cannot become one word " +
        'per item of a batch. Expected {} as a word of its own after the program, when ' +
        'batch-size is not 1.'
    )
  })

  // Each refused context, with the words of its reason.
  const refused: [Shell[], string, string][] = [
    [[Shell.Bash, Shell.Sh], `echo "{}"`, 'inside double quotes'],
    [[Shell.Bash, Shell.Sh], `echo '{}'`, "inside single quotes '…' in ''{}''"],
    [[Shell.Bash], `echo $'{}'`, "inside $'…' quotes"],
    [[Shell.Bash, Shell.Sh], `echo "$(cat "{}")"`, 'inside double quotes'],
    [[Shell.Bash, Shell.Sh], 'echo --file={}', "part of the word '--file={}'"],
    [[Shell.Bash, Shell.Sh], 'echo {}.bak', "part of the word '{}.bak'"],
    [[Shell.Bash, Shell.Sh], 'echo {}{}', "part of the word '{}{}'"],
    [[Shell.Bash, Shell.Sh], 'echo $(echo x){}', "part of the word '$(echo x){}'"],
    [[Shell.Bash, Shell.Sh], 'X={} make', "value of the assignment 'X={}'"],
    [[Shell.Bash, Shell.Sh], 'x={}; echo "$x"', "value of the assignment 'x={}'"],
    [[Shell.Bash, Shell.Sh], 'echo x > {}', "target of a redirection in '{}'"],
    [[Shell.Bash, Shell.Sh], 'cat < {}', 'target of a redirection'],
    [[Shell.Bash, Shell.Sh], 'cat 2>{}', 'target of a redirection'],
    [[Shell.Bash, Shell.Sh], '{} --fix', 'names the command to run'],
    [[Shell.Bash, Shell.Sh], 'if {}; then :; fi', 'names the command to run'],
    [[Shell.Bash, Shell.Sh], 'x=1 {}', 'names the command to run'],
    [[Shell.Bash, Shell.Sh], 'echo "$({})"', 'names the command to run'],
    [[Shell.Bash, Shell.Sh], 'case {} in *) ;; esac', 'a word of a case statement'],
    [[Shell.Bash, Shell.Sh], 'case x in {}) ;; esac', 'a word of a case statement'],
    [[Shell.Bash], '[[ -f {} ]]', 'an operand of [[ … ]]'],
    [[Shell.Bash], '[[ ( {} == x ) ]]', 'an operand of [[ … ]]'],
    [[Shell.Bash, Shell.Sh], '[ -f {} ]', 'an operand of [ … ] or test'],
    [[Shell.Bash, Shell.Sh], 'test -n {}', 'an operand of [ … ] or test'],
    [[Shell.Bash], 'files=( {} )', 'inside the parentheses'],
    [[Shell.Bash, Shell.Sh], 'for {} in a; do :; done', "a loop's variable"],
    [[Shell.Bash], 'function {} { :; }', "a function's name"],
    // Refused for any item already, batch or not.
    [[Shell.Bash, Shell.Sh], 'cat <<EOF\n{}\nEOF', 'here-document'],
    [[Shell.Bash, Shell.Sh], 'echo $(( {} ))', 'arithmetic'],
    [[Shell.Bash, Shell.Sh], 'echo `echo {}`', 'backticks'],
    [[Shell.Bash, Shell.Sh], 'echo ${x:-{}}', '${'],
    [[Shell.Bash, Shell.Sh], 'eval {}', 'eval'],
    [[Shell.None], 'echo --file={}', "part of the word '--file={}'"],
    [[Shell.None], "echo 'x'{}", "part of the word 'x{}'"],
    [[Shell.None], '{} --fix', 'names the command to run']
  ]
  it.each(
    refused.flatMap(([shells, template, reason]) => shells.map(shell => [shell, template, reason]))
  )('%s refuses %j', (shell, template, reason) => {
    const message = batchError(template as string, shell as Shell)
    expect(message).toContain(reason as string)
    // The same template for one item at a time is fine unless it is refused for any item.
    if (!/here-document|arithmetic|backticks|\$\{|eval/.test(reason as string)) {
      expect(() => CommandTemplate.parse(template as string, shell as Shell)).not.toThrow()
    }
  })

  it('accepts {#} and {%} anywhere', () => {
    for (const shell of [Shell.Bash, Shell.Sh]) {
      const template = CommandTemplate.parse('echo "x{#}" \'{%}\' > out-{#}.txt', shell, {
        batch: true
      })
      expect(template.renderBatch(['a', 'b'], 3, 2).display).toBe('echo "x3" \'2\' > out-3.txt')
    }
  })

  const accepted: [Shell[], string][] = [
    [[Shell.Bash, Shell.Sh], 'eslint --fix {} "$HOME" {#}'],
    [[Shell.Bash, Shell.Sh], 'for f in {}; do echo "$f"; done'],
    [[Shell.Bash, Shell.Sh], 'echo "$(cat {})" $(cat {}) | wc -l'],
    [[Shell.Bash, Shell.Sh], 'xargs -0 echo {} < /dev/null; echo {} 2>&1'],
    [[Shell.Bash, Shell.Sh], 'f() { echo {}; }; ( echo {} ) && { echo {}; }'],
    [[Shell.Bash, Shell.Sh], "printf '%s\\n' {/} {.} {//} {/.} {1}"],
    [[Shell.Bash], 'diff <(cat {}) <(echo x)'],
    [[Shell.Bash, Shell.Sh], '# a comment with "{}" and x={}\necho {}'],
    [[Shell.None], 'eslint --fix {} "{}" x{#} {%}']
  ]
  it.each(accepted.flatMap(([shells, template]) => shells.map(shell => [shell, template])))(
    '%s accepts %j',
    (shell, template) => {
      const parsed = CommandTemplate.parse(template, shell as Shell, { batch: true })
      expect(parsed.renderBatch(['a', 'b'], 1, 1).display).toContain(
        "'a' 'b'".replaceAll("'", shell === Shell.None ? '' : "'")
      )
    }
  )

  it('refuses to render several items with a template not checked for batches', () => {
    const template = CommandTemplate.parse('echo "{}"', Shell.Bash)
    expect(template.renderBatch(['a'], 3, 1)).toEqual(template.render('a', 3, 1))
    expect(() => template.renderBatch(['a', 'b'], 3, 1)).toThrow('parsed with batch: true')
  })

  it('names the item of a batch a placeholder names nothing in', () => {
    const template = CommandTemplate.parse('echo {name}', Shell.Bash, { batch: true })
    expect(() => template.renderBatch([{ name: 'a' }, { other: 1 }], 3, 1, [5, 9])).toThrow(
      'Placeholder {name} names nothing in item 9 ({"other":1}): the item has no field \'name\'.'
    )
    expect(() => template.renderBatch([{ name: 'a' }, 'x'], 3, 1)).toThrow(
      'Placeholder {name} names nothing in item 2 ("x") of batch 3'
    )
  })
})

const withPwsh = spawnSync('pwsh', ['-Version']).error === undefined ? it : it.skip

describe('a batch with pwsh', () => {
  it('writes each item as a quoted argument of its own', () => {
    const template = CommandTemplate.parse(
      'Write-Output {} -- "n{#}" {/}; & ./tool.ps1 {}',
      Shell.Pwsh,
      { batch: true }
    )
    expect(template.renderBatch(["it's", 'a/$x', '--%', ''], 3, 1).display).toBe(
      "Write-Output 'it''s' 'a/$x' ('--%') '' -- \"n3\" 'it''s' '$x' ('--%') ''; " +
        "& ./tool.ps1 'it''s' 'a/$x' ('--%') ''"
    )
  })

  const refused: [string, string][] = [
    ['Write-Output "x{}"', 'inside double quotes'],
    ["Write-Output 'x{}'", 'inside single quotes'],
    ['Write-Output x{}', "part of the word 'x{}'"],
    ['& {} --fix', "names the command to run in '& {}'"],
    ['. {}', "names the command to run in '. {}'"],
    ['{} --fix', 'starts a statement or reads an expression'],
    ['$files = {}', "reads an expression in '$files = {}'"],
    ['Write-Output a,{}', 'reads an expression'],
    ['Write-Output ({})', 'reads an expression'],
    ['x; {}', 'starts a statement'],
    ['Write-Output x > {}', 'the target of a redirection'],
    ['Write-Output x >{}', 'the target of a redirection'],
    ['Write-Output x 2> {}', 'the target of a redirection'],
    ['Write-Output x *> {}', 'the target of a redirection'],
    ['Write-Output x >> {}', 'the target of a redirection'],
    ['Get-Item -Path:{}', 'the value of a parameter'],
    ['Get-Item -Path: {}', 'the value of a parameter'],
    ['return {}', "follows 'return', where PowerShell reads one expression"],
    ['[void] {}', "follows '[void]'"],
    ['-not {}', "follows '-not'"],
    ['! {}', "follows '!'"],
    ['x; $x {}', "follows '$x'"],
    ['foreach ($f in {}) { $f }', "follows 'foreach (… in …)'"]
  ]
  it.each(refused)('refuses %j', (template, reason) => {
    expect(batchError(template, Shell.Pwsh)).toContain(reason)
  })

  it("reads the neighbours of a placeholder past all of pwsh's whitespace", () => {
    // CharExtensions.IsWhitespace, and a backtick's line continuation.
    const blanks = [
      ' ',
      '\t',
      '\v',
      '\f',
      '\u00a0',
      '\u0085',
      '\u2002',
      '\u3000',
      '\u2028',
      '\u2029'
    ]
    const gaps = [...blanks, ...blanks.map(blank => `${blank}\`\n`), '`\r\n']
    const places = ['&', '.', '$x =', 'Write-Output (', 'x;', 'Write-Output x >', 'Get-Item -Path:']
    let cases = 0
    for (const place of places) {
      for (const gap of gaps) {
        const template = `${place}${gap}{}`
        expect({ template, refused: batchError(template, Shell.Pwsh) !== '' }).toEqual({
          template,
          refused: true
        })
        cases++
      }
    }
    // The same gaps after a word of the command leave an argument.
    for (const gap of gaps) {
      expect(() =>
        CommandTemplate.parse(`Write-Output a${gap}{}`, Shell.Pwsh, { batch: true })
      ).not.toThrow()
    }
    console.log(`pwsh: ${cases} placeholders after whitespace refused`)
  })

  it('says what works instead', () => {
    expect(batchError('$files = {}', Shell.Pwsh)).toBe(
      'Placeholder {} (line 1, column 10) stands where PowerShell starts a statement or reads an ' +
        "expression in '$files = {}', where the items of a batch would not be arguments. " +
        "Expected {} as an argument of its own after the command's name, when batch-size is not 1."
    )
  })

  withPwsh('delivers each item as exactly one argument, in order, when run', () => {
    const template = CommandTemplate.parse(
      'node -e \'for (const a of process.argv.slice(1)) process.stdout.write(a + "\\0")\' {} {#}',
      Shell.Pwsh,
      { batch: true }
    )
    fc.assert(
      fc.property(batchOf, batch => {
        const expected = [...each('{}', batch), '7']
        expect(printed(template.renderBatch(batch, 7, 1))).toEqual(expected)
      }),
      { seed: SEED, numRuns: 50 }
    )
  })
})
