import { describe, expect, it } from '@jest/globals'
import { type RunReport } from '../../src/model/run-report.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { summaryCharts } from '../../src/report/summary-charts.js'
import { batchRecords, record, report } from '../helpers/records.js'

/** `f01.ts` … : the items of the batched runs below. */
const file = (index: number): string => `f${String(index + 1).padStart(2, '0')}.ts`

/** Members `[index, item]` of items from..to − 1. */
const members = (from: number, to: number): [number, string][] =>
  Array.from({ length: to - from }, (_, offset) => [from + offset, file(from + offset)])

/** The failing batch's output: one line each run prints, and a marker to count. */
const TAIL = 'f01.ts:3:1 error no-unused-vars TAIL-MARKER\n'

/**
 * 100 items in 2 batches of 50 on 2 workers, each batch 10 s: batch 1 failed with TAIL, batch 2
 * succeeded; the run took 10 s.
 */
function batchedRun(): RunReport {
  const times = { durationMs: 10_000, endedAt: 1_700_000_010_000 }
  return report(
    [
      ...batchRecords(1, members(0, 50), TaskStatus.Failure, { ...times, outputTail: TAIL }),
      ...batchRecords(2, members(50, 100), TaskStatus.Success, { ...times, slot: 2 })
    ],
    { durationMs: 10_000, batchSize: 50 }
  )
}

/** How many times `part` occurs in `text`. */
const occurrences = (text: string, part: string): number => text.split(part).length - 1

describe('the job summary of a batched run', () => {
  it('shows a failed batch of 50 as one block, its output once, named by its first items', () => {
    const summary = buildSummary(batchedRun())
    expect(occurrences(summary, 'TAIL-MARKER')).toBe(1)
    const blocks = summary.split('<details').filter(part => part.includes('<pre>'))
    expect(blocks).toHaveLength(1)
    expect(blocks[0]).toContain(
      '<summary>❌ <code>Batch 1 (f01.ts, f02.ts, f03.ts and 47 more)</code> failed (exit code 1)' +
        ' · 10.0s · 50 items</summary>'
    )
  })

  it('says next to each count of items how many batches they were in', () => {
    const summary = buildSummary(batchedRun())
    expect(summary).toContain(
      '<p>✅ <strong>50</strong> succeeded (1 batch) · ❌ <strong>50</strong> failed (1 batch): ' +
        '<code>f01.ts</code>'
    )
  })

  it('lists every item in the table, with its batch, and says in how many batches they ran', () => {
    const summary = buildSummary(batchedRun())
    expect(summary).toContain('100 succeeded in 2 batches</h2>')
    expect(summary).toContain('<th>Task</th><th>Batch</th>')
    for (let index = 0; index < 100; index++) {
      const batch = index < 50 ? 1 : 2
      expect(summary).toContain(
        `<tr><td>${index + 1}</td>` +
          `<td title="${index < 50 ? 'failed' : 'succeeded'}">${index < 50 ? '❌' : '✅'}</td>` +
          `<td><code>${file(index)}</code></td><td>${batch}</td>`
      )
    }
    // Each batch's 10 s count once: 20 s of work in 10 s of wall time on 2 workers.
    expect(summary).toContain('speed-up over running one by one: **2.0×**')
  })

  it('has no batch column, and no batches in the headline, for a run without batches', () => {
    const summary = buildSummary(
      report([record(0, 'a', TaskStatus.Success), record(1, 'b', TaskStatus.Failure)])
    )
    expect(summary).not.toContain('Batch')
    expect(summary).not.toContain('batches')
  })

  it('counts the items of the batches whose output is left out, not the batches', () => {
    // 3 failed batches of 10, and room for the output of 1: 20 more tasks are not shown.
    const records = [1, 2, 3].flatMap(batch =>
      batchRecords(batch, members((batch - 1) * 10, batch * 10), TaskStatus.Failure, {
        slot: 1,
        startedAt: 1_700_000_000_000 + batch * 1000,
        endedAt: 1_700_000_000_500 + batch * 1000,
        durationMs: 500
      })
    )
    const summary = buildSummary(report(records, { batchSize: 10 }), 'Lint', {
      ...DEFAULT_SUMMARY_LIMITS,
      maxFailures: 1
    })
    expect(summary).toContain('<code>Batch 1 (f01.ts, f02.ts, f03.ts and 7 more)</code>')
    expect(summary).not.toContain('<code>Batch 2')
    expect(summary).toContain('_20 more tasks did not succeed; their output is not shown here.')
  })

  it("says a dry run's batches in its headline", () => {
    const skipped = { skipReason: 'dry run' }
    const records = [
      ...batchRecords(1, members(0, 3), TaskStatus.Skipped, skipped),
      ...batchRecords(2, members(3, 5), TaskStatus.Skipped, skipped)
    ]
    const summary = buildSummary(report(records, { dryRun: true, batchSize: 3 }), 'Lint')
    expect(summary).toContain('Lint: dry run of 5 tasks in 2 batches</h2>')
  })

  it('draws one timeline bar per batch, not one per item', () => {
    const [timeline] = summaryCharts(batchedRun())
    expect(timeline).toContain('<summary>Timeline: 2 batches of 100 tasks on 2 workers</summary>')
    const bars = (timeline as string).split('\n').filter(line => line.startsWith('    '))
    // Mermaid's label escaping writes the first letter as a character reference.
    expect(bars.map(bar => bar.replace('#66;', 'B'))).toEqual([
      '    Batch 1 (f01.ts and 49 … (failed) :crit, t0, 0, 10000',
      '    Batch 2 (f51.ts and 49 more) :t1, 0, 10000'
    ])
  })

  it('draws the slowest batches of a large batched run, with busy workers counted per batch', () => {
    // 40 batches of 2 items, one after another on 2 slots.
    const records = Array.from({ length: 40 }, (_, batch) =>
      batchRecords(batch + 1, members(batch * 2, batch * 2 + 2), TaskStatus.Success, {
        slot: (batch % 2) + 1,
        startedAt: 1_700_000_000_000 + Math.floor(batch / 2) * 1000,
        endedAt: 1_700_000_000_000 + Math.floor(batch / 2) * 1000 + 900,
        durationMs: 900
      })
    ).flat()
    const charts = summaryCharts(report(records, { batchSize: 2 }))
    expect(charts[0]).toContain('Busy workers over time: 40 batches of 80 tasks on 2 workers')
    expect(charts[1]).toContain('Timeline: the 20 slowest of 40 batches')
    // No worker is ever counted busier than the 2 there are.
    const busy = /bar \[([^\]]*)\]/
      .exec(charts[0] as string)?.[1]
      ?.split(', ')
      .map(Number)
    expect(Math.max(...(busy as number[]))).toBeLessThanOrEqual(2)
  })

  it('heads what a batch wrote to its step summary with the batch, not its first item', () => {
    const records = [
      ...batchRecords(1, members(0, 4), TaskStatus.Success, { summary: '### lint report\n' }),
      record(4, file(4), TaskStatus.Success, { summary: 'alone\n' })
    ]
    const summary = buildSummary(report(records, { batchSize: 4 }))
    expect(summary).toContain(
      '<h3>Batch 1 (f01.ts, f02.ts, f03.ts and 1 more)</h3>\n\n### lint report\n'
    )
    expect(summary).toContain('<h3>5. f05.ts</h3>\n\nalone\n')
    expect(occurrences(summary, 'lint report')).toBe(1)
    expect(summary).not.toContain('<h3>1. f01.ts</h3>')
  })

  it('lists a flaky batch once, named as the batch, and counts its items', () => {
    const retried = { attempts: 2, flaky: true as const }
    const records = [
      ...batchRecords(1, members(0, 5), TaskStatus.Success, retried),
      ...batchRecords(2, members(5, 7), TaskStatus.Success, { slot: 2 }),
      record(7, file(7), TaskStatus.Success, { attempts: 3, flaky: true })
    ]
    const summary = buildSummary(report(records, { batchSize: 5 }))
    expect(summary).toContain(
      '<p>6 tasks failed, then succeeded on a retry: ' +
        '<code>Batch 1 (f01.ts, f02.ts, f03.ts and 2 more)</code> (2 attempts), ' +
        '<code>f08.ts</code> (3 attempts).</p>'
    )
  })

  it("words a timeline truthfully when a batched shard's merge holds tasks run alone", () => {
    // A merge of a batched shard (2 batches of 2, slots 1-2) and an unbatched one (slots 3-4).
    const alone = (index: number, slot: number): TaskRecord =>
      record(index, file(index), TaskStatus.Success, { slot })
    const mixed = (count: number): RunReport => {
      const batched = Array.from({ length: count }, (_, batch) =>
        batchRecords(batch + 1, members(batch * 2, batch * 2 + 2), TaskStatus.Success, {
          slot: (batch % 2) + 1
        })
      ).flat()
      const single = Array.from({ length: count * 2 }, (_, one) =>
        alone(count * 2 + one, (one % 2) + 3)
      )
      const records = [...batched, ...single]
      return report(records, {
        workers: 4,
        merged: {
          files: 2,
          shards: null,
          missingShards: [],
          problems: [],
          slotsPerFile: [2, 2],
          recordFiles: records.map(one => (one.batch === undefined ? 1 : 0))
        }
      })
    }
    // The counts say the batches and the items that ran alone apart.
    expect(buildSummary(mixed(2))).toContain(
      '<p>✅ <strong>8</strong> succeeded (2 batches and 4 single tasks)</p>'
    )
    const [small] = summaryCharts(mixed(2))
    expect(small).toContain(
      '<summary>Timeline: 2 batches of 4 tasks and 4 single tasks on 4 workers, ' +
        'each shard from its own start</summary>'
    )
    const large = summaryCharts(mixed(20))
    expect(large[0]).toContain(
      'Busy workers over time: 20 batches of 40 tasks and 40 single tasks on 4 workers'
    )
    expect(large[1]).toContain('Timeline: the 20 slowest of 60 commands')
  })
})
