import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { RankHeap } from '../../src/exec/rank-heap.js'

/** A heap over items ranked by the given priorities, highest first, then lowest index. */
function heapOf(priorities: readonly number[]): RankHeap {
  const rank = (index: number): number => priorities[index] ?? 0
  return new RankHeap((a, b) => rank(a) > rank(b) || (rank(a) === rank(b) && a < b))
}

/** Pops everything left, in the order the heap gives. */
function drain(heap: RankHeap): number[] {
  const order: number[] = []
  for (let index = heap.pop(); index !== undefined; index = heap.pop()) order.push(index)
  return order
}

describe('RankHeap', () => {
  it('is empty at first: peek and pop give undefined', () => {
    const heap = heapOf([])
    expect(heap.peek()).toBeUndefined()
    expect(heap.pop()).toBeUndefined()
  })

  it('gives the highest priority first, and the lowest index among equal ones', () => {
    const heap = heapOf([0, 2, 1, 2, 0, 1])
    for (const index of [4, 0, 5, 2, 3, 1]) heap.push(index)
    expect(heap.peek()).toBe(1)
    expect(drain(heap)).toEqual([1, 3, 2, 5, 0, 4])
    expect(heap.peek()).toBeUndefined()
  })

  it('keeps its order over many pushes and pops, as a sorted list does', () => {
    let operations = 0
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 200, size: 'max' }),
        fc.array(fc.boolean(), { maxLength: 400, size: 'max' }),
        (priorities, pops) => {
          const heap = heapOf(priorities)
          const model: number[] = []
          const before = (a: number, b: number): number =>
            (priorities[b] as number) - (priorities[a] as number) || a - b
          let next = 0
          // Each step pushes the next item, or pops: interleaved as the list says.
          for (const pop of pops) {
            operations++
            if (pop || next >= priorities.length) {
              if (heap.pop() !== model.shift()) return false
            } else {
              heap.push(next)
              const at = model.findIndex(other => before(next, other) < 0)
              model.splice(at < 0 ? model.length : at, 0, next++)
            }
            if (heap.peek() !== model[0]) return false
          }
          // Then the rest go in, and all come out in rank order.
          while (next < priorities.length) {
            heap.push(next)
            model.push(next++)
          }
          return drain(heap).join() === model.sort(before).join()
        }
      ),
      { numRuns: 200, seed: 20261207 }
    )
    // Each run interleaves up to 400 pushes and pops.
    expect(operations).toBeGreaterThan(30_000)
  })
})
