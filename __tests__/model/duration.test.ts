import { describe, expect, it } from '@jest/globals'
import {
  formatDuration,
  formatWait,
  formatLimit,
  MAX_DURATION_MS,
  monotonicMs,
  parseDuration
} from '../../src/model/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1.5h', 5_400_000],
    ['0.5', 500],
    [' 2m ', 120_000],
    ['2d', 172_800_000],
    ['1d2h', 93_600_000]
  ])('parses %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'soon', '0', '0s', '0.4ms', '-5', '5 m', '5x', '1h30', 'm', '1e3', 'Infinity'])(
    'rejects %p',
    text => {
      expect(parseDuration(text)).toBeUndefined()
    }
  )
})

describe('formatLimit', () => {
  it.each([
    [MAX_DURATION_MS, '24d'],
    [600_000, '10m'],
    [90_000, '90s'],
    [1500, '1500ms']
  ])('formats %p as %p', (ms, text) => {
    expect(formatLimit(ms)).toBe(text)
  })

  it('keeps the maximum within what a Node timer can wait', () => {
    expect(MAX_DURATION_MS).toBeLessThanOrEqual(2 ** 31 - 1)
  })
})

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_345, '12.3s'],
    [245_000, '4m 05s'],
    [3_720_000, '1h 02m']
  ])('formats %p as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('formatWait', () => {
  it.each([
    [150, '150 ms'],
    [1000, '1 s'],
    [1001, '2 s'],
    [119_999, '120 s'],
    [120_000, '2 min'],
    [600_001, '11 min']
  ])('formats %p as %p', (ms, text) => {
    expect(formatWait(ms)).toBe(text)
  })
})

describe('monotonicMs', () => {
  it('measures elapsed milliseconds', async () => {
    const before = monotonicMs()
    await new Promise(resolve => setTimeout(resolve, 25))
    const elapsed = monotonicMs() - before
    // Timers never fire early by more than Node's 1 ms rounding. The upper bound checks the unit
    // (microseconds would give 25,000) and leaves a slow machine 5 s.
    expect(elapsed).toBeGreaterThanOrEqual(23)
    expect(elapsed).toBeLessThan(5_000)
  })
})
