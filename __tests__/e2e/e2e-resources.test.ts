import { beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ActionRun, runAction } from '../helpers/action.js'

/** When a task ran, as it recorded itself, and the slot variables it was given. */
interface Span {
  start: bigint
  end: bigint
  jobSlot: string
  slots: string
}

/** A record of the results file, the fields these tests read. */
interface FileRecord {
  item: unknown
  status: string
  slot: number | null
  slots?: number[]
  locks?: string[]
  skipReason?: string
}

let spans: string
/** A script each task runs: it writes its start (with its slot variables) and end times. */
beforeEach(() => {
  spans = mkdtempSync(join(tmpdir(), 'parallel-exec-resources-'))
  writeFileSync(
    join(spans, 'span.sh'),
    [
      'echo "$(date +%s%N) $PARALLEL_JOBSLOT $PARALLEL_SLOTS" > "$SPANS/$1.start"',
      'sleep "$2"',
      'date +%s%N > "$SPANS/$1.end"'
    ].join('\n')
  )
})

/** Runs the action with SPANS set for span.sh. */
const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction(inputs, { env: { SPANS: spans } })

/** The command that runs span.sh for a task called `name` lasting `seconds`. */
const span = (name: string, seconds = 0.4): string => `sh "$SPANS/span.sh" ${name} ${seconds}`

/** What a task recorded of itself. */
function spanOf(name: string): Span {
  const [start, jobSlot, slots] = readFileSync(join(spans, `${name}.start`), 'utf8')
    .trim()
    .split(' ')
  const end = readFileSync(join(spans, `${name}.end`), 'utf8').trim()
  return {
    start: BigInt(start as string),
    end: BigInt(end),
    jobSlot: jobSlot ?? '',
    slots: slots ?? ''
  }
}

const overlap = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end

/** The records of the run's results file. */
const records = (done: ActionRun): FileRecord[] =>
  (
    JSON.parse(readFileSync(done.outputs['results-file'] as string, 'utf8')) as {
      results: FileRecord[]
    }
  ).results

describe('locks through the bundle', () => {
  it('never runs two holders of a lock at once, and a free task does not wait behind them', async () => {
    const done = await run({
      tasks: [
        `db-a:\n  run: ${span('db-a')}\n  locks: db`,
        `db-b:\n  run: ${span('db-b')}\n  locks: [db, cache]`,
        `db-c:\n  run: ${span('db-c')}\n  locks: [5432, db]`,
        `free: ${span('free')}`
      ].join('\n'),
      'max-workers': '4'
    })
    expect(done.code).toBe(0)
    const db = ['db-a', 'db-b', 'db-c'].map(spanOf)
    for (const [i, a] of db.entries()) {
      for (const b of db.slice(i + 1)) expect(overlap(a, b)).toBe(false)
    }
    // Ranked last, it starts while the tasks ranked before it wait on the lock.
    expect(overlap(spanOf('free'), db[0] as Span)).toBe(true)
    expect(records(done).map(r => [r.item, r.status, r.locks])).toEqual([
      ['db-a', 'success', ['db']],
      ['db-b', 'success', ['db', 'cache']],
      ['db-c', 'success', ['5432', 'db']],
      ['free', 'success', undefined]
    ])
    // Lock names are never printed in log lines; how many tasks hold locks is.
    expect(done.log).not.toContain('5432')
    expect(done.log).toContain(
      'Running 4 tasks on 4 workers with bash (fail-fast: off, timeout: none).\n' +
        '3 tasks share a lock: two that share one never run at once.\n'
    )
  })

  it('skips a task still waiting on a lock when fail-fast halts the run', async () => {
    const done = await run({
      tasks: [
        'holder:\n  run: sleep 5\n  locks: db',
        'waiter:\n  run: touch "$SPANS/waiter-ran"\n  locks: db',
        'broken: sleep 0.3; exit 3'
      ].join('\n'),
      'max-workers': '3',
      'fail-fast': 'true'
    })
    expect(done.code).toBe(1)
    expect(records(done).map(r => [r.item, r.status])).toEqual([
      ['holder', 'cancelled'],
      ['waiter', 'skipped'],
      ['broken', 'failure']
    ])
    expect(records(done)[1]?.skipReason).toMatch(/^not started: /)
    expect(existsSync(join(spans, 'waiter-ran'))).toBe(false)
  })

  it('reads locks of object items, never overlapping two that share one', async () => {
    const items = [{ name: 'a', locks: 'db' }, { name: 'b', locks: ['db'] }, { name: 'c' }]
    const done = await run({
      items: JSON.stringify(items),
      command: 'sh "$SPANS/span.sh" {name} 0.4',
      'max-workers': '3'
    })
    expect(done.code).toBe(0)
    expect(overlap(spanOf('a'), spanOf('b'))).toBe(false)
    expect(overlap(spanOf('a'), spanOf('c')) || overlap(spanOf('b'), spanOf('c'))).toBe(true)
    expect(records(done).map(r => r.locks)).toEqual([['db'], ['db'], undefined])
  })
})

describe('slots through the bundle', () => {
  it('gives a task every slot it asks for, and the tasks ranked after it wait in order', async () => {
    const done = await run({
      tasks: [
        `light-1: ${span('light-1')}`,
        `heavy:\n  run: ${span('heavy')}\n  slots: 3`,
        `light-2: ${span('light-2', 0.2)}`,
        `light-3: ${span('light-3', 0.2)}`
      ].join('\n'),
      'max-workers': '3'
    })
    expect(done.code).toBe(0)
    const heavy = spanOf('heavy')
    const lights = ['light-1', 'light-2', 'light-3'].map(spanOf)
    for (const light of lights) expect(overlap(heavy, light)).toBe(false)
    // Ranked after the heavy task, the light ones wait for it rather than take the slots it needs.
    expect((lights[1] as Span).start >= heavy.end).toBe(true)
    expect([heavy.jobSlot, heavy.slots]).toEqual(['1', '3'])
    expect(lights.map(light => light.slots)).toEqual(['1', '1', '1'])
    const byItem = new Map(records(done).map(record => [record.item, record]))
    expect(byItem.get('heavy')).toMatchObject({ slot: 1, slots: [1, 2, 3] })
    expect(byItem.get('light-1')).not.toHaveProperty('slots')
  })

  it('reads slots of matrix combinations, an include adding them; {%} is the first slot', async () => {
    const done = await run({
      matrix: 'suite: [unit, e2e]\ninclude:\n  - suite: e2e\n    slots: 2',
      command: 'echo "{suite} in slot {%}" && sh "$SPANS/span.sh" {suite} 0.5',
      'max-workers': '3'
    })
    expect(done.code).toBe(0)
    // One slot and two fit in three: they run together, the two-slot one on slots 2 and 3.
    expect(overlap(spanOf('unit'), spanOf('e2e'))).toBe(true)
    expect([spanOf('e2e').jobSlot, spanOf('e2e').slots]).toEqual(['2', '2'])
    expect(records(done).map(r => [r.slot, r.slots])).toEqual([
      [1, undefined],
      [2, [2, 3]]
    ])
    expect(done.log).toContain('e2e in slot 2\n')
  })

  it('runs a light task in the slot a heavy one leaves, never more slots at once than max-workers', async () => {
    const lights = ['l1', 'l2', 'l3', 'l4', 'l5']
    const done = await run({
      tasks: [
        `heavy:\n  run: ${span('heavy', 0.8)}\n  slots: 3`,
        ...lights.map(name => `${name}: ${span(name, 0.3)}`)
      ].join('\n'),
      'max-workers': '4'
    })
    expect(done.code).toBe(0)
    expect(done.log).toContain('1 task holds several worker slots (3).')
    const heavy = spanOf('heavy')
    const light = lights.map(spanOf)
    expect(light.some(one => overlap(one, heavy))).toBe(true)
    // While the heavy task runs, at most one light task does.
    for (const [i, a] of light.entries()) {
      for (const b of light.slice(i + 1)) {
        if (overlap(a, heavy) && overlap(b, heavy)) expect(overlap(a, b)).toBe(false)
      }
    }
    expect(records(done)[0]).toMatchObject({ slot: 1, slots: [1, 2, 3] })
  })

  it('says one task as one task', async () => {
    const done = await run({ tasks: 'only:\n  run: echo hi\n  slots: 2', 'max-workers': '4' })
    expect(done.code).toBe(0)
    expect(done.log).toContain('Running 1 task on 2 workers with bash')
    expect(done.log).toContain('1 task holds several worker slots (2).')
  })
})

describe('batches through the bundle', () => {
  it('hold the locks of their items: two batches that share one never overlap', async () => {
    const items = [
      { name: 'a', locks: 'db' },
      { name: 'b' },
      { name: 'c' },
      { name: 'd', locks: 'db' }
    ]
    const done = await run({
      items: JSON.stringify(items),
      command: 'sh "$SPANS/span.sh" batch-{#} 0.4 {name}',
      'batch-size': '2',
      'max-workers': '2'
    })
    expect(done.code).toBe(0)
    expect(overlap(spanOf('batch-1'), spanOf('batch-2'))).toBe(false)
    expect(records(done).map(r => r.locks)).toEqual([['db'], ['db'], ['db'], ['db']])
  })
})

describe('refusals through the bundle', () => {
  it.each([
    [
      { tasks: `e2e:\n  run: touch ran\n  slots: 5`, 'max-workers': '4' },
      "::error::Invalid tasks: task 'e2e' has slots 5, more than max-workers (4). Expected a whole number from 1 to 4."
    ],
    [
      { tasks: `e2e:\n  run: touch ran\n  slots: x`, 'max-workers': '4' },
      "::error::Invalid tasks: task 'e2e' has slots 'x'. Expected a whole number from 1 to 4."
    ],
    [
      { tasks: 'x:\n  run: touch ran\n  locks: {a: 1}' },
      `::error::Invalid tasks: task 'x' has locks {"a":1}. Expected a name or a list of names, such as db or [db, port-5432].`
    ],
    [
      {
        items: '["a", "b", {"name": "api", "slots": 0}]',
        command: 'touch ran',
        'max-workers': '4'
      },
      '::error::Invalid items: item 3 (api) has slots 0. Expected a whole number from 1 to 4. ' +
        "An object item's 'slots' field is how many worker slots it holds: " +
        'rename the field if it means something else.'
    ],
    [
      {
        matrix: 'os: [a]\ninclude:\n  - os: a\n    slots: 2',
        command: 'touch ran',
        'max-workers': '1'
      },
      '::error::Invalid matrix: item 1 (os=a, slots=2) has slots 2, more than max-workers (1). ' +
        "Expected 1, as max-workers is 1. An object item's 'slots' field is how many worker " +
        'slots it holds: rename the field if it means something else.'
    ]
  ])('refuses %p before any command runs', async (inputs, message) => {
    const done = await run(inputs)
    expect(done.code).toBe(1)
    expect(done.log).toContain(`${message}\n`)
    expect(existsSync(join(done.dir, 'ran'))).toBe(false)
  })
})

describe('a dry run through the bundle', () => {
  it('says what each task would hold, lock names on one line', async () => {
    const done = await run({
      tasks: [
        'e2e:\n  run: touch ran\n  slots: 2\n  locks: ["db", "a\\n::error::b"]',
        'unit: touch ran'
      ].join('\n'),
      'max-workers': '2',
      'dry-run': 'true'
    })
    expect(done.code).toBe(0)
    expect(done.log).toContain('#1 e2e  (2 slots; locks: db, a⏎::error::b)\n')
    expect(done.log).toMatch(/^#2 unit\n/m)
    expect(done.log).not.toMatch(/^::error::b/m)
    expect(existsSync(join(done.dir, 'ran'))).toBe(false)
  })
})

describe('lock names in the log', () => {
  // A lock name may come from an item: it reaches the log only inside the item's own text and the
  // dry run's lines, escaped as item text is, so it can never start a workflow command.
  const items = JSON.stringify([
    { n: 1, locks: ['x\n::error::lock\u2028y', 'db'] },
    { name: 'b', n: 2, locks: 'db' }
  ])
  const label = 'n=1, locks=["x\\n::error::lock�y","db"]'

  it.each([
    ['a run', 'false', [`::group::✅ #1 ${label}: succeeded in`]],
    ['a dry run', 'true', [`#1 ${label}  (locks: x⏎::error::lock�y, db)`]]
  ])('in %s: only in the item text and the dry run, escaped', async (_, dryRun, expected) => {
    const done = await run({ items, command: 'echo {n}', 'dry-run': dryRun })
    expect(done.code).toBe(0)
    const lines = done.log.split('\n')
    const naming = lines.filter(line => line.includes('::error::lock'))
    expect(naming).toHaveLength(expected.length)
    naming.forEach((line, index) => expect(line.startsWith(expected[index] as string)).toBe(true))
    expect(lines.some(line => line.includes('\u2028') || line.startsWith('::error::lock'))).toBe(
      false
    )
  })
})
