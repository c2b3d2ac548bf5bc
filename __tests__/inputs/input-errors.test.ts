import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs } from '../../src/action/action-yml.js'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { parseItems } from '../../src/inputs/items.js'
import { itemLabel } from '../../src/model/labels.js'
import { prepareRun } from '../../src/plan/prepare.js'

// Every input a bad-input error may be about; each message must name one of them.
const INPUT_NAMES = Object.values(Inputs) as string[]

/** What the action does with its inputs before any command runs: read, check, render. */
async function check(inputs: Record<string, string>, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'input-errors-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  process.env['INPUT_WORKING-DIRECTORY'] = dir
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const { mode, execution } = await getInputs()
  if (mode.kind !== 'items' && mode.kind !== 'tasks')
    throw new Error(`No tasks in ${mode.kind} mode`)
  return prepareRun(mode, execution)
}

afterEach(() => {
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_')) delete process.env[name]
})

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

describe('every bad-input error names its input', () => {
  const cases: [string, Record<string, string>, Record<string, string>, string][] = [
    [
      'a placeholder that names nothing',
      { items: 'a', command: 'echo {nope}' },
      {},
      "Invalid command 'echo {nope}': Placeholder {nope} names nothing in item 1 (\"a\"): the item has no field 'nope' (it is a string)."
    ],
    [
      'a position past the end of an array item',
      { items: '[["a", "b"]]', command: 'echo {3}' },
      {},
      "Invalid command 'echo {3}': Placeholder {3} names nothing in item 1"
    ],
    [
      'a NUL character in a value',
      { items: '["a\\u0000b"]', command: 'echo {}' },
      {},
      'Invalid items: Placeholder {} cannot be used for item 1 ("a\\u0000b"): its value contains a NUL character'
    ],
    [
      'a lone surrogate in a value',
      { items: '["a\\ud800"]', command: 'echo {}' },
      {},
      'Invalid items: Placeholder {} cannot be used for item 1 ("a\\ud800"): its value contains a lone surrogate (\\uD800, half of a UTF-16 pair, with no UTF-8 form), which no command line can carry.'
    ],
    [
      'a lone low surrogate in a field, deep in an object',
      { 'items-file': 'items.jsonl', command: 'echo {a.b}' },
      { 'items.jsonl': '{"a": {"b": "x"}}\n{"a": {"b": "\\udc00y"}}\n' },
      "Invalid items-file 'items.jsonl': Placeholder {a.b} cannot be used for item 2"
    ],
    [
      'a lone surrogate in an item run as a command',
      { items: '["echo \\ud83d"]' },
      {},
      'Invalid items: Item 1 ("echo \\ud83d") cannot be run as a command: it contains a lone surrogate (\\uD83D'
    ],
    [
      'a lone surrogate in PARALLEL_ITEM only',
      { items: '["\\ud800"]', command: 'echo {#}' },
      {},
      'Invalid items: item 1 (\ud800): the item would contain a lone surrogate'
    ],
    [
      'an argument over 128 KiB',
      { items: 'x'.repeat(140_000), command: 'echo {}' },
      {},
      'Invalid items: item 1 (xxx'
    ],
    [
      'an empty program name',
      { items: '[""]', command: '{} x', shell: 'none' },
      {},
      'Invalid items: The command for item 1 ("") has an empty program name.'
    ],
    [
      'JSON nested 5,000 levels deep',
      { items: `[${nested(5000)}]` },
      {},
      "Invalid JSON in input 'items' at line 1, column 1001: arrays and objects nest deeper than 1,000 levels. Expected JSON nested at most 1,000 levels deep."
    ],
    [
      'JSON Lines nested 5,000 levels deep',
      { 'items-file': 'deep.jsonl' },
      { 'deep.jsonl': `{"a": 1}\n{"a": ${nested(5000)}}\n` },
      "deep.jsonl' at line 2, column 1006: arrays and objects nest deeper than 1,000 levels."
    ],
    [
      'a deep JSON file with a syntax error further on',
      { 'items-file': 'deep.json' },
      { 'deep.json': `[${nested(100_000)}` },
      "deep.json' at line 1, column 1001: arrays and objects nest deeper"
    ],
    [
      'two YAML keys naming one task',
      { tasks: '1: echo a\n"1": echo b' },
      {},
      "Invalid tasks: the keys '1' and '\"1\"' both name task '1'. Expected each task name once."
    ],
    [
      'a lone surrogate in a task name',
      { tasks: '"a\\ud800": echo a' },
      {},
      "Invalid tasks: task 'a\ud800': its name contains a lone surrogate"
    ],
    [
      'a NUL character in a task script',
      { tasks: 'a: "echo \\0"' },
      {},
      "Invalid tasks: task 'a': its run contains a NUL character, which no command can be given."
    ],
    [
      'a lone surrogate in a task env value',
      { tasks: 'a:\n  run: echo\n  env:\n    X: "\\udfff"' },
      {},
      "Invalid tasks: task 'a': its env X contains a lone surrogate (\\uDFFF"
    ],
    [
      'a task script with no words, without a shell',
      { tasks: 'a: "  "', shell: 'none' },
      {},
      'Invalid tasks: task \'a\': item 1 ("  ") cannot be run as a command: it has no words.'
    ],
    [
      'a task timeout past what a timer can wait',
      { tasks: 'a:\n  run: echo\n  timeout: 600h' },
      {},
      "Invalid tasks: task 'a' has timeout '600h'. Expected a duration up to 24d"
    ],
    [
      'a total-timeout past what a timer can wait',
      { items: 'a', 'total-timeout': '600h' },
      {},
      "Invalid total-timeout '600h'. Expected a duration up to 24d"
    ],
    [
      'a retry-delay past its cap',
      { items: 'a', 'retry-delay': '1h' },
      {},
      "Invalid retry-delay '1h'. Expected a duration up to 10m"
    ],
    [
      'a summary-title of two lines',
      { items: 'a', 'summary-title': 'lint\ntest' },
      {},
      "Invalid summary-title 'lint⏎test'. Expected one line: the title of the job summary."
    ],
    [
      'a skip-passed that is not a mode',
      { items: 'a', history: 'h.json', 'skip-passed': 'sometimes' },
      {},
      "Invalid skip-passed 'sometimes'. Expected one of: never, rerun, unchanged."
    ],
    [
      'a sources line in the home folder',
      { items: 'a', sources: 'src/**\n~/.npmrc' },
      {},
      "Invalid sources '~/.npmrc': it starts with ~"
    ],
    [
      'a sources line with a . that a glob cannot hold',
      { items: 'a', sources: 'a/[.]/b' },
      {},
      "Invalid sources 'a/[.]/b': its part '[.]' stands for '.', which a glob cannot hold."
    ],
    [
      "a task's sources that only exclude",
      { tasks: 'a:\n  run: echo\n  sources: "!x"' },
      {},
      "Invalid tasks: task 'a' has sources '!x': every line excludes files (!)."
    ],
    [
      'a sources line outside the workspace',
      { items: 'a', sources: '/etc/*' },
      {},
      "Invalid sources '/etc/*': item 1 (a) gives '/etc/*', outside the workspace"
    ],
    [
      'an item that takes a sources line out of the workspace',
      { items: 'a\n/etc', sources: '{}/**' },
      {},
      "Invalid sources '{}/**': item 2 (/etc) gives '/etc/**', outside the workspace"
    ],
    [
      'an item that folds away in a sources line',
      { items: 'a\nb/..', sources: 'pkg/{}/**' },
      {},
      "Invalid items: Placeholder {} cannot be used in a path pattern for item 2 (\"b/..\"): its value 'b/..' has the part '..'"
    ],
    [
      'a sources placeholder that names nothing',
      { items: 'a', sources: '{name}/**' },
      {},
      "Invalid sources '{name}/**': Placeholder {name} names nothing in item 1"
    ],
    [
      "a task's sources outside the workspace",
      { tasks: 'a:\n  run: echo\n  sources: ../x' },
      {},
      "Invalid tasks: task 'a' has sources '../x', outside the workspace"
    ],
    [
      'a batch-size of 0',
      { items: 'a', command: 'echo {}', 'batch-size': '0' },
      {},
      "Invalid batch-size '0'. Expected a whole number of at least 1, or auto."
    ],
    [
      'a memfree without a unit',
      { items: 'a', command: 'echo {}', memfree: '512' },
      {},
      "Invalid memfree '512'. Expected a size such as 512M or 2G (K, M, G or T, counted in 1024s)."
    ],
    [
      "a memfree above the machine's memory",
      { items: 'a', command: 'echo {}', memfree: '1024T' },
      {},
      "Invalid memfree '1024T': this machine has "
    ],
    [
      'a batch command without a placeholder for its items',
      { items: 'a.ts\nb.ts', command: 'npx eslint', 'batch-size': 'auto' },
      {},
      "Invalid command 'npx eslint': with batch-size auto it has no placeholder for the items of a batch, which would not reach it. Expected {} where the items go, e.g. 'npx eslint {}'."
    ],
    [
      'a batch command with only {#} and {%}',
      { items: 'a\nb', command: 'echo {#} {%}', 'batch-size': '2', shell: 'none' },
      {},
      "Invalid command 'echo {#} {%}': with batch-size 2 it has no placeholder for the items of a batch, which would not reach it. Expected {} where the items go, e.g. 'echo {#} {%} {}'."
    ],
    [
      'a matrix dimension that is not a list',
      { matrix: 'os: linux', command: 'echo {os}' },
      {},
      "Invalid matrix: dimension 'os' is a string. Expected a list of values."
    ],
    [
      'a matrix include item that is not a mapping',
      { matrix: 'os: [a]\ninclude: [x]', command: 'echo {os}' },
      {},
      'Invalid matrix: include item 1 is a string. Expected a mapping such as {os: linux, node: 20}.'
    ],
    [
      'a matrix field that a combination lacks',
      { matrix: 'os: [a]\ninclude: [{os: a, extra: x}, {os: b}]', command: 'echo {extra}' },
      {},
      'Invalid command \'echo {extra}\': Placeholder {extra} names nothing in item 2 ({"os":"b"}): the item has no field \'extra\''
    ],
    [
      'a summary-title of blanks',
      { items: 'a', 'summary-title': '   ' },
      {},
      "Invalid summary-title '   '. Expected a title with some text, or none for the step's id."
    ]
  ]

  it.each(cases)('%s', async (_, inputs, files, message) => {
    const error = await check(inputs, files).then(
      () => new Error('no error'),
      (thrown: unknown) => thrown as Error
    )
    expect(error.message).toContain(message)
    const named = new RegExp(
      `^Invalid (JSON (Lines )?in )?(input )?'?(${INPUT_NAMES.join('|')})\\b`
    )
    expect(error.message).toMatch(named)
  })
})

describe('deep items within the limit', () => {
  // The array of items is the first level.
  it('parses, renders and labels an item nested 999 levels deep, in JSON 1,000 deep', async () => {
    const items = parseItems(`[${nested(999)}]`, { input: 'items' })
    expect(JSON.stringify(items[0])).toBe(nested(999))
    expect(itemLabel(items[0] as never, 20)).toBe(`${'['.repeat(19)}…`)
    const plan = await check({ items: `[${nested(999)}]`, command: 'echo {}' })
    expect(plan.prepared[0]?.command.display).toBe(`echo '${nested(999)}'`)
    const lines = await check({ items: `{"a": ${nested(999)}}`, command: 'echo {a}' })
    expect(lines.prepared[0]?.command.display).toBe(`echo '${nested(999)}'`)
  })

  it('refuses the first level past the limit, in arrays and objects', () => {
    expect(() => parseItems(`[${nested(1000)}]`, { input: 'items' })).toThrow(
      "Invalid JSON in input 'items' at line 1, column 1001: arrays and objects nest deeper than 1,000 levels."
    )
    const objects = '{"a":'.repeat(1001) + '1' + '}'.repeat(1001)
    expect(() => parseItems(objects, { input: 'items' })).toThrow(
      "Invalid JSON Lines in input 'items' at line 1, column 5001: arrays and objects nest deeper"
    )
    expect(
      parseItems('{"a":'.repeat(1000) + '1' + '}'.repeat(1000), { input: 'items' })
    ).toHaveLength(1)
  })
})

describe('lone surrogates that reach no command as such', () => {
  it('lets an object with one in a key or value through {} as JSON, escaped as written', async () => {
    const plan = await check({ items: '[{"\\ud800": "\\udc00"}]', command: 'echo {}' })
    expect(plan.prepared[0]?.command.args.at(-1)).toBe(`echo '{"\\ud800":"\\udc00"}'`)
  })

  it('keeps a surrogate pair written as two escapes: one character', async () => {
    const plan = await check({ items: '["\\ud83d\\ude00"]', command: 'echo {}' })
    expect(plan.prepared[0]?.command.args.at(-1)).toBe("echo '😀'")
  })
})

describe('of two bad inputs, the one read first is named', () => {
  // The order inputs are read in, and so which error a user sees first, is part of the contract.
  it.each([
    [{ items: 'a', 'items-file': 'x.json', shell: 'fish' }, "Invalid inputs: both 'items'"],
    [{ 'pull-request': '3', items: 'a', shell: 'fish' }, "Invalid inputs: 'pull-request' is set"],
    [{ items: 'a', shell: 'fish', 'max-workers': '0' }, 'Invalid shell'],
    [{ items: 'a', 'max-workers': '0', 'fail-fast': 'x' }, 'Invalid max-workers'],
    [{ items: 'a', 'fail-fast-mode': 'x', 'stop-on-success': 'x' }, 'Invalid fail-fast-mode'],
    [{ items: 'a', 'total-timeout': 'x', 'dry-run': 'x' }, 'Invalid total-timeout'],
    [{ items: 'a', 'dry-run': 'x', timeout: 'x' }, 'Invalid dry-run'],
    [{ items: 'a', retries: 'x', 'retry-delay': 'x' }, 'Invalid retries'],
    [{ items: 'a', shard: 'x', 'working-directory': '/nonexistent-dir' }, 'Invalid shard'],
    [{ items: 'a', log: 'x', 'workflow-commands': 'x' }, 'Invalid log'],
    [{ items: 'a', 'workflow-commands': 'x', 'if-no-items': 'x' }, 'Invalid workflow-commands'],
    [
      { items: 'a', 'working-directory': '/nonexistent-dir', 'skip-passed': 'x' },
      'Invalid working'
    ],
    [{ items: 'a', 'workflow-commands': 'x', 'skip-passed': 'x' }, 'Invalid workflow-commands'],
    [{ items: 'a', 'skip-passed': 'x', history: 'h', timings: 't' }, 'Invalid skip-passed'],
    [{ items: 'a', history: 'h', timings: 't', 'if-no-items': 'x' }, "Invalid inputs: 'history'"],
    [{ items: 'a', 'skip-passed': 'rerun', 'if-no-items': 'x' }, "Invalid inputs: 'skip-passed'"],
    [{ items: 'a', 'if-no-items': 'x', summary: 'x' }, 'Invalid if-no-items'],
    [{ items: 'a', shard: '0/2', 'stop-on-success': '1', summary: 'x' }, 'Invalid summary'],
    [{ items: '[1,', shard: '0/2', 'stop-on-success': '1' }, "Invalid inputs: 'stop-on-success'"],
    [{ items: '[1,', 'merge-results': 'x', summary: 'true' }, "Invalid inputs: 'merge-results'"],
    [{ items: '[1,', sources: '~/x', 'merge-results': 'x' }, 'Invalid sources'],
    [{ items: '[1,', history: 'h', 'skip-passed': 'rerun', 'stop-on-success': '1' }, 'items'],
    [{ items: 'a', history: 'h', 'skip-passed': 'rerun', 'stop-on-success': '1' }, 'stop-on'],
    [{ 'merge-results': 'x', sources: 's', history: 'h', 'skip-passed': 'rerun' }, "'sources'"],
    [{ matrix: 'os: [a]', items: 'a', 'items-file': 'x.json' }, "Invalid inputs: 'matrix' is"],
    [{ matrix: 'os: x', 'pull-request': '3' }, "Invalid inputs: 'pull-request' is set"],
    [{ items: 'a', 'workflow-commands': 'x', 'batch-size': '0' }, 'Invalid workflow-commands'],
    [{ items: 'a', 'batch-size': '0', 'skip-passed': 'x' }, 'Invalid batch-size'],
    [{ tasks: 'a: echo', 'batch-size': 'x', 'if-no-items': 'x' }, 'Invalid batch-size'],
    [{ items: 'a', 'batch-size': '0', memfree: '0' }, 'Invalid batch-size'],
    [{ items: 'a', memfree: '0', 'skip-passed': 'x' }, 'Invalid memfree'],
    [{ items: '[1,', memfree: '1024T' }, 'Invalid memfree'],
    [{ tasks: 'a: echo', 'batch-size': '2', sources: '~/x' }, 'Invalid sources'],
    [{ tasks: 'a: [', 'batch-size': '2' }, "Invalid inputs: 'batch-size'"],
    [{ matrix: 'os: x', 'batch-size': '2' }, "Invalid inputs: 'batch-size'"],
    [{ matrix: 'os: x', command: 'echo {os}', sources: '~/x' }, 'Invalid sources'],
    [{ matrix: 'os: x', 'merge-results': 'x' }, "Invalid inputs: 'merge-results'"],
    [{ matrix: 'os: x' }, 'Invalid matrix'],
    [{ matrix: 'os: [a]', command: 'echo {nope}', 'if-no-items': 'x' }, 'Invalid if-no-items']
  ])('%p: %s', async (inputs, message) => {
    await expect(check(inputs)).rejects.toThrow(message)
  })
})

describe('inputs that do not go together', () => {
  it.each([
    [{ matrix: 'os: [a]', items: 'a', command: 'echo {os}' }, "'items'"],
    [{ matrix: 'os: [a]', 'items-file': 'x.json', command: 'echo {os}' }, "'items-file'"],
    [{ matrix: 'os: [a]', tasks: 'a: echo' }, "'tasks'"]
  ])('refuses matrix with another source of items: %p', async (inputs, other) => {
    await expect(check(inputs)).rejects.toThrow(
      `Invalid inputs: 'matrix' is set together with ${other}. Expected only one source of items.`
    )
  })

  it('refuses matrix with review threads', async () => {
    await expect(
      check({ matrix: 'os: [a]', 'items-from': 'review-threads', command: 'echo {path}' })
    ).rejects.toThrow(
      "Invalid inputs: 'matrix' is set together with 'items-from: review-threads'. Expected the review threads alone as items."
    )
  })

  it('refuses matrix without a command: a combination is no command', async () => {
    await expect(check({ matrix: 'os: [a]' })).rejects.toThrow(
      "Invalid inputs: 'matrix' is set without a 'command'. Expected a command template that uses the values of each combination, such as npm test -- --os={os}."
    )
  })

  it.each([
    [
      { tasks: 'a: echo', 'batch-size': '2' },
      "Invalid inputs: 'batch-size' is 2 together with 'tasks'. Expected batch-size only with items: tasks run one command each."
    ],
    [
      { 'items-from': 'review-threads', command: 'echo {path}', 'batch-size': 'auto' },
      "Invalid inputs: 'batch-size' is auto together with items-from 'review-threads'. Expected batch-size 1 with review threads: each thread is replied to and resolved by its own task."
    ],
    [
      { items: 'echo a\necho b', 'batch-size': '5' },
      "Invalid inputs: 'batch-size' is 5 together with an empty 'command'. Expected a command template with a placeholder such as {} for the items of a batch: without one, each item is a command of its own."
    ],
    [
      { 'merge-results': 'results/*.json', 'batch-size': 'auto' },
      "Invalid inputs: 'batch-size' is auto together with 'merge-results'. Expected batch-size in the jobs that run the tasks."
    ]
  ])('refuses a batch-size other than 1 with %p', async (inputs, message) => {
    await expect(check(inputs)).rejects.toThrow(message)
  })

  it('takes batch-size 1 with anything, and a number or auto with items and a command', async () => {
    for (const [value, expected] of [
      ['1', 1],
      [' 50 ', 50],
      ['auto', 'auto'],
      ['', 1]
    ] as const) {
      process.env['INPUT_BATCH-SIZE'] = value
      process.env['INPUT_ITEMS'] = 'a'
      process.env['INPUT_COMMAND'] = 'echo {}'
      expect((await getInputs()).execution.batchSize).toBe(expected)
    }
    for (const name of ['INPUT_ITEMS', 'INPUT_COMMAND']) delete process.env[name]
    await expect(check({ tasks: 'a: echo', 'batch-size': '1' })).resolves.toBeDefined()
  })

  it('takes a batch command with any placeholder of the items, and one without under batch-size 1', async () => {
    const items = '{"name":"a/b.ts"}\n{"name":"c/d.ts"}'
    for (const command of ['lint {.}', 'lint {/}', 'lint {//}', 'lint {/.}', 'lint {name}']) {
      for (const shell of ['bash', 'none']) {
        await expect(check({ items, command, shell, 'batch-size': '2' })).resolves.toBeDefined()
      }
    }
    const lists = { items: '[["a.ts", 1], ["b.ts", 2]]', command: 'lint {1}', 'batch-size': 'auto' }
    await expect(check(lists)).resolves.toBeDefined()
    await expect(
      check({ items: 'a', command: 'echo hi', 'batch-size': '1' })
    ).resolves.toBeDefined()
  })
})
