import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TaskStatus } from '../../src/model/task-status.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { MAX_CHART_TEXT } from '../../src/report/mermaid-chart.js'
import { summaryCharts } from '../../src/report/summary-charts.js'
import { mergeReports } from '../../src/report/merge.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { record, report } from '../helpers/records.js'

const T0 = 1_700_000_000_000

/** `count` records on `workers` slots, one after another on each, task i taking 100 + i ms. */
function run(count: number, workers: number, failed: (i: number) => boolean = () => false) {
  const ends = new Array<number>(workers).fill(T0)
  return Array.from({ length: count }, (_, i): TaskRecord => {
    const slot = (i % workers) + 1
    const startedAt = ends[slot - 1] as number
    const endedAt = startedAt + 100 + i
    ends[slot - 1] = endedAt
    const status = failed(i) ? TaskStatus.Failure : TaskStatus.Success
    return record(i, `task-${i}`, status, { slot, startedAt, endedAt, durationMs: 100 + i })
  })
}

/** The ids of the tasks a gantt block draws (`t<index>` into the tasks it was given). */
const barLines = (block: string): string[] =>
  block.split('\n').filter(line => /:.*\bt\d+, /.test(line))

/** Two results files of `perShard` tasks on 2 workers, the second started an hour later. */
function hourApart(perShard: number) {
  return [0, 3_600_000].map((offset, k) => {
    const records = run(perShard, 2).map((r, i) => ({
      ...r,
      item: `shard${k}-task-${i}`,
      startedAt: (r.startedAt as number) + offset,
      endedAt: (r.endedAt as number) + offset
    }))
    return { path: `shard${k}.json`, report: report(records, { workers: 2 }) }
  })
}

/** A record's `slots` from its slot and more, as a run writes them (only when more than one). */
function slotsOf(slot: number, more: readonly number[]): Pick<TaskRecord, 'slots'> {
  const held = [...new Set([slot, ...more])].sort((a, b) => a - b)
  return held.length > 1 && held[0] === slot ? { slots: held } : {}
}

/** Every bar line of a gantt block, on any slot. */
const gantt = (block: string): string[] =>
  block.split('\n').filter(line => /:.*\bt\d+(s\d+)?, /.test(line))

/** The times of a gantt block's bars, as written. */
const barTimes = (block: string): number[][] =>
  barLines(block).map(line => line.split(', ').slice(-2).map(Number))

describe('summaryCharts', () => {
  it('draws merged shards each from its own start, however far apart they started', () => {
    const small = mergeReports(hourApart(6))
    expect(small.merged?.slotsPerFile).toEqual([2, 2])
    const [gantt] = summaryCharts(small)
    expect(gantt).toContain(
      '<summary>Timeline: 12 tasks on 4 workers, each shard from its own start</summary>'
    )
    // Each shard ran 3 tasks a slot of about 100 ms: no bar past the slowest shard's wall time.
    const times = barTimes(gantt as string)
    expect(times).toHaveLength(12)
    expect(Math.max(...times.flat())).toBeLessThan(400)
    expect(gantt).toContain('axisFormat %Q ms')
    // Past 30 tasks: all 4 workers busy all along, not half of them over two hours.
    const [busy, slowest] = summaryCharts(mergeReports(hourApart(40)))
    expect(busy).toContain('Busy workers over time: 80 tasks on 4 workers, each shard from')
    expect(busy).toContain('x-axis "seconds since the start"')
    const values =
      /\n {2}bar \[(.*)\]/
        .exec(busy as string)?.[1]
        ?.split(', ')
        .map(Number) ?? []
    expect(values.slice(0, -1).every(value => value === 4)).toBe(true)
    expect(slowest).toContain('each shard from its own start</summary>')
    // The results file of the merge keeps which slots were whose.
    expect(parseResultsFile(resultsFileText(small), 'merged.json').merged?.slotsPerFile).toEqual([
      2, 2
    ])
  })

  it('draws no task graph when no task needs another', () => {
    const records = run(5, 2).map(r => ({ ...r, needs: [] }))
    const blocks = summaryCharts(report(records))
    expect(blocks).toHaveLength(1)
    expect(blocks[0]).toContain('<summary>Timeline: 5 tasks on 2 workers</summary>')
    expect(blocks.join('')).not.toContain('flowchart')
  })

  it('counts tasks and workers in the singular when there is one', () => {
    const [one] = summaryCharts(report(run(1, 1), { workers: 1 }))
    expect(one).toContain('<summary>Timeline: 1 task on 1 worker</summary>')
    const failure = summaryCharts(report(run(100, 4, i => i === 3)))
    expect(failure[1]).toContain(
      '<summary>Timeline: the 20 slowest of 100 tasks, and the 1 other failed task</summary>'
    )
  })

  it('writes `_ @ [ ] ,` as they are in gantt labels, and escapes them in the graph', () => {
    const records = run(2, 2).map((r, i) => ({
      ...r,
      item: ['test_a.py::x[1,2]', 'ci@example.com'][i] as string,
      needs: i === 1 ? ['test_a.py::x[1,2]'] : []
    }))
    const [gantt, graph] = summaryCharts(report(records))
    expect(gantt).toContain('#116;est_a.py#58;#58;x[1,2] :')
    expect(gantt).toContain('#99;i@example.com :')
    expect(graph).toContain('#116;est#95;a.py#58;#58;x#91;1#44;2#93;')
  })

  it('draws the task graph when some task needs another', () => {
    const records = run(3, 2).map((r, i) => ({ ...r, needs: i === 2 ? ['task-0'] : [] }))
    const blocks = summaryCharts(report(records))
    expect(blocks).toHaveLength(2)
    expect(blocks[1]).toContain('<details open><summary>Task graph</summary>')
    expect(blocks[1]).toContain('n0 --> n2')
  })

  it('draws every task of a run of 30 on its own row, open when small', () => {
    const small = summaryCharts(report(run(12, 8), { workers: 8 }))
    expect(small).toHaveLength(1)
    expect(small[0]).toMatch(/^<details open><summary>Timeline: 12 tasks on 8 workers<\/summary>/)
    expect(barLines(small[0] as string)).toHaveLength(12)
    const thirty = summaryCharts(report(run(30, 8), { workers: 8 }))
    expect(thirty).toHaveLength(1)
    expect(thirty[0]).toMatch(/^<details><summary>Timeline: 30 tasks on 8 workers<\/summary>/)
    expect(barLines(thirty[0] as string)).toHaveLength(30)
    expect(thirty[0]).not.toContain('displayMode')
  })

  it('draws a task that held 3 slots on its 3 slots, and counts it as one task', () => {
    // e2e holds slots 1 to 3 for 1 s; four 200 ms tasks run on slot 4 meanwhile.
    const e2e = record(0, 'e2e', TaskStatus.Success, {
      slot: 1,
      slots: [1, 2, 3],
      startedAt: T0,
      endedAt: T0 + 1000
    })
    const small = Array.from({ length: 4 }, (_, i) =>
      record(i + 1, `unit-${i}`, TaskStatus.Success, {
        slot: 4,
        startedAt: T0 + 200 * i,
        endedAt: T0 + 200 * (i + 1)
      })
    )
    const [gantt] = summaryCharts(report([e2e, ...small], { workers: 4 }))
    expect(gantt).toContain('<summary>Timeline: 5 tasks on 4 workers</summary>')
    const e2eBars = (gantt as string).split('\n').filter(line => line.includes('2e (3 slots) :'))
    expect(e2eBars.map(line => line.split(' :')[1])).toEqual([
      't0, 0, 1000',
      't0s2, 0, 1000',
      't0s3, 0, 1000'
    ])
    expect(barLines(gantt as string)).toHaveLength(5)
  })

  it('draws every task of 30 that held several slots, up to 60 rows', () => {
    /** `count` tasks of `slots` slots each on `workers`, one after another, task i 100 + i ms. */
    const wide = (count: number, slots: number, workers: number): TaskRecord[] =>
      run(count, workers / slots).map(r => {
        const first = ((r.slot as number) - 1) * slots + 1
        const held = Array.from({ length: slots }, (_, k) => first + k)
        return { ...r, slot: first, slots: held }
      })
    const [sixty] = summaryCharts(report(wide(30, 2, 8), { workers: 8 }))
    expect(sixty).toMatch(/^<details><summary>Timeline: 30 tasks on 8 workers<\/summary>/)
    expect(gantt(sixty as string)).toHaveLength(60)
    // 90 rows: how busy the workers were, counting each slot held, and the slowest whole.
    const [busy, slowest] = summaryCharts(report(wide(30, 3, 9), { workers: 9 }))
    expect(busy).toContain('Busy workers over time: 30 tasks on 9 workers')
    const values =
      /\n {2}bar \[(.*)\]/
        .exec(busy as string)?.[1]
        ?.split(', ')
        .map(Number) ?? []
    expect(values.slice(0, 5)).toEqual([9, 9, 9, 9, 9])
    expect(slowest).toContain('<summary>Timeline: the 20 slowest of 30 tasks</summary>')
    const rows = gantt(slowest as string)
    expect(rows).toHaveLength(60)
    // The 20 slowest are the last 20, each on its 3 slots.
    const labels = rows.map(line => line.trim().split(' :')[0])
    expect(new Set(labels)).toEqual(
      new Set(Array.from({ length: 20 }, (_, k) => `#116;ask-${29 - k} (3 slots)`))
    )
    // 20 tasks of 4 slots would take 80 rows: the 15 slowest are drawn whole.
    const [, fifteen] = summaryCharts(report(wide(30, 4, 8), { workers: 8 }))
    expect(fifteen).toContain('<summary>Timeline: 15 of the 20 slowest of 30 tasks</summary>')
    expect(gantt(fifteen as string)).toHaveLength(60)
  })

  it('draws a task that held more slots than the timeline has rows on its first 60', () => {
    const slots = Array.from({ length: 64 }, (_, k) => k + 1)
    const build = record(0, 'build', TaskStatus.Success, {
      slot: 1,
      slots,
      startedAt: T0,
      endedAt: T0 + 5000
    })
    const [busy, alone] = summaryCharts(report([build], { workers: 64 }))
    expect(busy).toContain('Busy workers over time: 1 task on 64 workers')
    expect(alone).toContain('<summary>Timeline: 1 task on 64 workers</summary>')
    const rows = gantt(alone as string)
    expect(rows).toHaveLength(60)
    expect(rows[0]).toBe('    #98;uild (64 slots) :t0, 0, 5000')
    expect(rows[59]).toBe('    #98;uild (64 slots) :t0s60, 0, 5000')
    // Four short tasks after it: it fills the rows, and the title says how many are not drawn.
    const after = Array.from({ length: 4 }, (_, i) =>
      record(i + 1, `unit-${i}`, TaskStatus.Success, {
        slot: i + 1,
        startedAt: T0 + 5000,
        endedAt: T0 + 5100
      })
    )
    const [, first] = summaryCharts(report([build, ...after], { workers: 64 }))
    expect(first).toContain(
      '<summary>Timeline: 5 tasks on 64 workers, 4 of them not drawn</summary>'
    )
    expect(gantt(first as string)).toHaveLength(60)
  })

  it('says how many of the slowest and of the other failures the rows left room for', () => {
    // 100 tasks; every tenth fails, holding 7 slots of its own: 8 failures fill 56 rows, and the
    // 4 rows left take the 4 slowest tasks of one slot.
    const records = run(100, 8, i => i % 10 === 5).map((r, i) => {
      if (i % 10 !== 5) return r
      const first = 9 + 7 * ((i - 5) / 10)
      return { ...r, slot: first, slots: Array.from({ length: 7 }, (_, k) => first + k) }
    })
    const [, slowest] = summaryCharts(report(records, { workers: 80 }))
    expect(slowest).toContain(
      '<summary>Timeline: 6 of the 20 slowest of 100 tasks, and 6 of the 8 other failed tasks</summary>'
    )
    const drawn = new Set(gantt(slowest as string).map(line => /ask-(\d+) /.exec(line)?.[1]))
    expect([...drawn].map(Number).sort((a, b) => a - b)).toEqual([
      25, 35, 45, 55, 65, 75, 85, 95, 96, 97, 98, 99
    ])
  })

  it('draws how busy the workers were and the slowest and failed tasks past 30', () => {
    const records = run(2_000, 8, i => i % 40 === 39)
    const blocks = summaryCharts(report(records, { workers: 8 }))
    expect(blocks).toHaveLength(2)
    const [busy, slowest] = blocks as [string, string]
    expect(busy).toMatch(
      /^<details><summary>Busy workers over time: 2,000 tasks on 8 workers<\/summary>\n\n```mermaid\n/
    )
    expect(busy).toContain('xychart-beta')
    expect(busy).toContain('y-axis "busy workers" 0.323 --> 8')
    expect(slowest).toContain(
      '<summary>Timeline: the 20 slowest of 2,000 tasks, and the 10 slowest of the 49 other failed tasks</summary>'
    )
    // Task i takes 100 + i ms: the slowest are the last 20 (1,999 failed among them), then the
    // longest failures before them.
    const drawn = barLines(slowest).map(line => /\bt(\d+), /.exec(line)?.[1])
    expect(drawn).toHaveLength(30)
    const labels = barLines(slowest).map(line => line.trim().split(' :')[0])
    const expected = [
      ...Array.from({ length: 20 }, (_, k) => 1999 - k),
      ...Array.from({ length: 10 }, (_, k) => 1959 - 40 * k)
    ]
    for (const i of expected) {
      expect(
        labels.some(label => label?.endsWith(`ask-${i}`) || label?.includes(`ask-${i} (`))
      ).toBe(true)
    }
    for (const block of blocks) {
      const chart = /```mermaid\n([\s\S]*)\n```/.exec(block)?.[1] ?? ''
      expect(chart.length).toBeLessThanOrEqual(MAX_CHART_TEXT)
    }
  })

  it('says when every failure is drawn, and names no failures when there are none', () => {
    const some = summaryCharts(report(run(100, 4, i => i === 3 || i === 50)))
    expect(some[1]).toContain(
      '<summary>Timeline: the 20 slowest of 100 tasks, and the 2 other failed tasks</summary>'
    )
    const none = summaryCharts(report(run(100, 4)))
    expect(none[1]).toContain('<summary>Timeline: the 20 slowest of 100 tasks</summary>')
  })

  it('titles the slowest tasks with how many it drew, and never draws none, for any slots held', () => {
    const TITLE =
      /<summary>Timeline: (?:(\d+) of )?the (\d+) slowest of [\d,]+ tasks(?:, and (?:(\d+) of )?the (?:(\d+) slowest of the )?([\d,]+) other failed tasks?)?<\/summary>/
    let whole = 0
    let leftOut = 0
    let cut = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Some tasks hold many of the 80 slots, up to more than the 60 rows.
            slots: fc.oneof(
              { weight: 30, arbitrary: fc.constant(1) },
              fc.integer({ min: 2, max: 80 })
            ),
            start: fc.nat({ max: 100_000 }),
            length: fc.nat({ max: 100_000 }),
            failed: fc.boolean()
          }),
          { minLength: 31, maxLength: 60 }
        ),
        entries => {
          const records = entries.map((e, i) => {
            const slot = (i % 80) + 1 > 81 - e.slots ? 81 - e.slots : (i % 80) + 1
            return record(i, `task-${i}`, e.failed ? TaskStatus.Failure : TaskStatus.Success, {
              slot,
              ...slotsOf(
                slot,
                Array.from({ length: e.slots }, (_, k) => slot + k)
              ),
              startedAt: T0 + e.start,
              endedAt: T0 + e.start + e.length
            })
          })
          const [, slowest] = summaryCharts(report(records, { workers: 80 }))
          const bars = gantt(slowest as string)
          const drawn = new Set(bars.map(bar => /:(?:[a-z]+, )*(t\d+)/.exec(bar)?.[1])).size
          expect(drawn).toBeGreaterThan(0)
          expect(bars.length).toBeLessThanOrEqual(60)
          const [, some, slowestCount, failures, ofFailures, allFailures] =
            TITLE.exec(slowest as string) ?? []
          expect(slowestCount).toBeDefined()
          const more = allFailures === undefined ? 0 : Number(ofFailures ?? allFailures)
          expect(Number(some ?? slowestCount) + Number(failures ?? more)).toBe(drawn)
          if (some !== undefined || failures !== undefined) leftOut++
          else whole++
          if (bars.length === 60 && drawn === 1) cut++
        }
      ),
      { seed: 20261207, numRuns: 300 }
    )
    // Of 300 runs of 31 to 60 tasks: all chosen drawn in 164, some left out in 136, one task cut
    // to the 60 rows in 5.
    expect([whole > 100, leftOut > 100, cut > 0]).toEqual([true, true, true])
  })

  it('keeps every chart within what Mermaid draws and every name escaped, for any run', () => {
    // A bar line: an escaped label (entity codes for anything with a meaning), tags, id, times.
    const BAR =
      /^ {4}(?:[^:;#%{}<>&"`$\n]|#\d+;)+ :(?:(?:active|done|crit|milestone), )*t\d+(?:s\d+)?, \d+, \d+$/
    const XY =
      /^---\nconfig:\n(?: .*\n)+---\nxychart-beta\n {2}x-axis "(?:milliseconds|seconds|minutes|hours) since the start" \[(?:"[\d.]{1,4}"(?:, )?)+\]\n {2}y-axis "busy workers" [\d.]+ --> \d+\n {2}bar \[(?:[\d.]+(?:, )?)+\]$/
    const name = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom(
        ':',
        '%%{init: {"theme":"dark"}}%%',
        '```',
        'click t0 call alert(1)',
        '\n',
        '#35;'
      )
    )
    let runs = 0
    let multiSlot = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name,
            slot: fc.integer({ min: 1, max: 8 }),
            more: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
            start: fc.nat({ max: 100_000 }),
            length: fc.nat({ max: 100_000 }),
            status: fc.constantFrom(...Object.values(TaskStatus))
          }),
          { minLength: 1, maxLength: 80 }
        ),
        entries => {
          runs++
          const records = entries.map((e, i) =>
            e.status === TaskStatus.Skipped || e.status === TaskStatus.Reused
              ? record(i, e.name, e.status)
              : record(i, e.name, e.status, {
                  slot: e.slot,
                  ...slotsOf(e.slot, e.more),
                  startedAt: T0 + e.start,
                  endedAt: T0 + e.start + e.length
                })
          )
          const ran = records.filter(r => r.startedAt !== null).length
          const rows = records
            .filter(r => r.startedAt !== null)
            .reduce((sum, r) => sum + (r.slots?.length ?? 1), 0)
          if (rows > ran) multiSlot++
          const blocks = summaryCharts(report(records, { workers: 8 }))
          const charts = blocks.map(block => /```mermaid\n([\s\S]*)\n```/.exec(block)?.[1] ?? '')
          const everyTask = ran <= 30 && rows <= 60
          expect(charts).toHaveLength(ran === 0 ? 0 : everyTask ? 1 : 2)
          for (const chart of charts) {
            expect(chart.length).toBeLessThanOrEqual(MAX_CHART_TEXT)
            if (chart.startsWith('---')) {
              expect(chart).toMatch(XY)
              continue
            }
            const bars = chart.split('\n').filter(line => line.startsWith('    '))
            for (const bar of bars) expect(bar).toMatch(BAR)
            // Every task up to 30 in up to 60 rows; beyond, the 20 slowest and at most 10 more
            // failures, each whole (at most 4 rows), in up to 60 rows.
            const drawn = new Set(bars.map(bar => /:(?:[a-z]+, )*(t\d+)/.exec(bar)?.[1]))
            if (everyTask) expect([bars.length, drawn.size]).toEqual([rows, ran])
            else expect([drawn.size >= 15, bars.length <= 60]).toEqual([true, true])
          }
        }
      ),
      { seed: 20261210, numRuns: 300 }
    )
    expect(runs).toBe(300)
    expect(multiSlot).toBeGreaterThan(200)
  })
})
