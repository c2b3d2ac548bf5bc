import { describe, expect, it, jest } from '@jest/globals'
import { TaskStatus } from '../../src/model/task-status.js'

/** Every heap made: a run without locks must make none, so its starts never look at one. */
const heapsMade: string[] = []
jest.unstable_mockModule('../../src/exec/rank-heap.js', () => ({
  RankHeap: class {
    constructor() {
      heapsMade.push(new Error().stack ?? '')
    }
    peek(): undefined {
      return undefined
    }
    push(): void {
      throw new Error('a run without locks puts nothing back')
    }
    pop(): undefined {
      return undefined
    }
  }
}))
const { runTasks } = await import('../../src/exec/scheduler.js')

describe('runTasks without locks', () => {
  it.each([
    ['no priorities', undefined],
    ['priorities', Array.from({ length: 500 }, (_, i) => i % 3)]
  ])('makes no heap of tasks put back (%s, slots given)', async (_, priorities) => {
    heapsMade.length = 0
    const items = Array.from({ length: 500 }, (_, i) => i)
    const { outcomes } = await runTasks(
      items,
      async index => ({ status: TaskStatus.Success, value: index }),
      { concurrency: 4, priorities, slots: items.map(i => 1 + (i % 2)) }
    )
    expect(outcomes.filter(({ status }) => status === TaskStatus.Success)).toHaveLength(500)
    expect(heapsMade).toEqual([])
  })
})
