import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HaltKind } from '../src/executor.js'
import {
  mergeReports,
  mergeResultsFiles,
  missingShardsMessage,
  readResultsFile
} from '../src/merge.js'
import { writeResultsFile, type RunReport } from '../src/results.js'
import { type ShardInfo } from '../src/shard.js'
import { TaskStatus } from '../src/task-status.js'
import { record, report } from './helpers/records.js'

const shardInfo = (index: number, extra: Partial<ShardInfo> = {}): ShardInfo => ({
  index,
  total: 3,
  itemCount: 6,
  itemsDigest: 'items',
  splitDigest: 'split',
  byTimings: false,
  estimatedMs: 0,
  estimatedTotalMs: 0,
  ...extra
})

/** Writes a shard's results file the way a run does; returns its path. */
async function shardFile(root: string, index: number, runReport: RunReport): Promise<string> {
  return writeResultsFile(join(root, `shard-${index}`), runReport)
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
    expect(merged.merged).toEqual({ files: 3, shards: 3, missingShards: [] })
    expect(merged.records[3]?.outputs).toEqual({ k: 'v' })
    expect(merged.records[0]?.startedAt).toBe(1_700_000_000_000)
    expect(missingShardsMessage(merged)).toBeUndefined()
  })

  it('reports a missing shard instead of hiding it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    await shardFile(root, 0, shardReport(0))
    await shardFile(root, 2, shardReport(2))
    const merged = await mergeResultsFiles('shard-*/results.json', root, 'merge-results')
    expect(merged.merged?.missingShards).toEqual([1])
    expect(merged.counts).toMatchObject({ total: 6, succeeded: 4 })
    expect(merged.records).toHaveLength(4)
    expect(missingShardsMessage(merged)).toBe(
      '1 of 3 shards have no results file (1/3): their 2 items have no result here. Re-run those shards.'
    )
  })

  it('refuses shards of different runs, of different splits, or the same shard twice', () => {
    const file = (index: number, shard: Partial<ShardInfo> = {}) => ({
      path: `s${index}.json`,
      shard: shardInfo(index, shard),
      durationMs: 1,
      workers: 1,
      shell: 'bash',
      haltReason: null,
      haltKind: null,
      records: []
    })
    expect(() => mergeReports([file(0), file(1, { itemsDigest: 'other' })])).toThrow(
      "Invalid merge-results: 's1.json' and 's0.json' come from different runs"
    )
    expect(() => mergeReports([file(0), file(1, { total: 4 })])).toThrow('different runs')
    expect(() => mergeReports([file(0), file(1, { splitDigest: 'x' })])).toThrow(
      'split the items differently, so some items ran twice or not at all. Expected every shard to read the same timings file.'
    )
    expect(() => mergeReports([file(0), file(0)])).toThrow(
      "Invalid merge-results: shard 0/3 appears twice, in 's0.json' and 's0.json'."
    )
    expect(() => mergeReports([file(0), { ...file(1), shard: undefined }])).toThrow(
      "'s1.json' comes from a run without shard"
    )
  })

  it('keeps a halt kind only when every halted shard shares it', () => {
    const file = (index: number, haltKind: HaltKind | null) => ({
      path: `s${index}.json`,
      shard: shardInfo(index),
      durationMs: 1,
      workers: 1,
      shell: 'bash',
      haltReason: haltKind === null ? null : `halt ${index}`,
      haltKind,
      records: []
    })
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
    const plain = (name: string, items: string[]) => ({
      path: name,
      shard: undefined,
      durationMs: 5,
      workers: 2,
      shell: 'sh',
      haltReason: null,
      haltKind: null,
      records: items.map((item, index) => record(index, item, TaskStatus.Success))
    })
    const merged = mergeReports([plain('a', ['x', 'y']), plain('b', ['z'])])
    expect(merged.records.map(r => [r.index, r.item])).toEqual([
      [0, 'x'],
      [1, 'z'],
      [2, 'y']
    ])
    expect(merged.merged).toEqual({ files: 2, shards: null, missingShards: [] })
  })

  it('refuses files that are not results files, naming the file and the problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'merge-'))
    mkdirSync(join(root, 'bad'))
    const write = (name: string, text: string): string => {
      writeFileSync(join(root, 'bad', name), text)
      return join(root, 'bad', name)
    }
    const notJson = write('a.json', '{')
    await expect(readResultsFile(notJson)).rejects.toThrow(
      `Invalid results file '${notJson}': not JSON. Expected a results-file written by parallel-exec.`
    )
    const noResults = write('b.json', '{"counts": {}}')
    await expect(readResultsFile(noResults)).rejects.toThrow('it has no results array')
    const badStatus = write('c.json', '{"results": [{"index": 0, "item": "a", "status": "fine"}]}')
    await expect(readResultsFile(badStatus)).rejects.toThrow('result 1 has no valid status')
    const badShard = write('e.json', '{"shard": {"index": 0, "total": 2}, "results": []}')
    await expect(readResultsFile(badShard)).rejects.toThrow('its shard record is incomplete')
    const badIndex = write(
      'd.json',
      '{"results": [{"index": -1, "item": "a", "status": "success"}]}'
    )
    await expect(readResultsFile(badIndex)).rejects.toThrow('result 1 has no valid index')
    await expect(mergeResultsFiles('none/*.json', root, 'merge-results')).rejects.toThrow(
      "Invalid merge-results 'none/*.json': no file matches. Expected the shards' results files, " +
        'such as downloaded with actions/download-artifact.'
    )
  })
})
