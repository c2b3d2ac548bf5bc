import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { HaltKind } from '../../src/model/halt.js'
import { mergeProblemsMessage, mergeReports } from '../../src/report/merge.js'
import { type ResultsFile } from '../../src/report/merge-checks.js'
import { failureMessage } from '../../src/report/outputs.js'
import { type RunReport } from '../../src/model/run-report.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'
import { shardInfo } from '../helpers/shards.js'

// A results file, edited as freely as JSON.parse's own `any` allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonFile = Record<string, any>

/** Numbers at the edges of what a run can have, and far past them. */
const NUMBERS = [
  0,
  1,
  2,
  3,
  6,
  10,
  255,
  256,
  257,
  2 ** 31,
  2 ** 32 - 2,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 40,
  Number.MAX_SAFE_INTEGER
]

/** Every number of a results file that a merge counts, sizes or loops by, and how to set it. */
const FIELDS: Record<string, (file: JsonFile, value: number) => void> = {
  'counts.total': (f, n) => (f.counts.total = n),
  'counts.succeeded': (f, n) => (f.counts.succeeded = n),
  'shard.index': (f, n) => f.shard && (f.shard.index = n),
  'shard.total': (f, n) => f.shard && (f.shard.total = n),
  'shard.itemCount': (f, n) => f.shard && (f.shard.itemCount = n),
  'shard.items[0].index': (f, n) => f.shard && (f.shard.items[0].index = n),
  'results[0].index': (f, n) => (f.results[0].index = n),
  workers: (f, n) => (f.workers = n),
  'merged.files': (f, n) => f.merged && (f.merged.files = n),
  'merged.shards': (f, n) => f.merged && (f.merged.shards = n),
  'merged.missingShards': (f, n) => f.merged && (f.merged.missingShards = [n]),
  'merged.slotsPerFile': (f, n) => f.merged && (f.merged.slotsPerFile = [n])
}

/** Other edits a crafted file could make: a cancelled result, a race won, a problem cleared. */
const CHANGES: Record<string, (file: JsonFile) => void> = {
  cancelled: f => {
    f.results[0].status = 'cancelled'
    f.counts.succeeded -= 1
    f.counts.cancelled += 1
  },
  'race won': f => {
    f.haltReason = 'stop-on-success: 1 success'
    f.haltKind = 'successes'
  },
  'no problems': f => f.merged && (f.merged.problems = [])
}

/** Shard `index` of the helpers' run, every item a success. */
const succeeded = (index: number): RunReport =>
  report(
    shardInfo(index).items.map(({ index: at, item }) => record(at, item, TaskStatus.Success)),
    { shard: shardInfo(index) }
  )

type Edit = { field: string; value: number } | { change: string }

describe('merging crafted results files (property)', () => {
  it('never sizes anything by a number from a file, and never passes items without a result', () => {
    const edit: fc.Arbitrary<Edit> = fc.oneof(
      fc.record({
        field: fc.constantFrom(...Object.keys(FIELDS)),
        value: fc.constantFrom(...NUMBERS)
      }),
      fc.record({ change: fc.constantFrom(...Object.keys(CHANGES)) })
    )
    const file = fc.record({
      shard: fc.integer({ min: 0, max: 2 }),
      // Without shard: a plain run's file, or a merge's own file (with `merged`).
      asMerge: fc.boolean(),
      edits: fc.array(edit, { maxLength: 3 })
    })
    // Either the three shards of one run, each edited as a spec says, or the specs' plain files.
    const input = fc.record({
      sharded: fc.boolean(),
      specs: fc.array(file, { minLength: 1, maxLength: 3 })
    })
    let cases = 0
    let merged = 0
    let passed = 0
    fc.assert(
      fc.property(input, ({ sharded, specs }) => {
        cases++
        const files: ResultsFile[] = []
        const refused: string[] = []
        const used = sharded
          ? [0, 1, 2].map(shard => ({ ...specs[0], ...specs[shard], shard }))
          : specs
        used.forEach((spec, position) => {
          const json = JSON.parse(resultsFileText(succeeded(spec.shard))) as JsonFile
          if (!sharded) {
            // A plain run numbers its items from 0.
            delete json.shard
            json.results.forEach((result: JsonFile, index: number) => (result.index = index))
          }
          if (!sharded && spec.asMerge) {
            json.merged = { files: 1, shards: null, missingShards: [], problems: [] }
          }
          for (const one of spec.edits ?? []) {
            if ('field' in one) FIELDS[one.field]?.(json, one.value)
            else CHANGES[one.change]?.(json)
          }
          const path = `f${position}.json`
          try {
            files.push({ path, report: parseResultsFile(JSON.stringify(json), path) })
          } catch (error) {
            expect(String(error)).toContain(`Invalid results file '${path}'`)
            refused.push((error as Error).message)
          }
        })
        const merge = mergeReports(files, refused)
        if (files.length > 0) merged++
        const indexes = merge.records.map(one => one.index)
        expect(new Set(indexes).size).toBe(indexes.length)
        const passes =
          failureMessage(merge) === undefined && mergeProblemsMessage(merge) === undefined
        if (passes) {
          passed++
          // A step that passes has a result for every item it counts, and every one succeeded
          // or was cancelled by its own file's won race.
          expect(merge.counts.total).toBe(merge.records.length)
          expect(refused).toEqual([])
          for (const one of merge.records) {
            expect([TaskStatus.Success, TaskStatus.Cancelled]).toContain(one.status)
          }
          for (const one of files) {
            if (one.report.records.some(({ status }) => status === TaskStatus.Cancelled)) {
              expect(one.report.haltKind).toBe(HaltKind.Successes)
            }
          }
        }
      }),
      { seed: 20261207, numRuns: 5000 }
    )
    expect(cases).toBe(5000)
    // Most cases merge at least one file, so the merge itself is what is tried.
    expect(merged).toBeGreaterThan(2500)
    // ...and many pass, so what a passing step guarantees is checked too.
    expect(passed).toBeGreaterThan(100)
  })
})
