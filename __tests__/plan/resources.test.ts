import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { batchResources } from '../../src/plan/batches.js'
import { prepareBatches } from '../../src/plan/prepare-batches.js'
import { prepareRun } from '../../src/plan/prepare.js'
import { type RunPlan } from '../../src/plan/run-plan.js'

/** The plan the action makes of these inputs (and files in its working directory). */
async function planOf(
  inputs: Record<string, string>,
  files: Record<string, string> = {}
): Promise<RunPlan> {
  clearInputs()
  const dir = mkdtempSync(join(tmpdir(), 'resources-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  process.env['INPUT_WORKING-DIRECTORY'] = dir
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.toUpperCase()}`] = value
  }
  const { mode, execution } = await getInputs()
  if (mode.kind !== 'items' && mode.kind !== 'tasks') throw new Error(`no tasks in ${mode.kind}`)
  const plan = prepareRun(mode, execution, dir)
  if (execution.batchSize !== 1)
    prepareBatches(plan, execution.batchSize, execution.maxWorkers, new Map())
  return plan
}

function clearInputs(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('INPUT_')) delete process.env[name]
  }
}

afterEach(clearInputs)

/** What each prepared unit (each batch under batch-size) holds: [slots, locks]. */
const held = (plan: RunPlan): [number | undefined, string[] | undefined][] =>
  (plan.batches ?? plan.prepared).map(unit => [unit.slots, unit.locks])

describe('slots and locks of object items', () => {
  it('reads them from items, keeping them in the item for its placeholders', async () => {
    const plan = await planOf({
      items:
        '[{"name": "api", "slots": 3, "locks": ["db", 5432, "db"]}, {"name": "b", "slots": 1, "locks": "x"}, {"name": "c", "slots": 1, "locks": []}]',
      command: 'echo {name} {slots} {locks}',
      'max-workers': '4'
    })
    expect(held(plan)).toEqual([
      [3, ['db', '5432']],
      [undefined, ['x']],
      [undefined, undefined]
    ])
    expect(plan.prepared[0]?.command.display).toBe(`echo 'api' '3' '["db",5432,"db"]'`)
  })

  it('reads them from items-file, JSON Lines', async () => {
    const plan = await planOf(
      { 'items-file': 'list.jsonl', command: 'echo {x}', 'max-workers': '2' },
      { 'list.jsonl': '{"x": 1, "slots": 2}\n{"x": 2, "locks": "db"}\n' }
    )
    expect(held(plan)).toEqual([
      [2, undefined],
      [undefined, ['db']]
    ])
  })

  it('reads them from matrix, an include adding slots: 3 to one combination', async () => {
    const plan = await planOf({
      matrix: 'suite: [unit, e2e]\nlocks: [db]\ninclude:\n  - suite: e2e\n    slots: 3',
      command: 'npm run {suite}',
      'max-workers': '3'
    })
    expect(held(plan)).toEqual([
      [undefined, ['db']],
      [3, ['db']]
    ])
  })

  it('gives items from review threads none: their fields are not the user’s', async () => {
    const { prepareRun: prepare } = await import('../../src/plan/prepare.js')
    const { REVIEW_THREADS_SOURCE } = await import('../../src/inputs/source-checks.js')
    const { Shell } = await import('../../src/model/shell.js')
    const plan = prepare(
      {
        kind: 'items',
        items: [{ path: 'a.ts', slots: 99, locks: { a: 1 } }],
        source: REVIEW_THREADS_SOURCE,
        command: 'echo {path}'
      },
      { shell: Shell.Bash, maxWorkers: 2, batchSize: 1 } as Parameters<typeof prepare>[1]
    )
    expect(held(plan)).toEqual([[undefined, undefined]])
  })

  // An item's fields are its own data: a refusal says what the field is read as.
  const slotsNote =
    "An object item's 'slots' field is how many worker slots it holds: " +
    'rename the field if it means something else.'
  const locksNote =
    "An object item's 'locks' field names the locks it holds while it runs: " +
    'rename the field if it means something else.'
  const expectedLocks = 'Expected a name or a list of names, such as db or [db, port-5432].'

  it.each([
    [
      { items: '[{"name": "api", "slots": 5}]' },
      'Invalid items: item 1 (api) has slots 5, more than max-workers (4). ' +
        `Expected a whole number from 1 to 4. ${slotsNote}`
    ],
    [
      { items: '["a", "b", {"name": "api", "slots": 0}]' },
      `Invalid items: item 3 (api) has slots 0. Expected a whole number from 1 to 4. ${slotsNote}`
    ],
    [
      { items: '[{"slots": "2"}]' },
      `Invalid items: item 1 (slots=2) has slots '2'. Expected a whole number from 1 to 4. ${slotsNote}`
    ],
    [
      { items: '[{"name": "x", "locks": {"a": 1}}]' },
      `Invalid items: item 1 (x) has locks {"a":1}. ${expectedLocks} ${locksNote}`
    ],
    [
      { items: '[{"name": "x", "locks": ["db", ""]}]' },
      `Invalid items: item 1 (x) has locks ["db",""]. ${expectedLocks} ${locksNote}`
    ],
    [
      { matrix: 'os: [a]\ninclude:\n  - os: a\n    slots: 9' },
      'Invalid matrix: item 1 (os=a, slots=9) has slots 9, more than max-workers (4). ' +
        `Expected a whole number from 1 to 4. ${slotsNote}`
    ],
    [
      { matrix: 'os: [a]\ninclude:\n  - os: a\n    locks: [db, null]' },
      `Invalid matrix: item 1 (os=a, locks=["db",null]) has locks ["db",null]. ${expectedLocks} ${locksNote}`
    ]
  ])('refuses %p, naming the item and what its field is read as', async (inputs, message) => {
    await expect(planOf({ command: 'echo {}', 'max-workers': '4', ...inputs })).rejects.toThrow(
      new Error(message)
    )
  })

  it('names items-file as the input gives it, and the one number max-workers 1 allows', async () => {
    await expect(
      planOf(
        { 'items-file': 'list.json', command: 'echo {}', 'max-workers': '1' },
        { 'list.json': '[{"name": "a", "slots": 2}]' }
      )
    ).rejects.toThrow(
      new Error(
        "Invalid items-file 'list.json': item 1 (a) has slots 2, more than max-workers (1). " +
          `Expected 1, as max-workers is 1. ${slotsNote}`
      )
    )
  })

  it('checks slots against max-workers as auto and a percentage resolve', async () => {
    const cpus = availableParallelism()
    const half = Math.max(1, Math.floor(cpus / 2))
    const tasks = `e2e:\n  run: x\n  slots: ${cpus}`
    await expect(planOf({ tasks, 'max-workers': 'auto' })).resolves.toBeDefined()
    await expect(planOf({ tasks })).resolves.toBeDefined()
    const items = `[{"name": "api", "slots": ${cpus + 1}}]`
    await expect(planOf({ items, command: 'echo {}' })).rejects.toThrow(
      `Invalid items: item 1 (api) has slots ${cpus + 1}, more than max-workers (${cpus}). ` +
        (cpus === 1
          ? 'Expected 1, as max-workers is 1.'
          : `Expected a whole number from 1 to ${cpus}.`)
    )
    if (half < cpus) {
      await expect(planOf({ tasks, 'max-workers': '50%' })).rejects.toThrow(
        `Invalid tasks: task 'e2e' has slots ${cpus}, more than max-workers (${half}). ` +
          (half === 1
            ? 'Expected 1, as max-workers is 1.'
            : `Expected a whole number from 1 to ${half}.`)
      )
    }
  })
})

describe('slots and locks of tasks', () => {
  it('reaches the prepared tasks, one slot and no lock left out', async () => {
    const plan = await planOf({
      tasks: 'e2e:\n  run: x\n  slots: 3\n  locks: [db]\nunit:\n  run: y\n  slots: 1',
      'max-workers': '3'
    })
    expect(held(plan)).toEqual([
      [3, ['db']],
      [undefined, undefined]
    ])
  })

  it('refuses a task with more slots than max-workers, naming it', async () => {
    await expect(
      planOf({ tasks: 'e2e:\n  run: x\n  slots: 5', 'max-workers': '4' })
    ).rejects.toThrow(
      "Invalid tasks: task 'e2e' has slots 5, more than max-workers (4). Expected a whole number from 1 to 4."
    )
  })

  it('checks tasks against the max-workers of the run they are prepared for', async () => {
    const { Shell } = await import('../../src/model/shell.js')
    const source = {
      kind: 'tasks' as const,
      tasks: [{ name: 'e2e', run: 'x', needs: [], slots: 3 }]
    }
    const execution = { shell: Shell.Bash, maxWorkers: 2, batchSize: 1, workingDirectory: '.' }
    expect(() => prepareRun(source, execution as Parameters<typeof prepareRun>[1])).toThrow(
      "Invalid tasks: task 'e2e' has slots 3, more than max-workers (2). Expected a whole number from 1 to 2."
    )
  })
})

describe('the spawn budget', () => {
  it('counts slot numbers up to every slot the items may hold at once', async () => {
    const plan = await planOf({
      items: '[{"name": "a", "slots": 3}, "b"]',
      command: 'echo {}',
      'max-workers': '6'
    })
    expect(plan.spawnBudget?.slots).toBe(4)
    const capped = await planOf({
      items: '[{"name": "a", "slots": 3}, {"slots": 3}, "c"]',
      command: 'echo {}',
      'max-workers': '6'
    })
    expect(capped.spawnBudget?.slots).toBe(6)
  })
})

describe('batches', () => {
  it('hold the most slots of their items and all their locks in order of first appearance', () => {
    expect(batchResources([{}, {}])).toEqual({})
    expect(
      batchResources([{ locks: ['b', 'a'] }, { slots: 3, locks: ['c', 'a'] }, { slots: 2 }])
    ).toEqual({ slots: 3, locks: ['b', 'a', 'c'] })
  })

  it('get them under batch-size', async () => {
    const plan = await planOf({
      items: JSON.stringify([
        { n: 1, locks: 'db' },
        { n: 2, slots: 2 },
        { n: 3 },
        { n: 4 },
        { n: 5, slots: 3, locks: ['cache', 'db'] }
      ]),
      command: 'echo {n}',
      'max-workers': '3',
      'batch-size': '2'
    })
    expect(held(plan)).toEqual([
      [2, ['db']],
      [undefined, undefined],
      [3, ['cache', 'db']]
    ])
  })
})
