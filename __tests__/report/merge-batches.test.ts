import { describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { batchCount, commandRuns } from '../../src/model/batch-runs.js'
import { HaltKind } from '../../src/model/halt.js'
import { type RunReport } from '../../src/model/run-report.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { itemsDigest, splitDigest } from '../../src/plan/shard.js'
import { junitXml } from '../../src/report/junit.js'
import { mergeResultsFiles } from '../../src/report/merge.js'
import { buildSummary } from '../../src/report/summary.js'
import { summaryCharts } from '../../src/report/summary-charts.js'
import { readResultsFile, writeResultsFile } from '../../src/results/results-file.js'
import { batchRecords, report } from '../helpers/records.js'
import { editRecords, shardFile } from '../helpers/shards.js'

/** Eight items dealt over two shards: shard i has items i, i + 2, i + 4 and i + 6. */
const ITEMS = Array.from({ length: 8 }, (_, index) => `f${index + 1}.ts`)

/** Shard `index` of that split. */
const shardInfo = (index: number): ShardInfo => ({
  index,
  total: 2,
  itemCount: 8,
  itemsDigest: itemsDigest(ITEMS),
  splitDigest: splitDigest(ITEMS.map((_, item) => item % 2)),
  byTimings: false,
  estimatedMs: 0,
  estimatedTotalMs: 0,
  items: [0, 2, 4, 6].map(item => ({ index: index + item, item: ITEMS[index + item] as string }))
})

/**
 * Shard `index` ran its 4 items in 2 batches of 2 on its 2 workers, numbered 1 and 2 as every
 * shard numbers its own; on shard 1, batch 1 failed.
 */
function shardReport(index: number): RunReport {
  const member = (item: number): [number, string] => [index + item, ITEMS[index + item] as string]
  const start = 1_700_000_000_000 + index * 60_000
  const first = index === 1 ? TaskStatus.Failure : TaskStatus.Success
  const records = [
    ...batchRecords(1, [member(0), member(2)], first, {
      slot: 1,
      startedAt: start,
      endedAt: start + 2000,
      durationMs: 2000,
      outputTail: `shard ${index} batch 1 TAIL-MARKER\n`
    }),
    ...batchRecords(2, [member(4), member(6)], TaskStatus.Success, {
      slot: 2,
      startedAt: start,
      endedAt: start + 3000,
      durationMs: 3000
    })
  ]
  return report(records, { shard: shardInfo(index), batchSize: 2, durationMs: 3000 })
}

/**
 * Shard `index` where no batch started (a dry run), or where batch 1 failed and fail-fast left
 * batch 2 unstarted: a batch that never started has no slot to tell its shard by.
 */
function unstartedShard(index: number, dryRun: boolean): RunReport {
  const member = (item: number): [number, string] => [index + item, ITEMS[index + item] as string]
  const start = 1_700_000_000_000 + index * 60_000
  const skipped = { skipReason: dryRun ? 'dry run' : 'fail-fast' }
  const records = [
    ...(dryRun
      ? batchRecords(1, [member(0), member(2)], TaskStatus.Skipped, skipped)
      : batchRecords(1, [member(0), member(2)], TaskStatus.Failure, {
          startedAt: start,
          endedAt: start + 1000
        })),
    ...batchRecords(2, [member(4), member(6)], TaskStatus.Skipped, skipped)
  ]
  return report(records, {
    shard: shardInfo(index),
    batchSize: 2,
    workers: 1,
    durationMs: 1000,
    ...(dryRun
      ? { dryRun: true as const }
      : { haltReason: 'fail-fast', haltKind: HaltKind.Failures })
  })
}

describe('a merge of batched shards', () => {
  it.each([
    ['dry runs', true, 'dry run of 8 tasks in 4 batches'],
    ['fail-fast runs', false, 'in 4 batches']
  ])(
    "tells apart the shards' batches that never started (%s), also in a merge of merges",
    async (_, dryRun, headline) => {
      const root = mkdtempSync(join(tmpdir(), 'merge-batches-'))
      for (const index of [0, 1]) await shardFile(root, index, unstartedShard(index, dryRun))
      const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
      expect(merged.merged?.problems).toEqual([])
      expect(batchCount(merged)).toBe(4)
      expect(buildSummary(merged)).toContain(headline)
      const members = commandRuns(merged.records, merged).map(run => run.map(one => one.item))
      expect(members).toEqual([
        ['f1.ts', 'f3.ts'],
        ['f2.ts', 'f4.ts'],
        ['f5.ts', 'f7.ts'],
        ['f6.ts', 'f8.ts']
      ])
      // Its own file read back, and merged again with a copy of itself: 8 batches of 16 items.
      const path = await writeResultsFile(join(root, 'm-1'), merged)
      expect(batchCount(await readResultsFile(path))).toBe(4)
      await writeResultsFile(join(root, 'm-2'), merged)
      const twice = await mergeResultsFiles('m-*/results.json', root, 'merge-results')
      expect(twice.records).toHaveLength(16)
      expect(batchCount(twice)).toBe(8)
      expect(commandRuns(twice.records, twice).every(run => run.length === 2)).toBe(true)
    }
  )

  it("keeps each shard's batch numbers, and reads its own file back", async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-batches-'))
    for (const index of [1, 0]) await shardFile(root, index, shardReport(index))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.merged?.problems).toEqual([])
    expect(merged.records.map(one => [one.item, one.batch, one.slot, one.status])).toEqual([
      ['f1.ts', 1, 1, TaskStatus.Success],
      ['f2.ts', 1, 3, TaskStatus.Failure],
      ['f3.ts', 1, 1, TaskStatus.Success],
      ['f4.ts', 1, 3, TaskStatus.Failure],
      ['f5.ts', 2, 2, TaskStatus.Success],
      ['f6.ts', 2, 4, TaskStatus.Success],
      ['f7.ts', 2, 2, TaskStatus.Success],
      ['f8.ts', 2, 4, TaskStatus.Success]
    ])
    expect(merged.counts).toMatchObject({ total: 8, succeeded: 6, failed: 2 })
    expect(merged.batchSize).toBe(2)
    // The merge's own file is read back: batch 1 of each shard is told apart by its slots.
    const again = await readResultsFile(await writeResultsFile(join(root, 'merged'), merged))
    expect(again).toEqual(merged)
  })

  it('reports 4 batches: one failure block, one bar each, the output of each batch once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-batches-'))
    for (const index of [0, 1]) await shardFile(root, index, shardReport(index))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    const summary = buildSummary(merged)
    expect(summary).toContain('6 of 8 succeeded in 4 batches</h2>')
    expect(summary.split('TAIL-MARKER')).toHaveLength(2)
    expect(summary).toContain('<code>Batch 1 (f2.ts, f4.ts)</code> failed (exit code 1)')
    const [timeline] = summaryCharts(merged)
    expect(timeline).toContain(
      'Timeline: 4 batches of 8 tasks on 4 workers, each shard from its own start'
    )
    expect((timeline as string).split('\n').filter(line => line.startsWith('    '))).toHaveLength(4)
    const xml = junitXml(merged)
    expect(xml.split('TAIL-MARKER')).toHaveLength(2)
    expect(xml).toContain('The output of batch 1 is with its first item, f2.ts.')
  })

  it('refuses a shard file whose batch members disagree, and merges around it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-batches-'))
    await shardFile(root, 0, shardReport(0))
    const path = await shardFile(root, 1, shardReport(1))
    editRecords(path, results => {
      ;(results[1] as { exitCode: number }).exitCode = 7
      return results
    })
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.records).toHaveLength(4)
    expect(merged.merged?.problems).toContain(
      "Invalid results file 'shard-1/results.json': 'results[1].exitCode' is 7, but item 2 of batch 1 " +
        'has 1. Expected the members of a batch to share its exitCode.'
    )
  })
})
