import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { assignShards, itemsDigest, takeShard } from '../../src/plan/shard.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { CommandTemplate } from '../../src/template/template.js'
import { Shell } from '../../src/model/shell.js'

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
    const shard = takeShard(plan(), { index: 1, total: 2 }, new Map())
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
    const timings = new Map([
      ['a', 100],
      ['e', 900]
    ])
    const shards = [0, 1, 2].map(index => takeShard(plan(), { index, total: 3 }, timings))
    const indexes = shards.flatMap(shard => shard.prepared.map(p => p.index)).sort()
    expect(indexes).toEqual([0, 1, 2, 3, 4])
    expect(new Set(shards.map(shard => shard.shard?.splitDigest)).size).toBe(1)
    // the long task sits alone on the first shard
    expect(shards[0]?.prepared.map(p => p.item)).toEqual(['e'])
    expect(shards[0]?.shard).toMatchObject({ byTimings: true, estimatedMs: 900 })
    // other timings give another split, which the digest tells apart
    const other = takeShard(plan(), { index: 0, total: 3 }, new Map([['b', 5000]]))
    expect(other.shard?.splitDigest).not.toBe(shards[0]?.shard?.splitDigest)
  })

  it('tells item lists apart, however their texts are cut', () => {
    expect(itemsDigest(['ab', 'c'])).not.toBe(itemsDigest(['a', 'bc']))
    expect(itemsDigest(['a'])).toBe(itemsDigest(['a']))
  })
})
