import { describe, expect, it } from '@jest/globals'
import { progressLine, startProgress } from '../../src/log/progress.js'

describe('progressLine', () => {
  it('estimates the time left from the pace so far', () => {
    expect(progressLine({ done: 25, total: 100, failed: 2, running: 4, elapsedMs: 30_000 })).toBe(
      'Progress: 25/100 done, 2 not succeeded, 4 running, 30.0s elapsed, about 1m 30s left'
    )
  })

  it('gives no estimate before anything has finished', () => {
    expect(progressLine({ done: 0, total: 10, failed: 0, running: 4, elapsedMs: 30_000 })).toBe(
      'Progress: 0/10 done, 0 not succeeded, 4 running, 30.0s elapsed'
    )
  })
})

describe('startProgress', () => {
  it('prints the current state on every interval until stopped', async () => {
    const lines: string[] = []
    let done = 0
    const stop = startProgress(
      20,
      () => ({ done: ++done, total: 10, failed: 0, running: 1, elapsedMs: 1000 }),
      line => lines.push(line)
    )
    await new Promise(resolve => setTimeout(resolve, 110))
    stop()
    const printed = lines.length
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(printed).toBeGreaterThanOrEqual(2)
    expect(lines).toHaveLength(printed)
    expect(lines[0]).toMatch(
      /^Progress: 1\/10 done, 0 not succeeded, 1 running, 1.0s elapsed, about 9.0s left$/
    )
  })
})

describe('progressLine under batches', () => {
  it('says the batches done and, apart, the items done and reused', () => {
    const state = { done: 1, total: 2, failed: 0, running: 1, elapsedMs: 30_000 }
    expect(progressLine({ ...state, items: { done: 3, total: 6 } })).toBe(
      'Progress: 1/2 batches done (3/6 items), 0 not succeeded, 1 running, 30.0s elapsed, ' +
        'about 30.0s left'
    )
    expect(progressLine({ ...state, reused: 4, items: { done: 3, total: 6 } })).toBe(
      'Progress: 1/2 batches done (3/6 items; 4 more items reused), 0 not succeeded, 1 running, ' +
        '30.0s elapsed, about 30.0s left'
    )
    // Without batches the line reads as before.
    expect(progressLine({ ...state, reused: 4 })).toBe(
      'Progress: 1/2 done (4 more reused), 0 not succeeded, 1 running, 30.0s elapsed, ' +
        'about 30.0s left'
    )
  })
})
