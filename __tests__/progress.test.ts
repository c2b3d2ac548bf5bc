import { describe, expect, it } from '@jest/globals'
import { progressLine } from '../src/progress.js'

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
