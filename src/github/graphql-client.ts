import { setTimeout as sleep } from 'node:timers/promises'
import type { getOctokit } from '@actions/github'
import { formatWait } from '../model/duration.js'
import {
  answeredAttempt,
  failedAttempt,
  type AttemptOutcome,
  type ResponseHeaders
} from './attempt-outcome.js'
import { TOKEN_HINT } from './github-error.js'
import { Semaphore, SharedPause, Spacing } from './pacing.js'
import { RetryBudget, type RateLimitWait } from './retry-budget.js'

/** A small GraphQL client: bounded concurrency, rate-limit aware retries. */
export interface GitHubApi {
  /** Sends a query or mutation; resolves with its `data`, rejects with what went wrong. */
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>
}

/** How the GraphQL client reaches GitHub and paces itself; DEFAULTS says what is left out. */
export interface GitHubApiOptions {
  /** GITHUB_API_URL, default https://api.github.com */
  apiUrl?: string
  /** GITHUB_GRAPHQL_URL, default `${apiUrl}/graphql` */
  graphqlUrl?: string
  /** Most requests in flight at once. */
  maxConcurrent?: number
  /** How many times a rate-limited request is retried. */
  maxRetries?: number
  /** Longest single wait in ms before giving up with an error that says when the limit resets. */
  maxWaitMs?: number
  /** Wait used when GitHub gives no header; tests set it small. */
  fallbackWaitMs?: number
  /** Least time in ms between the end of one mutation and the start of the next. */
  mutationIntervalMs?: number
  /** Called with a line to log (e.g. "GitHub rate limit: waiting 2 s (Retry-After)."). */
  log?: (message: string) => void
  /** Stops every wait and request at once (the run was cancelled); calls then reject. */
  signal?: AbortSignal
  /** Longest wait for one answer before it counts as a failed request. */
  requestTimeoutMs?: number
}

/** The pacing options' defaults (docs/decisions/011-github-client.md says why these). */
const DEFAULTS = {
  maxConcurrent: 4,
  maxRetries: 5,
  maxWaitMs: 15 * 60_000,
  fallbackWaitMs: 60_000,
  mutationIntervalMs: 1000,
  requestTimeoutMs: 60_000
}

type Octokit = ReturnType<typeof getOctokit>
type ClientConfig = Required<GitHubApiOptions>

/** A GraphQL client for `token` that paces and retries its requests as GitHub asks. */
export async function createGitHubApi(
  token: string,
  options: GitHubApiOptions = {}
): Promise<GitHubApi> {
  if (token.trim() === '') {
    throw new Error(
      `Invalid github-token: it is empty. Expected a token that can read pull requests, ${TOKEN_HINT}.`
    )
  }
  const config = withDefaults(options)
  // Loaded here, and only here, so that runs without review threads do not pay for it.
  const { getOctokit } = await import('@actions/github')
  return new GraphQLClient(getOctokit(token, { baseUrl: config.apiUrl }), config)
}

/** The options with every default filled in, URLs from the environment when not given. */
function withDefaults(options: GitHubApiOptions): ClientConfig {
  const apiUrl = (options.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com').replace(
    /\/+$/,
    ''
  )
  return {
    apiUrl,
    graphqlUrl: options.graphqlUrl || process.env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`,
    maxConcurrent: Math.max(1, Math.floor(options.maxConcurrent ?? DEFAULTS.maxConcurrent)),
    maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
    maxWaitMs: options.maxWaitMs ?? DEFAULTS.maxWaitMs,
    fallbackWaitMs: options.fallbackWaitMs ?? DEFAULTS.fallbackWaitMs,
    mutationIntervalMs: options.mutationIntervalMs ?? DEFAULTS.mutationIntervalMs,
    log: options.log ?? (() => {}),
    signal: options.signal ?? new AbortController().signal,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs
  }
}

/** Sends GraphQL requests through octokit, paced by its semaphores and pauses, retried as due. */
class GraphQLClient implements GitHubApi {
  private readonly slots: Semaphore
  /** GitHub asks for mutations one at a time (secondary rate limits). */
  private readonly mutations = new Semaphore(1)
  private readonly rateLimitPause: SharedPause
  private readonly mutationSpacing: Spacing

  constructor(
    private readonly octokit: Octokit,
    private readonly config: ClientConfig
  ) {
    const pause = (ms: number): Promise<void> => this.pause(ms)
    this.slots = new Semaphore(config.maxConcurrent)
    this.rateLimitPause = new SharedPause(pause)
    this.mutationSpacing = new Spacing(config.mutationIntervalMs, pause)
  }

  /** Sends a query, or a mutation once the one before it is done. */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const mutation = /^\s*mutation\b/.test(query)
    const run = (): Promise<T> => this.call(query, variables, mutation) as Promise<T>
    return mutation ? this.mutations.run(run) : run()
  }

  /** One request, attempted until it brings data or its retries give up. */
  private async call(
    query: string,
    variables: Record<string, unknown>,
    mutation: boolean
  ): Promise<unknown> {
    const retries = new RetryBudget(this.config, mutation)
    const attempt = (): Promise<AttemptOutcome> => this.attempt(query, variables)
    for (;;) {
      const outcome = await this.slots.run(() =>
        mutation ? this.mutationSpacing.run(attempt) : attempt()
      )
      if (outcome.kind === 'data') return outcome.data
      if (outcome.kind === 'transient') await this.pause(retries.afterTransient(outcome.error))
      else this.pauseAll(retries.afterRateLimit(outcome.headers, outcome.message))
    }
  }

  /** Pauses every request for a rate limit, and logs the wait when it lengthens the pause. */
  private pauseAll(wait: RateLimitWait): void {
    if (this.rateLimitPause.extend(wait.ms)) {
      this.config.log(`GitHub rate limit: waiting ${formatWait(wait.ms)} (${wait.source}).`)
    }
  }

  /** Sends the request once, after any rate-limit pause, and sorts what came of it. */
  private async attempt(
    query: string,
    variables: Record<string, unknown>
  ): Promise<AttemptOutcome> {
    await this.rateLimitPause.waitOut()
    const { signal, requestTimeoutMs } = this.config
    if (signal.aborted) throw this.stopped()
    const timeout = AbortSignal.timeout(requestTimeoutMs)
    let response: { status: number; headers: ResponseHeaders; data: unknown }
    try {
      // An absolute URL: on GitHub Enterprise Server the GraphQL endpoint is not under apiUrl.
      response = await this.octokit.request(`POST ${this.config.graphqlUrl}`, {
        query,
        variables,
        request: { signal: AbortSignal.any([signal, timeout]) }
      })
    } catch (error) {
      if (signal.aborted) throw this.stopped()
      if (timeout.aborted) {
        const error = new Error(`GitHub did not answer within ${formatWait(requestTimeoutMs)}.`)
        return { kind: 'transient', error }
      }
      return failedAttempt(error)
    }
    return answeredAttempt(response)
  }

  /** Waits `ms`, or rejects at once when the run is cancelled: the runner kills the action soon. */
  private async pause(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.config.signal })
    } catch {
      throw this.stopped()
    }
  }

  /** The error every call rejects with once the run is cancelled. */
  private stopped(): Error {
    const reason: unknown = this.config.signal.reason
    const why = reason instanceof Error ? reason.message : String(reason ?? 'aborted')
    return new Error(`GitHub request stopped: ${why}`, { cause: reason })
  }
}
