import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  buildSummary,
  DEFAULT_SUMMARY_LIMITS,
  type SummaryLimits
} from '../../src/report/summary.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { type RunReport } from '../../src/model/run-report.js'
import { type ShardItem } from '../../src/model/shard.js'
import { record, report } from '../helpers/records.js'
import { legacyBuildSummary } from './legacy-summary.js'
import * as legacy from './legacy-mermaid.js'
import { MAX_CHART_TEXT } from '../../src/report/mermaid-chart.js'
import {
  DEFAULT_FLOWCHART_LIMITS,
  MAX_FLOWCHART_EDGES,
  dependencyFlowchart
} from '../../src/report/mermaid-flowchart.js'
import { DEFAULT_GANTT_LIMITS, ganttChart } from '../../src/report/mermaid-gantt.js'
import { labelText, mermaidLabel } from '../../src/report/mermaid-label.js'

const statuses = Object.values(TaskStatus)
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', 'a', '<b>&"\'', '"'.repeat(300), 'x'.repeat(2000), 'line\n\nline\n')
)
const names = ['a', 'b', 'c', 'd', 'e', 'f']

const recordArb = (index: number): fc.Arbitrary<TaskRecord> =>
  fc
    .record({
      item: fc.oneof(
        text,
        fc.constantFrom(...names),
        fc.integer(),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), {
          maxKeys: 2,
          noNullPrototype: true
        })
      ),
      status: fc.constantFrom(...statuses),
      outputTail: text,
      error: fc.option(text),
      summary: fc.oneof(fc.constant(''), fc.constant('  \n'), text),
      attempts: fc.integer({ min: 0, max: 4 }),
      signal: fc.option(fc.constantFrom('SIGTERM', 'SIGKILL')),
      slot: fc.option(fc.integer({ min: 1, max: 4 })),
      startedAt: fc.option(fc.integer({ min: 0, max: 100_000 })),
      length: fc.integer({ min: 0, max: 20_000_000 }),
      needs: fc.option(fc.array(fc.constantFrom(...names, 'zz'), { maxLength: 3 }), {
        nil: undefined
      }),
      skipReason: fc.option(text, { nil: undefined }),
      resolve: fc.option(
        fc.record({ resolved: fc.boolean(), error: fc.option(text, { nil: undefined }) }),
        { nil: undefined }
      )
    })
    .map(({ item, status, startedAt, length, ...extra }) =>
      record(index, item, status, {
        ...extra,
        startedAt,
        endedAt: startedAt === null ? null : startedAt + length,
        durationMs: length
      })
    )

const reportArb: fc.Arbitrary<RunReport> = fc
  .integer({ min: 0, max: 60 })
  .chain(count =>
    fc.record({
      records: fc.tuple(...Array.from({ length: count }, (_, i) => recordArb(i))),
      extraTotal: fc.integer({ min: 0, max: 3 }),
      haltReason: fc.option(text),
      durationMs: fc.integer({ min: 0, max: 100_000 }),
      origin: fc.oneof(
        fc.constant({}),
        fc.record({
          shard: fc.record({
            index: fc.nat(5),
            total: fc.integer({ min: 1, max: 6 }),
            itemCount: fc.nat(100),
            itemsDigest: fc.constant(''),
            splitDigest: fc.constant(''),
            byTimings: fc.boolean(),
            estimatedMs: fc.nat(100_000),
            estimatedTotalMs: fc.nat(100_000),
            items: fc.constant<ShardItem[]>([])
          })
        }),
        fc.record({
          merged: fc.record({
            files: fc.nat(5),
            shards: fc.option(fc.nat(5)),
            missingShards: fc.constant<number[]>([]),
            problems: fc.array(text, { maxLength: 25 })
          })
        })
      )
    })
  )
  .map(({ records, extraTotal, haltReason, durationMs, origin }) => {
    const built = report(records, { haltReason, durationMs, ...origin })
    built.counts.total += extraTotal
    return built
  })

const limitsArb: fc.Arbitrary<SummaryLimits> = fc.oneof(
  fc.constant(DEFAULT_SUMMARY_LIMITS),
  fc.record({
    maxRows: fc.integer({ min: 0, max: 70 }),
    maxTails: fc.integer({ min: 0, max: 30 }),
    maxTailChars: fc.integer({ min: 0, max: 3000 }),
    maxBytes: fc.integer({ min: 0, max: 60_000 })
  })
)

/** Parts whose presence shows which budget paths a case took. */
const MARKS = [
  'more tasks not shown',
  '```mermaid',
  'Task graph',
  '### Output of failed tasks',
  'more failed tasks not shown',
  '## Task summaries',
  'more task summaries left out',
  'Merged from',
  'Shard **',
  'Halted early',
  'retries',
  'review threads'
]

describe('buildSummary against the loops it replaced', () => {
  it('writes the same bytes for generated reports and limits', () => {
    let cases = 0
    const seen = new Map<string, number>()
    fc.assert(
      fc.property(reportArb, limitsArb, (run, limits) => {
        cases++
        const old = legacyBuildSummary(run, limits)
        for (const mark of MARKS) if (old.includes(mark)) seen.set(mark, (seen.get(mark) ?? 0) + 1)
        expect(buildSummary(run, limits)).toBe(old)
      }),
      { numRuns: Number(process.env.SUMMARY_CASES ?? 3000) }
    )
    console.log(`compared ${cases} cases; outputs with each part: ${JSON.stringify([...seen])}`)
  })
})

const limits = fc.record(
  {
    maxEntries: fc.oneof(fc.integer({ min: -1, max: 30 }), fc.constant(Number.NaN)),
    maxLabel: fc.oneof(fc.integer({ min: -1, max: 80 }), fc.constant(Infinity))
  },
  { requiredKeys: [] }
)
const label = fc.oneof(
  text,
  fc.constantFrom(...names),
  fc.constantFrom('direction TB', 'www.x', 'ﬂ°¶ß', '%%{init}%%', '```', 'a:b#c;d')
)

describe('Mermaid charts against the module they were split from', () => {
  it('draws the same gantt charts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            label,
            slot: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constant(Number.NaN)),
            startMs: fc.oneof(fc.integer({ min: -10, max: 20_000_000 }), fc.constant(Infinity)),
            endMs: fc.integer({ min: -10, max: 20_000_000 }),
            status: fc.constantFrom(...statuses)
          }),
          { maxLength: 40 }
        ),
        fc.option(limits, { nil: undefined }),
        (tasks, chartLimits) => {
          expect(ganttChart(tasks, chartLimits)).toEqual(legacy.ganttChart(tasks, chartLimits))
        }
      ),
      { numRuns: 2000 }
    )
  })

  it('draws the same flowcharts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: label,
            needs: fc.array(fc.constantFrom(...names, 'zz'), { maxLength: 4 }),
            status: fc.constantFrom(...statuses),
            reason: fc.option(label, { nil: undefined })
          }),
          { maxLength: 40 }
        ),
        fc.option(limits, { nil: undefined }),
        (nodes, chartLimits) => {
          expect(dependencyFlowchart(nodes, chartLimits)).toEqual(
            legacy.dependencyFlowchart(nodes, chartLimits)
          )
        }
      ),
      { numRuns: 2000 }
    )
  })

  it('writes the same labels', () => {
    fc.assert(
      fc.property(label, fc.integer({ min: -1, max: 80 }), (text, max) => {
        expect(mermaidLabel(text, max)).toBe(legacy.mermaidLabel(text, max))
        expect(labelText(text, max)).toBe(legacy.labelText(text, max))
      }),
      { numRuns: 2000 }
    )
  })

  it('keeps the same limits', () => {
    expect([
      DEFAULT_GANTT_LIMITS,
      DEFAULT_FLOWCHART_LIMITS,
      MAX_CHART_TEXT,
      MAX_FLOWCHART_EDGES
    ]).toEqual([
      legacy.DEFAULT_GANTT_LIMITS,
      legacy.DEFAULT_FLOWCHART_LIMITS,
      legacy.MAX_CHART_TEXT,
      legacy.MAX_FLOWCHART_EDGES
    ])
  })
})

describe('Mermaid charts past the text cap, against the module they were split from', () => {
  const many = Array.from({ length: 3000 }, (_, i) => ({
    label: `${'"%:'.repeat(30)}${i}`,
    name: `${'"%:'.repeat(30)}${i % 700}`,
    needs: [`${'"%:'.repeat(30)}${(i * 7) % 700}`, `${'"%:'.repeat(30)}${(i * 3) % 700}`],
    slot: i % 8,
    startMs: i * 10,
    endMs: i * 10 + (i % 50) * 100,
    status: statuses[i % statuses.length] as TaskStatus
  }))
  it.each([10, 200, 1000, 3000])('%i tasks', count => {
    const tasks = many.slice(0, count)
    for (const maxEntries of [5, 200, 5000]) {
      const chartLimits = { maxEntries, maxLabel: 200 }
      expect(ganttChart(tasks, chartLimits)).toEqual(legacy.ganttChart(tasks, chartLimits))
      expect(dependencyFlowchart(tasks, chartLimits)).toEqual(
        legacy.dependencyFlowchart(tasks, chartLimits)
      )
    }
  })
})
