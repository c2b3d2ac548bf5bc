import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HaltKind } from '../src/executor.js'
import { type ResultsFile } from '../src/merge-checks.js'
import { mergeProblemsMessage, mergeReports, mergeResultsFiles } from '../src/merge.js'
import { countStatuses, describeResolves, type MergeInfo, type RunReport } from '../src/results.js'
import { buildSummary } from '../src/summary.js'
import {
  parseResultsFile,
  readResultsFile,
  resultsFileText,
  writeResultsFile
} from '../src/results-file.js'
import { itemsDigest, splitDigest, takeShard, type ShardInfo } from '../src/shard.js'
import { Shell } from '../src/constants.js'
import { prepareItems } from '../src/prepare.js'
import { type TaskRecord } from '../src/task-record.js'
import { CommandTemplate } from '../src/template.js'
import { TaskStatus } from '../src/task-status.js'
import { record, report } from './helpers/records.js'

/** Six items dealt round-robin over three shards: shard i has items i and i + 3. */
const ITEMS = Array.from({ length: 6 }, (_, index) => `item-${index}`)

const shardInfo = (index: number, extra: Partial<ShardInfo> = {}): ShardInfo => ({
  index,
  total: 3,
  itemCount: 6,
  itemsDigest: itemsDigest(ITEMS),
  splitDigest: splitDigest(ITEMS.map((_, item) => item % 3)),
  byTimings: false,
  estimatedMs: 0,
  estimatedTotalMs: 0,
  items: [index, index + 3].map(item => ({ index: item, item: ITEMS[item] as string })),
  ...extra
})

/** Writes a shard's results file the way a run does; returns its path. */
async function shardFile(root: string, index: number, runReport: RunReport): Promise<string> {
  return writeResultsFile(join(root, `shard-${index}`), runReport)
}

/** Rewrites a results file's records as `edit` says, keeping its counts true to them. */
function editRecords(path: string, edit: (results: unknown[]) => unknown[]): void {
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    counts: Record<string, number>
    results: { status: string }[]
  }
  file.results = edit(file.results) as { status: string }[]
  file.counts.total = file.results.length
  file.counts.succeeded = file.results.filter(result => result.status === 'success').length
  file.counts.failed = file.results.filter(result => result.status === 'failure').length
  writeFileSync(path, JSON.stringify(file))
}

const shardReport = (index: number, extra: Partial<RunReport> = {}): RunReport =>
  report(
    [
      record(index, `item-${index}`, TaskStatus.Success, { slot: 1 }),
      record(
        index + 3,
        `item-${index + 3}`,
        index === 1 ? TaskStatus.Failure : TaskStatus.Success,
        {
          slot: 2,
          outputs: { k: 'v' }
        }
      )
    ],
    { shard: shardInfo(index), durationMs: 1000 * (index + 1), ...extra }
  )

/** A results file as read, without writing it. */
const readFile = (path: string, runReport: RunReport): ResultsFile => ({ path, report: runReport })

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
    expect(merged.merged).toEqual({ files: 3, shards: 3, missingShards: [], problems: [] })
    expect(merged.records[3]?.outputs).toEqual({ k: 'v' })
    expect(merged.records[0]?.startedAt).toBe(1_700_000_000_000)
    expect(mergeProblemsMessage(merged)).toBeUndefined()
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
      '1 of 3 shards have no results file (1/3): their 2 items have no result here. Re-run those shards.'
    )
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
      'split the items differently, so some items ran twice or not at all. Expected every shard to read the same timings file.'
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
    expect(merged.merged).toEqual({ files: 2, shards: null, missingShards: [], problems: [] })
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
    expect(merged.merged?.problems).toEqual([
      '1 of 3 shards have no valid results file (2/3): their 2 items have no result here. Re-run those shards.',
      `Invalid results file 'shard-2/results.json': 'results[0].durationMs' is -5. Expected a number of milliseconds ≥ 0.`
    ])
    mkdirSync(join(root, 'none'))
    await expect(mergeResultsFiles('none/*.json', root, 'merge-results')).rejects.toThrow(
      "Invalid merge-results 'none/*.json': no file matches. Expected the shards' results files, " +
        'such as downloaded with actions/download-artifact.'
    )
  })
})

describe('records checked against the split', () => {
  /** The three shards' results files, as their runs wrote them. */
  async function writeShards(): Promise<{ root: string; paths: string[] }> {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    const paths = [await shardFile(root, 0, shardReport(0))]
    paths.push(await shardFile(root, 1, shardReport(1)))
    paths.push(await shardFile(root, 2, shardReport(2)))
    return { root, paths }
  }
  const merge = (root: string): Promise<RunReport> =>
    mergeResultsFiles('shard-*/results.json', root, 'merge-results')

  it('fails naming the shard and the item when a shard file lacks a record', async () => {
    const { root, paths } = await writeShards()
    editRecords(paths[1] as string, results => results.slice(0, 1))
    const merged = await merge(root)
    // item 5 ran in no file here: it counts in total, without a result, and fails the step
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 5, failed: 0 })
    expect(merged.records.map(r => r.index)).toEqual([0, 1, 2, 3, 5])
    expect(mergeProblemsMessage(merged)).toBe(
      `Shard 1/3 (shard-1/results.json) has no record for item 5 'item-4'.`
    )
    // and so does it after a round through the merged results file
    const again = await readResultsFile(await writeResultsFile(join(root, 'out'), merged))
    expect(mergeProblemsMessage(again)).toBe(mergeProblemsMessage(merged))
  })

  it('counts a record present twice once, and fails naming it', async () => {
    const { root, paths } = await writeShards()
    editRecords(paths[0] as string, results => [...results, results[0], results[0]])
    const merged = await merge(root)
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 5, failed: 1 })
    expect(merged.records.map(r => r.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(mergeProblemsMessage(merged)).toBe(
      `Shard 0/3 (shard-0/results.json) has more than one record for item 1 'item-0'; the first is kept.`
    )
  })

  it('sets aside records for items of another shard or beyond the run', async () => {
    const { root, paths } = await writeShards()
    editRecords(paths[2] as string, results => [
      ...results,
      { ...(results[0] as object), index: 1, item: 'item-1' },
      { ...(results[0] as object), index: 9, item: 'x' }
    ])
    const merged = await merge(root)
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 5, failed: 1 })
    expect(merged.records.map(r => r.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(mergeProblemsMessage(merged)).toBe(
      `Shard 2/3 (shard-2/results.json) has records for items that are not its own: item 2 'item-1', item 10 'x'.`
    )
  })

  it("sets aside a record whose item is not the split's item at its number", async () => {
    const { root, paths } = await writeShards()
    editRecords(paths[2] as string, results =>
      results.map((result, position) =>
        position === 0 ? { ...(result as object), item: 'evil' } : result
      )
    )
    const merged = await merge(root)
    expect(merged.records.map(r => r.index)).toEqual([0, 1, 3, 4, 5])
    expect(mergeProblemsMessage(merged)).toBe(
      `Shard 2/3 (shard-2/results.json) has records for other items than the split's: item 3 'evil' where the split has 'item-2'.`
    )
  })

  it('catches a shard file whose item list was changed to match its records', async () => {
    const { root, paths } = await writeShards()
    const path = paths[1] as string
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      shard: { items: unknown[] }
    }
    file.shard.items = file.shard.items.slice(0, 1)
    writeFileSync(path, JSON.stringify(file))
    editRecords(path, results => results.slice(0, 1))
    expect(mergeProblemsMessage(await merge(root))).toBe(
      "No shard has item 5 among its items, of the run's 6."
    )
    // the same item renamed in the split and in the record: only the digests tell
    const renamed = JSON.parse(readFileSync(paths[0] as string, 'utf8')) as {
      shard: { items: { item: string }[] }
      results: { item: string }[]
    }
    ;(renamed.shard.items[0] as { item: string }).item = 'other'
    ;(renamed.results[0] as { item: string }).item = 'other'
    writeFileSync(paths[0] as string, JSON.stringify(renamed))
    await shardFile(root, 1, shardReport(1))
    expect(mergeProblemsMessage(await merge(root))).toBe(
      "The shards' item lists do not add up to the run's items and split (their digests differ): " +
        'a results file was changed after its run.'
    )
  })

  it('keeps every resolve outcome through a sharded merge', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    const resolved = { resolved: true, commentUrl: 'https://github.com/o/r/pull/7#r1' }
    const unresolved = {
      resolved: false,
      error: 'GitHub did not mark review thread T4 as resolved.'
    }
    for (const index of [0, 1, 2]) {
      const shard = shardReport(index)
      shard.records.forEach((one, position) => {
        if (one.status === TaskStatus.Success) one.resolve = position === 0 ? resolved : unresolved
      })
      await shardFile(root, index, shard)
    }
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.records.map(r => r.resolve)).toEqual([
      resolved,
      resolved,
      resolved,
      unresolved,
      undefined,
      unresolved
    ])
    expect(describeResolves(merged.records)).toBe(
      'Resolved 3 of 5 review threads whose task succeeded; 2 could not be resolved: ' +
        'GitHub did not mark review thread T4 as resolved.'
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
            const part = takeShard(plan, { index, total }, new Map())
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

describe('a merge in the summary', () => {
  it('lists what the merge refused, escaped, and says how many more there are', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    const hostile = '<img src=x onerror=alert(1)> **bold** ::error::forged'
    const runs = [0, 1, 2].map(index => shardReport(index))
    runs[1]?.records.splice(1, 1, record(4, hostile, TaskStatus.Success))
    for (const [index, run] of runs.entries()) {
      run.counts = countStatuses(run.records)
      await shardFile(root, index, run)
    }
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    const summary = buildSummary(merged)
    expect(summary).toContain('> [!CAUTION]\n> - Shard 1/3 \\(shard\\-1/results\\.json\\)')
    expect(summary).toContain('&lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*bold\\*\\*')
    expect(summary).not.toContain('<img')
    expect(summary).toContain('**1** without a result')

    const many = {
      ...merged,
      merged: { ...(merged.merged as MergeInfo), problems: [] as string[] }
    }
    many.merged.problems = Array.from({ length: 25 }, (_, index) => `Problem ${index}.`)
    const listed = buildSummary(many)
    expect(listed).toContain('> - Problem 19\\.\n> - and 5 more, each in the `results-file` output')
    expect(listed).not.toContain('Problem 20')
    expect(mergeProblemsMessage(many)).toBe(
      'Problem 0. Problem 1. Problem 2. Problem 3. Problem 4. And 20 more problems: see the job summary.'
    )
  })
})
