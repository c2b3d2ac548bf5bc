import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

/** When a task's own command ran, in nanoseconds since the epoch, as it wrote them down. */
interface Span {
  name: string
  start: bigint
  end: bigint
}

interface FileRecord {
  item: unknown
  status: string
  slot: number | null
  slots?: number[]
  locks?: string[]
  skipReason?: string
}

/** A command that writes down when it started and ended, around `work`. */
const timed = (name: string, work: string): string =>
  `s=$(date +%s%N); ${work}; echo "$s $(date +%s%N)" > spans/${name}`

/** The spans every task wrote in `dir`. */
function spansIn(dir: string): Span[] {
  const folder = join(dir, 'spans')
  return readdirSync(folder).map(name => {
    const [start, end] = readFileSync(join(folder, name), 'utf8').trim().split(' ')
    return { name, start: BigInt(start as string), end: BigInt(end as string) }
  })
}

const overlap = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end

/** The most slots held at any instant, from the spans and each task's slots. */
function mostSlotsAtOnce(spans: readonly Span[], slotsOf: (name: string) => number): number {
  const events = spans.flatMap(span => [
    { at: span.start, change: slotsOf(span.name) },
    { at: span.end, change: -slotsOf(span.name) }
  ])
  // An end and a start at the same instant: the end first.
  events.sort((a, b) => (a.at === b.at ? a.change - b.change : a.at < b.at ? -1 : 1))
  let held = 0
  let most = 0
  for (const event of events) {
    held += event.change
    most = Math.max(most, held)
  }
  return most
}

const fileRecords = (outputs: Record<string, string>): FileRecord[] =>
  (JSON.parse(readFileSync(outputs['results-file'] as string, 'utf8')) as { results: FileRecord[] })
    .results

/** A fresh work directory with the spans folder the tasks write to. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
  mkdirSync(join(dir, 'spans'))
  return dir
}

describe('locks, end to end', () => {
  it('never overlaps tasks sharing a lock, while unit tests run beside them', async () => {
    const dir = workDir()
    const tasks = [
      ...['unit-api', 'unit-web', 'unit-cli'].map(name => `${name}: ${timed(name, 'sleep 0.5')}`),
      ...['it-orders', 'it-billing', 'it-users'].flatMap(name => [
        `${name}:`,
        `  run: ${timed(name, 'sleep 0.3')}`,
        '  locks: db'
      ])
    ].join('\n')
    const run = await runAction({ tasks, 'max-workers': '4' }, { dir })
    expect(run.code).toBe(0)
    expect(run.log).toContain(
      'Running 6 tasks on 4 workers with bash (fail-fast: off, timeout: none).\n' +
        '3 tasks hold a lock, and those that share one run one at a time.\n'
    )
    const spans = spansIn(dir)
    expect(spans).toHaveLength(6)
    const locked = spans.filter(span => span.name.startsWith('it-'))
    for (const a of locked) {
      for (const b of locked) if (a !== b) expect(overlap(a, b)).toBe(false)
    }
    // No head-of-line blocking: unit tests ran while the integration tests waited their turn.
    const units = spans.filter(span => span.name.startsWith('unit-'))
    expect(units.some(unit => locked.some(one => overlap(unit, one)))).toBe(true)
    expect(mostSlotsAtOnce(spans, () => 1)).toBeGreaterThan(1)
    const records = fileRecords(run.outputs)
    expect(records.filter(record => record.locks !== undefined).map(record => record.item)).toEqual(
      ['it-orders', 'it-billing', 'it-users']
    )
    expect(records.find(record => record.item === 'it-users')?.locks).toEqual(['db'])
  })

  it('takes locks from object items, such as a matrix include', async () => {
    const dir = workDir()
    const run = await runAction(
      {
        matrix: [
          'suite: [a, b, c, d]',
          'include:',
          '  - suite: c',
          '    locks: [db]',
          '  - suite: d',
          '    locks: db'
        ].join('\n'),
        command: timed('{suite}', 'sleep 0.4'),
        'max-workers': '4'
      },
      { dir }
    )
    expect(run.code).toBe(0)
    expect(run.log).toContain('2 items hold a lock, and those that share one run one at a time.')
    const spans = spansIn(dir)
    const c = spans.find(span => span.name === 'c') as Span
    const d = spans.find(span => span.name === 'd') as Span
    expect(overlap(c, d)).toBe(false)
    const free = spans.filter(span => span.name === 'a' || span.name === 'b')
    expect(free.every(span => overlap(span, c) || overlap(span, d))).toBe(true)
  })

  it('skips tasks still waiting on a lock when fail-fast halts the run', async () => {
    const dir = workDir()
    const run = await runAction(
      {
        tasks: [
          'holder:',
          '  run: sleep 5',
          '  locks: db',
          'waiter:',
          '  run: touch waiter-ran',
          '  locks: db',
          'broken: sleep 0.3; exit 3'
        ].join('\n'),
        'max-workers': '3',
        'fail-fast': 'true'
      },
      { dir }
    )
    expect(run.code).toBe(1)
    const records = fileRecords(run.outputs)
    expect(records.map(record => [record.item, record.status])).toEqual([
      ['holder', 'cancelled'],
      ['waiter', 'skipped'],
      ['broken', 'failure']
    ])
    expect(records[1]?.skipReason).toMatch(/^not started: /)
    expect(existsSync(join(dir, 'waiter-ran'))).toBe(false)
  })
})

describe('slots, end to end', () => {
  it('gives a heavy task several workers, and never more slots at once than max-workers', async () => {
    const dir = workDir()
    const light = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']
    const tasks = [
      'heavy:',
      `  run: echo "slots $PARALLEL_SLOTS first $PARALLEL_JOBSLOT"; ${timed('heavy', 'sleep 0.8')}`,
      '  slots: 3',
      ...light.map(name => `${name}: ${timed(name, 'sleep 0.3')}`)
    ].join('\n')
    const run = await runAction({ tasks, 'max-workers': '4' }, { dir })
    expect(run.code).toBe(0)
    expect(run.log).toContain('1 task holds several worker slots (3).')
    const spans = spansIn(dir)
    expect(spans).toHaveLength(7)
    expect(mostSlotsAtOnce(spans, name => (name === 'heavy' ? 3 : 1))).toBeLessThanOrEqual(4)
    // The one slot left beside it was used: a light task ran while the heavy one did.
    const heavy = spans.find(span => span.name === 'heavy') as Span
    expect(spans.some(span => span !== heavy && overlap(span, heavy))).toBe(true)
    const record = fileRecords(run.outputs).find(one => one.item === 'heavy') as FileRecord
    expect(record.slots).toHaveLength(3)
    expect(new Set(record.slots).size).toBe(3)
    expect(record.slot).toBe(record.slots?.[0])
    expect(run.log).toContain(`slots 3 first ${record.slot}`)
  })

  it('refuses slots above max-workers before anything runs, naming the task', async () => {
    const dir = workDir()
    const run = await runAction(
      {
        tasks: 'small: touch ran\ne2e:\n  run: touch ran\n  slots: 5',
        'max-workers': '4'
      },
      { dir }
    )
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid tasks: task 'e2e' has slots 5, more than max-workers (4). Expected a whole number from 1 to 4."
    )
    expect(existsSync(join(dir, 'ran'))).toBe(false)
  })

  it('says one task as one task', async () => {
    const run = await runAction({ tasks: 'only:\n  run: echo hi\n  slots: 2', 'max-workers': '4' })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Running 1 task on 2 workers with bash')
    expect(run.log).toContain('1 task holds several worker slots (2).')
  })
})
