import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { emptyHistory, type History } from '../../src/model/history.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { assignShards, describeShard, itemsDigest, takeShard } from '../../src/plan/shard.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { CommandTemplate } from '../../src/template/template.js'
import { Shell } from '../../src/model/shell.js'
import { record, historyAfterAll } from '../helpers/records.js'

/** A history of one run (workflow run `runId`, attempt 1, when given) with these durations. */
const historyOf = (durations: Record<string, number>, runId?: number, before = emptyHistory()) =>
  historyAfterAll(
    before,
    { identity: runId === undefined ? undefined : { id: runId, attempt: 1 }, at: 0 },
    Object.entries(durations).map(([item, durationMs]) =>
      record(0, item, TaskStatus.Success, { durationMs })
    )
  )

/** Each shard's summed duration under a split. */
const loads = (
  durations: readonly number[],
  shardOf: readonly number[],
  shards: number
): number[] => {
  const load = new Array<number>(shards).fill(0)
  durations.forEach((ms, index) => (load[shardOf[index] as number]! += ms))
  return load
}

/** The best any split can do: the even share, or the longest task if that is longer. */
const ideal = (durations: readonly number[], shards: number): number =>
  Math.max(durations.reduce((a, b) => a + b, 0) / shards, Math.max(...durations))

describe('assignShards', () => {
  it('deals equal tasks round-robin in input order', () => {
    expect(assignShards([1, 1, 1, 1, 1, 1, 1], 3)).toEqual([0, 1, 2, 0, 1, 2, 0])
  })

  it('puts every task in exactly one shard, the same way every time', () => {
    const durations = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 1000) + 1)
    const split = assignShards(durations, 7)
    expect(split).toHaveLength(500)
    expect(split.every(shard => Number.isInteger(shard) && shard >= 0 && shard < 7)).toBe(true)
    expect(assignShards([...durations], 7)).toEqual(split)
  })

  it('spreads instant tasks by count rather than piling them on one shard', () => {
    const split = assignShards([5000, 0, 0, 0, 0, 0, 0], 3)
    expect(split[0]).toBe(0)
    expect(split.slice(1).filter(shard => shard === 1)).toHaveLength(3)
    expect(split.slice(1).filter(shard => shard === 2)).toHaveLength(3)
  })

  it('gives one shard per task when there are more shards than tasks', () => {
    expect(assignShards([3, 2, 1], 5)).toEqual([0, 1, 2])
  })

  it('balances a recorded heavy-tailed duration set within 10% of the ideal, on 2 to 10 shards', () => {
    // Per-test durations (ms) of this project's own suite, recorded with `jest --json`: half the
    // tests take a millisecond or two, a few take seconds (the longest 12.6 s of 106 s in all).
    const durations = JSON.parse(
      readFileSync(new URL('./fixtures/test-durations.json', import.meta.url), 'utf8')
    ) as number[]
    expect(durations.length).toBeGreaterThan(500)
    for (let shards = 2; shards <= 10; shards++) {
      const best = ideal(durations, shards)
      const slowest = Math.max(...loads(durations, assignShards(durations, shards), shards))
      expect(slowest / best).toBeLessThanOrEqual(1.1)
    }
    // Splitting 10 ways by count (contiguous blocks, as count-based sharding does) or dealing
    // round-robin (what happens without timings) leaves the slowest shard far behind.
    const size = Math.ceil(durations.length / 10)
    const byCount = durations.map((_, index) => Math.floor(index / size))
    const roundRobin = assignShards(
      durations.map(() => 1),
      10
    )
    for (const split of [byCount, roundRobin]) {
      expect(Math.max(...loads(durations, split, 10)) / ideal(durations, 10)).toBeGreaterThan(1.5)
    }
  })
})

describe('takeShard', () => {
  const items = ['a', 'b', 'c', 'd', 'e']
  const plan = () => prepareItems(items, CommandTemplate.parse('echo {#} {}', Shell.Bash))

  it('keeps each item its place in the whole input and its number in the command', () => {
    const shard = takeShard(plan(), { index: 1, total: 2 }, emptyHistory())
    expect(shard.prepared.map(p => [p.index, p.item, p.command.display])).toEqual([
      [1, 'b', "echo 2 'b'"],
      [3, 'd', "echo 4 'd'"]
    ])
    expect(shard.shard).toMatchObject({
      index: 1,
      total: 2,
      itemCount: 5,
      itemsDigest: itemsDigest(items),
      byTimings: false
    })
  })

  it('the shards of one split cover every item once and agree on the split', () => {
    const history = historyOf({ a: 100, e: 900 })
    const shards = [0, 1, 2].map(index => takeShard(plan(), { index, total: 3 }, history))
    const indexes = shards.flatMap(shard => shard.prepared.map(p => p.index)).sort()
    expect(indexes).toEqual([0, 1, 2, 3, 4])
    expect(new Set(shards.map(shard => shard.shard?.splitDigest)).size).toBe(1)
    // the long task sits alone on the first shard
    expect(shards[0]?.prepared.map(p => p.item)).toEqual(['e'])
    expect(shards[0]?.shard).toMatchObject({ byTimings: true, estimatedMs: 900 })
    // other timings give another split, which the digest tells apart
    const other = takeShard(plan(), { index: 0, total: 3 }, historyOf({ b: 5000 }))
    expect(other.shard?.splitDigest).not.toBe(shards[0]?.shard?.splitDigest)
  })

  it('splits a re-run attempt as its first attempt did, whatever was learned since', () => {
    // Attempt 1 of run 7 split by run 6's durations, and learned others.
    const run6 = historyOf({ a: 100, e: 900 }, 6)
    const first = [0, 1, 2].map(index => takeShard(plan(), { index, total: 3 }, run6, 7))
    expect(first.map(one => one.splitReused)).toEqual([false, false, false])
    const split = first[0]!.split
    expect(first.every(one => JSON.stringify(one.split) === JSON.stringify(split))).toBe(true)
    const learned = historyAfterAll(run6, { identity: { id: 7, attempt: 1 }, at: 1, split }, [
      { ...record(0, 'b', TaskStatus.Failure), durationMs: 9000 }
    ])
    // Run 8 balances by what run 7 learned: another split.
    const other = takeShard(plan(), { index: 0, total: 3 }, learned, 8)
    expect(other.shard.splitDigest).not.toBe(first[0]!.shard.splitDigest)
    expect(other.splitReused).toBe(false)
    // Attempt 2 of run 7 takes attempt 1's split, shard by shard.
    const again = [0, 1, 2].map(index => takeShard(plan(), { index, total: 3 }, learned, 7))
    expect(again.map(one => one.prepared.map(p => p.item))).toEqual(
      first.map(one => one.prepared.map(p => p.item))
    )
    expect(again.map(one => one.shard.splitDigest)).toEqual(first.map(one => one.shard.splitDigest))
    expect(again.map(one => one.splitReused)).toEqual([true, true, true])
    expect(describeShard(again[0]!.shard, 1, true)).toBe(
      'Shard 0/3: 1 of 5 items (split as the first attempt of this run split them: about 900ms of 2.5s in all).'
    )
    expect(describeShard(other.shard, other.prepared.length)).toMatch(
      /^Shard 0\/3: \d of 5 items \(balanced by known durations: about .* in all\)\.$/
    )
    expect(describeShard(takeShard(plan(), { index: 0, total: 3 }, emptyHistory()).shard, 2)).toBe(
      'Shard 0/3: 2 of 5 items (dealt round-robin; give history to balance by duration).'
    )
    // Not for other items, nor over another number of shards.
    const fewer = prepareItems(['a', 'b', 'c', 'd'], CommandTemplate.parse('echo {}', Shell.Bash))
    expect(takeShard(fewer, { index: 0, total: 3 }, learned, 7).splitReused).toBe(false)
    expect(takeShard(plan(), { index: 0, total: 2 }, learned, 7).splitReused).toBe(false)
  })

  it('balances by durations from other runs only, so every attempt of a run estimates alike', () => {
    const history: History = historyOf({ e: 5000 }, 3)
    expect(takeShard(plan(), { index: 0, total: 2 }, history, 3).shard.byTimings).toBe(false)
    expect(takeShard(plan(), { index: 0, total: 2 }, history, 4).shard).toMatchObject({
      byTimings: true,
      // e took 5 s, and the others are taken to last as long.
      estimatedTotalMs: 25_000
    })
  })

  it('tells item lists apart, however their texts are cut', () => {
    expect(itemsDigest(['ab', 'c'])).not.toBe(itemsDigest(['a', 'bc']))
    expect(itemsDigest(['a'])).toBe(itemsDigest(['a']))
  })
})
