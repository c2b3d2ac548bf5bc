import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Shell } from '../../src/model/shell.js'
import { HaltKind } from '../../src/model/halt.js'
import { type ResultsFile } from '../../src/report/merge-checks.js'
import {
  describeMerge,
  mergeProblemsMessage,
  mergeReports,
  mergeResultsFiles
} from '../../src/report/merge.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { failureMessage } from '../../src/report/outputs.js'
import { countStatuses } from '../../src/model/run-report.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { MAX_ITEMS } from '../../src/results/report-format.js'
import { emptyHistory } from '../../src/model/history.js'
import { takeShard } from '../../src/plan/shard.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { CommandTemplate } from '../../src/template/template.js'
import { record, report } from '../helpers/records.js'
import { editRecords, readFile, shardFile, shardInfo, shardReport } from '../helpers/shards.js'

describe('readResultsFile and mergeReports', () => {
  it('round-trips a results file and merges shards in input order with slots of their own', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    for (const index of [2, 0, 1]) await shardFile(root, index, shardReport(index))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.records.map(r => [r.index, r.item, r.status, r.slot])).toEqual([
      [0, 'item-0', TaskStatus.Success, 1],
      [1, 'item-1', TaskStatus.Success, 3],
      [2, 'item-2', TaskStatus.Success, 5],
      [3, 'item-3', TaskStatus.Success, 2],
      [4, 'item-4', TaskStatus.Failure, 4],
      [5, 'item-5', TaskStatus.Success, 6]
    ])
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 5, failed: 1 })
    expect(merged.durationMs).toBe(3000)
    expect(merged.workers).toBe(6)
    expect(merged.merged).toEqual({
      files: 3,
      shards: 3,
      missingShards: [],
      problems: [],
      slotsPerFile: [2, 2, 2]
    })
    expect(merged.records[3]?.outputs).toEqual({ k: 'v' })
    expect(merged.records[0]?.startedAt).toBe(1_700_000_000_000)
    expect(mergeProblemsMessage(merged)).toBeUndefined()
  })

  it('keeps the slots and locks each task held, its slots numbered as its file is', () => {
    // Each shard ran on 3 workers; its second item held slots 2 and 3, and two locks.
    const files = [0, 1, 2].map(index =>
      readFile(`s${index}.json`, shardReport(index, { workers: 3 }))
    )
    for (const file of files) {
      Object.assign(file.report.records[1] as TaskRecord, { slots: [2, 3], locks: ['db', '5432'] })
    }
    const merged = mergeReports(files)
    expect(merged.records.map(r => [r.item, r.slot, r.slots, r.locks])).toEqual([
      ['item-0', 1, undefined, undefined],
      ['item-1', 4, undefined, undefined],
      ['item-2', 7, undefined, undefined],
      ['item-3', 2, [2, 3], ['db', '5432']],
      ['item-4', 5, [5, 6], ['db', '5432']],
      ['item-5', 8, [8, 9], ['db', '5432']]
    ])
    // The merge's own file holds them, and a merge of it keeps them where they are.
    const read = parseResultsFile(resultsFileText(merged), 'merged.json')
    expect(read.records).toEqual(merged.records)
    expect(mergeReports([readFile('merged.json', read)]).records).toEqual(merged.records)
    // The shards' files are left as they were.
    expect(files[2]?.report.records[1]?.slots).toEqual([2, 3])
  })

  it('reports a missing shard instead of hiding it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    await shardFile(root, 0, shardReport(0))
    await shardFile(root, 2, shardReport(2))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.merged?.missingShards).toEqual([1])
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 4 })
    expect(merged.records).toHaveLength(4)
    expect(mergeProblemsMessage(merged)).toBe(
      '1 of 3 shards has no results file (1/3): their 2 items have no result here. Re-run those shards.'
    )
  })

  it('merges a re-run attempt of one shard with the others from the first attempt', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    const digest = 'c'.repeat(64)
    const firstAttempt = { run: { id: 500, attempt: 1 } }
    await shardFile(root, 0, shardReport(0, firstAttempt))
    await shardFile(root, 2, shardReport(2, firstAttempt))
    // Attempt 2 re-ran shard 1: item-1 passed in attempt 1, item-4 failed there and passed now.
    const rerun = report(
      [
        record(1, 'item-1', TaskStatus.Reused, {
          reusedFrom: { runId: 500, attempt: 1, at: 1_700_000_000_000 },
          commandDigest: digest
        }),
        record(4, 'item-4', TaskStatus.Success, {
          slot: 1,
          attempts: 2,
          flaky: true,
          commandDigest: digest,
          sourcesDigest: 'd'.repeat(64)
        })
      ],
      { shard: shardInfo(1), run: { id: 500, attempt: 2 } }
    )
    await shardFile(root, 1, rerun)
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.merged?.problems).toEqual([])
    expect(merged.run).toEqual({ id: 500, attempt: 2 })
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 5, reused: 1, failed: 0 })
    expect(merged.records[1]).toMatchObject({
      status: TaskStatus.Reused,
      reusedFrom: { runId: 500, attempt: 1, at: 1_700_000_000_000 },
      commandDigest: digest
    })
    expect(merged.records[4]).toMatchObject({ flaky: true, sourcesDigest: 'd'.repeat(64) })
    expect(failureMessage(merged)).toBeUndefined()
    expect(describeMerge(merged)).toBe('Merged 3 results files of 3 shards: 6 results.')
  })

  it('refuses files of different workflow runs, and merges files that do not say their run', () => {
    const file = (index: number, run?: { id: number; attempt: number }) =>
      readFile(`s${index}.json`, shardReport(index, run === undefined ? {} : { run }))
    const merged = mergeReports([
      file(0, { id: 500, attempt: 1 }),
      file(1, { id: 501, attempt: 1 }),
      file(2, { id: 500, attempt: 2 })
    ])
    expect(merged.records).toEqual([])
    expect(mergeProblemsMessage(merged)).toBe(
      "Invalid merge-results: 's1.json' comes from workflow run 501 and 's0.json' from run 500. " +
        'Expected the results files of one run (of any of its attempts).'
    )
    const unsaid = mergeReports([file(0), file(1, { id: 500, attempt: 3 }), file(2)])
    expect(unsaid.merged?.problems).toEqual([])
    expect(unsaid.run).toEqual({ id: 500, attempt: 3 })
    expect(mergeReports([file(0), file(1), file(2)]).run).toBeUndefined()
  })

  it('refuses shards of different runs, of different splits, or the same shard twice', () => {
    const file = (index: number, shard: Partial<ShardInfo> = {}) =>
      readFile(`s${index}.json`, shardReport(index, { shard: shardInfo(index, shard) }))
    /** The merge's one problem: nothing merged, every item without a result. */
    const refusal = (files: ResultsFile[]): string | undefined => {
      const merged = mergeReports(files)
      expect(merged.records).toEqual([])
      expect(merged.merged?.problems).toHaveLength(1)
      return mergeProblemsMessage(merged)
    }
    expect(refusal([file(0), file(1, { itemsDigest: 'other' })])).toBe(
      "Invalid merge-results: 's1.json' and 's0.json' come from different runs (other items or " +
        'another number of shards). Expected the results files of the shards of one run.'
    )
    expect(refusal([file(0), file(1, { total: 4 })])).toContain('different runs')
    expect(refusal([file(0), file(1, { splitDigest: 'x' })])).toContain(
      'split the items differently, so some items ran twice or not at all. Expected every shard to read the same history file.'
    )
    expect(refusal([file(0), file(0)])).toBe(
      "Invalid merge-results: shard 0/3 appears twice, in 's0.json' and 's0.json'. Expected one results file per shard."
    )
    expect(refusal([file(0), readFile('s1.json', report([]))])).toContain(
      "'s1.json' comes from a run without shard"
    )
    expect(refusal([readFile('s1.json', report([])), file(0)])).toContain(
      "'s1.json' comes from a run without shard"
    )
    expect(mergeReports([file(0), file(1, { total: 4 })]).counts.total).toBe(6)
  })

  it('keeps a halt kind only when every halted shard shares it', () => {
    const file = (index: number, haltKind: HaltKind | null) =>
      readFile(
        `s${index}.json`,
        shardReport(index, { haltReason: haltKind === null ? null : `halt ${index}`, haltKind })
      )
    const won = mergeReports([
      file(0, HaltKind.Successes),
      file(1, null),
      file(2, HaltKind.Successes)
    ])
    expect(won.haltKind).toBe(HaltKind.Successes)
    expect(won.haltReason).toBe('shard 0/3: halt 0; shard 2/3: halt 2')
    expect(mergeReports([file(0, HaltKind.Successes), file(1, HaltKind.Failures)]).haltKind).toBe(
      null
    )
  })

  it("excuses a file's cancellations only by its own halt", () => {
    const plain = (name: string, statuses: TaskStatus[], haltKind: HaltKind | null) =>
      readFile(
        name,
        report(
          statuses.map((status, index) => record(index, `${name}${index}`, status)),
          { haltReason: haltKind === null ? null : `halt of ${name}`, haltKind }
        )
      )
    const raced = plain('a', [TaskStatus.Success, TaskStatus.Cancelled], HaltKind.Successes)
    expect(mergeReports([raced, plain('b', [TaskStatus.Success], null)]).haltKind).toBe(
      HaltKind.Successes
    )
    // b's cancellations have no halt of their own: a's race cannot excuse them, nor its own.
    const merged = mergeReports([raced, plain('b', [TaskStatus.Cancelled], null)])
    expect(merged.haltKind).toBe(null)
    expect(failureMessage(merged)).toBe('2 of 3 tasks did not succeed (2 cancelled): b0, a1.')
  })

  it('reads back a merge of shards that halted in different ways, each reason kept', () => {
    const halted = (index: number, haltKind: HaltKind) =>
      readFile(`s${index}.json`, shardReport(index, { haltReason: `halt ${index}`, haltKind }))
    const merged = mergeReports([
      halted(0, HaltKind.Failures),
      halted(1, HaltKind.Timeout),
      halted(2, HaltKind.Failures)
    ])
    expect(merged.haltReason).toBe('shard 0/3: halt 0; shard 1/3: halt 1; shard 2/3: halt 2')
    expect(merged.haltKind).toBe(null)
    expect(parseResultsFile(resultsFileText(merged), 'merged.json')).toStrictEqual(merged)
  })

  it('builds from what the files hold, however many items their counts claim', () => {
    // A merge's own file whose total is the most a run can have; its problem explains it.
    const records = [0, 1, 2].map(index => record(index, `i${index}`, TaskStatus.Success))
    const mergedFile = report(records, {
      counts: { ...countStatuses(records), total: MAX_ITEMS },
      merged: { files: 2, shards: null, missingShards: [], problems: ['A file was refused.'] }
    })
    const read = parseResultsFile(resultsFileText(mergedFile), 'merged.json')
    const again = mergeReports([readFile('merged.json', read)])
    expect(again.counts).toMatchObject({ total: MAX_ITEMS, succeeded: 3 })
    expect(again.merged?.problems).toEqual(['A file was refused.'])
    expect(failureMessage(again)).toBe(
      '4,294,967,292 of 4,294,967,295 tasks did not succeed (4,294,967,292 without a result).'
    )
    // The only shard of a run that claims the most items a run can have.
    const shard = shardInfo(0, { total: 1, itemCount: MAX_ITEMS })
    const lone = parseResultsFile(resultsFileText(shardReport(0, { shard })), 's0.json')
    const split = mergeReports([readFile('s0.json', lone)])
    expect(split.counts.total).toBe(MAX_ITEMS)
    expect(split.merged?.problems).toEqual([
      `No shard has item 2 among its items, of the run's ${MAX_ITEMS}.`
    ])
  })

  it('numbers the results of unsharded runs one after another', () => {
    const plain = (name: string, items: string[]) =>
      readFile(
        name,
        report(
          items.map((item, index) => record(index, item, TaskStatus.Success)),
          { durationMs: 5, shell: 'sh' }
        )
      )
    const merged = mergeReports([plain('a', ['x', 'y']), plain('b', ['z'])])
    expect(merged.records.map(r => [r.index, r.item])).toEqual([
      [0, 'x'],
      [1, 'z'],
      [2, 'y']
    ])
    expect(merged.merged).toEqual({
      files: 2,
      shards: null,
      missingShards: [],
      problems: [],
      slotsPerFile: [2, 2]
    })
  })

  it('merges a merged file whose slotsPerFile is longer than a call may take arguments', () => {
    const plain = (name: string, items: string[]): ResultsFile =>
      readFile(name, report(items.map((item, index) => record(index, item, TaskStatus.Success))))
    const first = mergeReports([plain('a', ['x']), plain('b', ['y'])])
    // Adds up to its workers, as the reader requires, in 300,001 entries.
    const long = [first.workers, ...new Array<number>(300_000).fill(0)]
    const merged = mergeReports([
      readFile('merged', { ...first, merged: { ...first.merged!, slotsPerFile: long } }),
      plain('c', ['z'])
    ])
    expect(merged.merged?.slotsPerFile).toHaveLength(300_002)
    expect(merged.records).toHaveLength(3)
  })

  it('merges around a file that is not a valid results file, naming the file and the field', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    await shardFile(root, 0, shardReport(0))
    await shardFile(root, 1, shardReport(1))
    const bad = await shardFile(root, 2, shardReport(2))
    editRecords(bad, results => results.map(result => ({ ...(result as object), durationMs: -5 })))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.merged?.missingShards).toEqual([2])
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 3, failed: 1 })
    // The log counts the results merged, not the items expected.
    expect(describeMerge(merged)).toBe(
      `Merged 2 results files of 3 shards: ${merged.records.length} results; ` +
        `${6 - merged.records.length} of 6 items without one.`
    )
    expect(merged.records.length).toBeLessThan(6)
    expect(merged.merged?.problems).toEqual([
      '1 of 3 shards has no valid results file (2/3): their 2 items have no result here. Re-run those shards.',
      `Invalid results file 'shard-2/results.json': 'results[0].durationMs' is -5. Expected a number of milliseconds ≥ 0.`
    ])
    mkdirSync(join(root, 'none'))
    await expect(mergeResultsFiles('none/*.json', root, 'merge-results')).rejects.toThrow(
      "Invalid merge-results 'none/*.json': no file matches. Expected the shards' results files, " +
        'such as downloaded with actions/download-artifact.'
    )
  })
})

describe('merging shards whose records were tampered with (property)', () => {
  type Edit = { shard: number; kind: 'drop' | 'twice' | 'foreign' | 'other'; at: number }
  const edit = fc.record({
    shard: fc.nat(),
    kind: fc.constantFrom<Edit['kind']>('drop', 'twice', 'foreign', 'other'),
    at: fc.nat()
  })
  /** Records in a canonical order, to tell a real change from a reordering. */
  const canonical = (records: readonly TaskRecord[]): string =>
    JSON.stringify(
      [...records].sort((a, b) => a.index - b.index || (String(a.item) < String(b.item) ? -1 : 1))
    )

  /** Applies one edit to a shard's records, as a changed or broken shard file would have it. */
  function apply(
    records: TaskRecord[],
    own: ReadonlySet<number>,
    itemCount: number,
    change: Edit
  ): void {
    const target = records[change.at % Math.max(1, records.length)]
    if (change.kind === 'drop' && target) records.splice(records.indexOf(target), 1)
    if (change.kind === 'twice' && target) records.push({ ...target })
    if (change.kind === 'other' && target)
      records.splice(records.indexOf(target), 1, { ...target, item: 'zz' })
    const foreign = change.at % (itemCount + 3)
    if (change.kind === 'foreign' && !own.has(foreign)) {
      records.push(record(foreign, `i${foreign}`, TaskStatus.Success))
    }
  }

  it("counts every item once, keeps only the split's records, and fails exactly when changed", () => {
    let cases = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(edit, { maxLength: 4 }),
        (total, itemCount, edits) => {
          cases++
          const items = Array.from({ length: itemCount }, (_, index) => `i${index}`)
          const plan = prepareItems(items, CommandTemplate.parse('echo {}', Shell.Bash))
          const runs = Array.from({ length: total }, (_, index) => {
            const part = takeShard(plan, { index, total }, emptyHistory())
            const records = part.prepared.map(one =>
              record(
                one.index,
                one.item,
                one.index % 3 === 0 ? TaskStatus.Failure : TaskStatus.Success
              )
            )
            return { part, records, original: canonical(records) }
          })
          for (const change of edits) {
            const run = runs[change.shard % total] as (typeof runs)[0]
            const own = new Set(run.part.prepared.map(one => one.index))
            apply(run.records, own, itemCount, change)
          }
          // Each shard's file as a run writes it, read back as the merge reads it.
          const files = runs.map(({ part, records }, index) => {
            const written = report(records, { shard: part.shard, workers: 2 })
            return {
              path: `s${index}`,
              report: parseResultsFile(resultsFileText(written), `s${index}`)
            }
          })
          const merged = mergeReports(files)
          const indexes = merged.records.map(one => one.index)
          expect(new Set(indexes).size).toBe(indexes.length)
          for (const one of merged.records) expect(one.item).toBe(items[one.index])
          expect(merged.counts.total).toBe(itemCount)
          expect(merged.counts.succeeded + merged.counts.failed).toBe(merged.records.length)
          const changed = runs.some(run => canonical(run.records) !== run.original)
          expect((merged.merged?.problems.length ?? 0) > 0).toBe(changed)
          if (!changed) expect(merged.records).toHaveLength(itemCount)
        }
      ),
      { seed: 20261207, numRuns: 1000 }
    )
    expect(cases).toBe(1000)
  })
})
