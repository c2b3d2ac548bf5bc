import { describe, expect, it } from '@jest/globals'
import { RetryBudget, rateLimitWait } from '../../src/github/retry-budget.js'

const LIMITS = { maxRetries: 2, maxWaitMs: 10_000, fallbackWaitMs: 100 }

describe('RetryBudget', () => {
  it('backs off a query twice after transient failures, 1 s then 2 s, then gives up', () => {
    const budget = new RetryBudget(LIMITS, false)
    const error = new Error('GitHub answered 502: Bad Gateway')
    expect(budget.afterTransient(error)).toBe(1000)
    expect(budget.afterTransient(error)).toBe(2000)
    expect(() => budget.afterTransient(error)).toThrow(error)
  })

  it('never retries a mutation after a transient failure', () => {
    const error = new Error('GitHub answered 502: Bad Gateway')
    expect(() => new RetryBudget(LIMITS, true).afterTransient(error)).toThrow(error)
  })

  it('doubles the fallback wait per rate-limited answer, and gives up after maxRetries', () => {
    const budget = new RetryBudget(LIMITS, true)
    expect(budget.afterRateLimit({}, 'slow down').ms).toBe(100)
    expect(budget.afterRateLimit({}, 'slow down').ms).toBe(200)
    expect(() => budget.afterRateLimit({}, 'slow down')).toThrow(
      "GitHub's rate limit was hit (slow down) and it was still hit after 2 retries. " +
        'GitHub did not say when it resets; try again in a few minutes.'
    )
  })

  it('gives up at once when the wait is longer than maxWaitMs, saying when the limit resets', () => {
    const budget = new RetryBudget(LIMITS, false)
    expect(() => budget.afterRateLimit({ 'retry-after': '180' }, 'limited')).toThrow(
      /^GitHub's rate limit was hit \(limited\) and waiting for it would take 3 min, more than 10 s\. It resets at \d{4}-/
    )
  })
})

describe('rateLimitWait', () => {
  it('follows Retry-After, then x-ratelimit-reset against the server clock, then the fallback', () => {
    expect(rateLimitWait({ 'retry-after': '2' }, 50)).toMatchObject({
      ms: 2000,
      source: 'Retry-After'
    })
    const date = new Date(Date.UTC(2026, 0, 1, 12, 0, 0)).toUTCString()
    const reset = Date.UTC(2026, 0, 1, 12, 0, 30) / 1000
    expect(
      rateLimitWait({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, date }, 50)
    ).toMatchObject({ ms: 31_000, source: 'x-ratelimit-reset' })
    expect(rateLimitWait({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': reset }, 50)).toEqual(
      {
        ms: 50,
        source: 'no Retry-After or x-ratelimit-reset header; backing off'
      }
    )
  })
})
