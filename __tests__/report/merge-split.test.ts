import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mergeProblemsMessage, mergeResultsFiles } from '../../src/report/merge.js'
import { describeResolves } from '../../src/report/results.js'
import { countStatuses, type MergeInfo, type RunReport } from '../../src/model/run-report.js'
import { readResultsFile, writeResultsFile } from '../../src/results/results-file.js'
import { buildSummary } from '../../src/report/summary.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record } from '../helpers/records.js'
import { editRecords, shardFile, shardReport } from '../helpers/shards.js'

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

  it('names a mismatched item by its whole text, not by a name two items can share', async () => {
    const { root, paths } = await writeShards()
    editRecords(paths[2] as string, results =>
      results.map((result, position) =>
        position === 0
          ? { ...(result as object), item: { path: 'src/b.ts', line: 3, body: 'other' } }
          : result
      )
    )
    const merged = await merge(root)
    expect(mergeProblemsMessage(merged)).toContain(
      `item 3 '{"path":"src/b.ts","line":3,"body":"other"}' where the split has 'item-2'.`
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
    expect(summary).toContain('> [!CAUTION]\n> <ul><li>Shard 1/3 (shard-1/results.json)')
    expect(summary).toContain('&lt;img src=x onerror=alert(1)&gt; **bold**')
    expect(summary).not.toContain('<img')
    expect(summary).toContain('❓ <strong>1</strong> without a result')

    const many = {
      ...merged,
      merged: { ...(merged.merged as MergeInfo), problems: [] as string[] }
    }
    many.merged.problems = Array.from({ length: 25 }, (_, index) => `Problem ${index}.`)
    const listed = buildSummary(many)
    expect(listed).toContain(
      '<li>Problem 19.</li><li>and 5 more, each in the <code>results-file</code> output</li></ul>\n'
    )
    expect(listed).not.toContain('Problem 20')
    expect(mergeProblemsMessage(many)).toBe(
      'Problem 0. Problem 1. Problem 2. Problem 3. Problem 4. And 20 more problems: see the job summary.'
    )
  })
})
