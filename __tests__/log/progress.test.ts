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

describe('progressLine while ready tasks wait', () => {
  const state = { done: 1, total: 10, failed: 0, running: 2, elapsedMs: 30_000 }
  const GiB = 1024 ** 3

  it('says each thing they wait on, only when it holds them back', () => {
    const none = { onLocks: 0, onSlots: 0, onGate: false }
    expect(progressLine({ ...state, waiting: none })).toBe(progressLine(state))
    expect(progressLine({ ...state, waiting: { ...none, onLocks: 1 } })).toBe(
      'Progress: 1/10 done, 0 not succeeded, 2 running, 30.0s elapsed, about 4m 30s left; ' +
        'waiting: 1 task on a lock'
    )
    expect(progressLine({ ...state, waiting: { ...none, onLocks: 2, onSlots: 3 } })).toBe(
      'Progress: 1/10 done, 0 not succeeded, 2 running, 30.0s elapsed, about 4m 30s left; ' +
        'waiting: 2 tasks on locks, the next task for 3 free slots'
    )
  })

  it('gives the memory figures when they wait for memory', () => {
    const waiting = { onLocks: 2, onSlots: 3, onGate: true }
    const memory = { memfree: 2 * GiB, available: 1.25 * GiB }
    expect(progressLine({ ...state, waiting, memory })).toBe(
      'Progress: 1/10 done, 0 not succeeded, 2 running, 30.0s elapsed, about 4m 30s left; ' +
        'waiting: 2 tasks on locks, the next task for 3 free slots, for memory ' +
        '(1.2 GiB available, memfree is 2 GiB)'
    )
    const gateOnly = { onLocks: 0, onSlots: 0, onGate: true }
    expect(progressLine({ ...state, waiting: gateOnly, memory })).toMatch(
      /; waiting: for memory \(1\.2 GiB available, memfree is 2 GiB\)$/
    )
    expect(
      progressLine({ ...state, waiting: gateOnly, memory: { memfree: GiB, available: undefined } })
    ).toMatch(/; waiting: for memory \(memfree is 1 GiB\)$/)
    expect(progressLine({ ...state, waiting: gateOnly })).toMatch(/; waiting: for memory$/)
    // Figures without a wait for memory are not said.
    expect(progressLine({ ...state, memory })).toBe(progressLine(state))
  })
})
