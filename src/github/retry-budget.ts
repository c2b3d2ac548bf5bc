import { formatWait } from '../model/duration.js'
import { type ResponseHeaders } from './attempt-outcome.js'

/** How long to wait after a rate-limited answer, which header said so, and when the limit resets. */
export interface RateLimitWait {
  ms: number
  source: string
  resetAt?: number
}

/** The bounds of one client's retries (see GitHubApiOptions). */
export interface RetryLimits {
  maxRetries: number
  maxWaitMs: number
  fallbackWaitMs: number
}

/** Retries a query gets after a transient failure (502/503/504, or no answer in time). */
const TRANSIENT_RETRIES = 2

/** One request's retries: how long to wait before the next attempt, or the error to give up with. */
export class RetryBudget {
  private rateLimited = 0
  private transient = 0

  constructor(
    private readonly limits: RetryLimits,
    private readonly mutation: boolean
  ) {}

  /** The backoff before retrying a transient failure; throws `error` when there is no retry. */
  afterTransient(error: Error): number {
    // A mutation may have been applied before the gateway gave up: a second reply would
    // post twice. Queries are safe to repeat.
    if (this.mutation || this.transient >= TRANSIENT_RETRIES) throw error
    return 1000 * 2 ** this.transient++
  }

  /** The wait before retrying a rate-limited attempt; throws when too many or too long. */
  afterRateLimit(headers: ResponseHeaders, message: string): RateLimitWait {
    const { maxRetries, maxWaitMs, fallbackWaitMs } = this.limits
    const wait = rateLimitWait(headers, fallbackWaitMs * 2 ** this.rateLimited)
    this.rateLimited++
    if (this.rateLimited > maxRetries || wait.ms > maxWaitMs) {
      const why =
        this.rateLimited > maxRetries
          ? `it was still hit after ${maxRetries} retries`
          : `waiting for it would take ${formatWait(wait.ms)}, more than ${formatWait(maxWaitMs)}`
      const when =
        wait.resetAt === undefined
          ? 'GitHub did not say when it resets; try again in a few minutes.'
          : `It resets at ${new Date(wait.resetAt).toISOString()}.`
      throw new Error(`GitHub's rate limit was hit (${message}) and ${why}. ${when}`)
    }
    return wait
  }
}

/** How long to wait after a rate-limited answer, following GitHub's documented headers. */
export function rateLimitWait(headers: ResponseHeaders, fallbackMs: number): RateLimitWait {
  const now = Date.now()
  const retryAfter = Number(headers['retry-after'])
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return { ms: retryAfter * 1000, source: 'Retry-After', resetAt: now + retryAfter * 1000 }
  }
  const reset = Number(headers['x-ratelimit-reset'])
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset) && reset > 0) {
    // Measured against the server's clock where it says it, since the runner's may be off.
    const serverNow = Date.parse(String(headers['date'] ?? '')) || now
    const ms = Math.max(0, reset * 1000 - serverNow) + 1000
    return { ms, source: 'x-ratelimit-reset', resetAt: now + ms }
  }
  return { ms: fallbackMs, source: 'no Retry-After or x-ratelimit-reset header; backing off' }
}
