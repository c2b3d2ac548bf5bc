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
