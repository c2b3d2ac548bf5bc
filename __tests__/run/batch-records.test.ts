import { describe, expect, it } from '@jest/globals'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { taskHeadline } from '../../src/log/task-title.js'
import { batchName } from '../../src/model/batch-title.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { type RunPlan } from '../../src/plan/run-plan.js'
import { BatchRecords, memberRecords, schedulerUnits } from '../../src/run/batch-records.js'
import { Shell } from '../../src/model/shell.js'
import { CommandTemplate } from '../../src/template/template.js'
import { record } from '../helpers/records.js'

const template = CommandTemplate.parse('lint {}', Shell.Bash)

/** A prepared item of the input at `index`, with digests of its own. */
const item = (index: number, text: string): PreparedItem => ({
  index,
  item: text,
  command: { file: 'bash', args: [], display: `lint ${text}` },
  digests: { command: `c${index}`, sources: `s${index}` }
})

/** A batch's command running the items at these indexes. */
const batch = (number: number, items: PreparedItem[]): PreparedItem => ({
  index: (items[0] as PreparedItem).index,
  item: (items[0] as PreparedItem).item,
  command: { file: 'bash', args: [], display: `lint ${items.map(i => String(i.item)).join(' ')}` },
  batch: { number, members: items.map(({ item, index }) => ({ item, index })) }
})

describe('memberRecords', () => {
  it('gives every member the slots and locks its batch held as it ran', () => {
    const items = [item(0, 'a.ts'), item(1, 'b.ts')]
    const unit = batch(1, items)
    const ran = record(0, 'a.ts', TaskStatus.Success, {
      batch: 1,
      slot: 2,
      slots: [2, 3],
      locks: ['db', 'cache']
    })
    const byIndex = new Map(items.map(one => [one.index, one]))
    const records = memberRecords(ran, unit.batch!, index => byIndex.get(index))
    expect(records.map(r => [r.index, r.slot, r.slots, r.locks])).toEqual([
      [0, 2, [2, 3], ['db', 'cache']],
      [1, 2, [2, 3], ['db', 'cache']]
    ])
    const alone = memberRecords(record(0, 'a.ts', TaskStatus.Success), unit.batch!, () => undefined)
    expect(alone.some(r => 'slots' in r || 'locks' in r)).toBe(false)
  })

  it("gives every member the batch's result, its own item and digests, and `batch`", () => {
    const items = [item(4, 'a.ts'), item(5, 'b.ts'), item(7, 'c.ts')]
    const unit = batch(3, items)
    const failed = record(4, 'a.ts', TaskStatus.Failure, {
      exitCode: 2,
      durationMs: 900,
      attempts: 2,
      batch: 3,
      command: unit.command.display,
      outputTail: 'c.ts: 1 problem',
      outputs: { count: '1' },
      summary: '## lint'
    })
    const byIndex = new Map(items.map(one => [one.index, one]))
    const records = memberRecords(failed, unit.batch!, index => byIndex.get(index))
    expect(records.map(r => [r.index, r.item, r.batch])).toEqual([
      [4, 'a.ts', 3],
      [5, 'b.ts', 3],
      [7, 'c.ts', 3]
    ])
    for (const member of records) {
      expect(member).toMatchObject({
        status: TaskStatus.Failure,
        exitCode: 2,
        durationMs: 900,
        attempts: 2,
        slot: 1,
        startedAt: failed.startedAt,
        endedAt: failed.endedAt,
        outputTail: 'c.ts: 1 problem',
        commandDigest: `c${member.index}`,
        sourcesDigest: `s${member.index}`
      })
    }
    // The batch's command and what it wrote to its files are shown once: on its first item.
    expect(records.map(r => [r.command, r.outputs, r.summary])).toEqual([
      ['lint a.ts b.ts c.ts', { count: '1' }, '## lint'],
      ['', {}, ''],
      ['', {}, '']
    ])
    // `batch` comes right after durationMs, as in the results file.
    expect(Object.keys(records[0]!).slice(5, 7)).toEqual(['durationMs', 'batch'])
  })
})

describe('BatchRecords', () => {
  it("expands batches' records into their items' in input order; reused ones pass as they are", () => {
    const items = [item(0, 'a'), item(1, 'b'), item(2, 'c'), item(3, 'd'), item(4, 'e')]
    // Balanced by durations: batch 1 holds a, c and e; b is reused; batch 2 holds d.
    const plan: RunPlan = {
      template,
      prepared: items,
      needs: undefined,
      priorities: [0, 0, 0, 0, 0],
      keys: ['"a"', '"b"', '"c"', '"d"', '"e"'],
      reused: new Map([[1, { runId: 7, attempt: 1, at: 0 }]]),
      batches: [batch(1, [items[0]!, items[2]!, items[4]!]), batch(2, [items[3]!])],
      batchPriorities: [1, 2]
    }
    const units = schedulerUnits(plan)
    expect(units.prepared.map(unit => unit.index)).toEqual([0, 3, 1])
    expect(units.priorities).toEqual([1, 2, 0])
    expect([...units.reused!]).toEqual([[2, { runId: 7, attempt: 1, at: 0 }]])
    expect(units.keys).toEqual(['"a"', '"d"', '"b"'])
    const records = new BatchRecords(plan).expandAll([
      record(0, 'a', TaskStatus.Success, { batch: 1 }),
      record(3, 'd', TaskStatus.Failure, { batch: 2 }),
      record(1, 'b', TaskStatus.Reused)
    ])
    expect(records.map(r => [r.index, r.status, r.batch])).toEqual([
      [0, TaskStatus.Success, 1],
      [1, TaskStatus.Reused, undefined],
      [2, TaskStatus.Success, 1],
      [3, TaskStatus.Failure, 2],
      [4, TaskStatus.Success, 1]
    ])
  })

  it('leaves a plan without batches to the scheduler as it is', () => {
    const plan: RunPlan = {
      template,
      prepared: [item(0, 'a')],
      needs: undefined,
      priorities: [0],
      keys: ['"a"']
    }
    expect(schedulerUnits(plan)).toBe(plan)
  })
})

describe('batchName', () => {
  it('names the batch by its number and first three items, and how many more', () => {
    const files = Array.from({ length: 50 }, (_, i) => `src/f${i}.ts`)
    expect(batchName(3, files)).toBe('Batch 3 (src/f0.ts, src/f1.ts, src/f2.ts and 47 more)')
    expect(batchName(1, ['a.ts', 'b.ts'])).toBe('Batch 1 (a.ts, b.ts)')
    expect(batchName(9, ['a.ts'])).toBe('Batch 9 (a.ts)')
  })

  it('names fewer items, each cut, to stay within 120 characters; never a new line', () => {
    const long = Array.from({ length: 10 }, (_, i) => `${'x'.repeat(60)}${i}\n::error::`)
    const title = batchName(12, long)
    expect([...title].length).toBeLessThanOrEqual(120)
    expect(title).toMatch(/^Batch 12 \(x+…, x+… and 8 more\)$/)
    expect([...batchName(4, [`${'y'.repeat(500)}`], 30)].length).toBeLessThanOrEqual(30)
  })

  it("titles a batch's headline in the log", () => {
    const failed = record(0, 'a.ts', TaskStatus.Failure, { batch: 2, durationMs: 518 })
    expect(taskHeadline(failed, batchName(2, ['a.ts', 'b.ts']))).toBe(
      '❌ Batch 2 (a.ts, b.ts): failed (exit code 1) in 518ms'
    )
  })
})
