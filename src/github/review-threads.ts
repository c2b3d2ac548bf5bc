import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { getOctokit } from '@actions/github'
import { type ResolveOutcome } from '../model/task-record.js'
import { globToRegExp } from '../system/glob.js'

/** A review thread as an item for the command template. */
export interface ReviewThread {
  /** GraphQL node id, as `resolveReviewThread` takes it. */
  id: string
  /** File the thread is on. */
  path: string
  /** Line in the diff (the last one of a range); null when outdated. */
  line: number | null
  /** First line of a multi-line range, else null. */
  startLine: number | null
  /** `LEFT` (the old side of the diff) or `RIGHT` (the new side). */
  diffSide: string
  /** Whether the code has changed since the thread was written. */
  isOutdated: boolean
  /** Link to the first comment (threads have no URL of their own). */
  url: string
  /** Login of the first comment's author; `ghost` for a deleted account. */
  author: string
  /** Text of the first comment, as its author wrote it (untrusted). */
  body: string
  /** Every comment of the thread, oldest first. */
  comments: { author: string; body: string; url: string; createdAt: string }[]
  /** `LINE` for a thread on lines (the usual), `FILE` for one on a whole file (its `line` is null). */
  subjectType: string
  /** Whether the token may resolve it (`pull-requests: write`), as GitHub says. */
  viewerCanResolve: boolean
}

/** Which threads to list. */
export interface ThreadFilter {
  /** Include threads whose code has changed since (outdated). */
  includeOutdated: boolean
  /** Path globs (`*` within a segment, `**` any segments, `?` one char); empty: all paths. */
  paths: string[]
  /** Author logins, case-insensitive; empty: all authors. */
  authors: string[]
}

/** A pull request in a repository. */
export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

/** A small GraphQL client: bounded concurrency, rate-limit aware retries. */
export interface GitHubApi {
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>
}

/** How the GraphQL client reaches GitHub and paces itself. */
export interface GitHubApiOptions {
  /** GITHUB_API_URL, default https://api.github.com */
  apiUrl?: string
  /** GITHUB_GRAPHQL_URL, default `${apiUrl}/graphql` */
  graphqlUrl?: string
  /** Most requests in flight at once (default 4; GitHub allows 100 but punishes bursts). */
  maxConcurrent?: number
  /** How many times a rate-limited request is retried (default 5). */
  maxRetries?: number
  /** Longest single wait in ms before giving up with an error that says when the limit resets (default 15 min). */
  maxWaitMs?: number
  /** Wait used when GitHub gives no header (docs say at least one minute); tests set it small. */
  fallbackWaitMs?: number
  /**
   * Least time in ms between the end of one mutation and the start of the next (default 1000).
   * GitHub asks for mutations one at a time, a second apart, to stay under its secondary limits.
   */
  mutationIntervalMs?: number
  /** Called with a line to log (e.g. "GitHub rate limit: waiting 2 s (Retry-After)."). */
  log?: (message: string) => void
  /** Stops every wait and request at once (the run was cancelled); calls then reject. */
  signal?: AbortSignal
  /** Longest wait for one answer before it counts as a failed request (default 60 s). */
  requestTimeoutMs?: number
}

/** One entry of a GraphQL response's `errors` array, as GitHub writes it. */
interface GraphQLErrorItem {
  type?: string
  code?: string
  message?: string
  path?: (string | number)[]
}

/** An answer from GitHub that is not data: an HTTP error or GraphQL `errors`. */
class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly errors: GraphQLErrorItem[] = []
  ) {
    super(message)
  }

  /** Whether GitHub refused for lack of permission. */
  get forbidden(): boolean {
    return (
      this.errors.some(e => e.type === 'FORBIDDEN') ||
      /Resource not accessible by (integration|personal access token)/.test(this.message)
    )
  }

  /** The path of the first NOT_FOUND error, or undefined when there is none. */
  get notFoundPath(): (string | number)[] | undefined {
    const error = this.errors.find(e => e.type === 'NOT_FOUND')
    return error === undefined ? undefined : (error.path ?? [])
  }
}

type Octokit = ReturnType<typeof getOctokit>
type ResponseHeaders = Record<string, string | number | undefined>

/** What one attempt of a request came to. */
type Attempt =
  | { kind: 'data'; data: unknown }
  | { kind: 'rate-limit'; headers: ResponseHeaders; message: string }
  | { kind: 'transient'; error: Error }

const RATE_LIMIT_TYPES = new Set(['RATE_LIMITED', 'RATE_LIMIT'])
const TRANSIENT_STATUSES = new Set([502, 503, 504])
const TRANSIENT_RETRIES = 2
const TOKEN_HINT = 'such as ${{ github.token }} (the default)'

/** Runs at most `limit` functions at once; the others wait their turn in call order. */
class Semaphore {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      // Hand the slot straight to the next in line, so that no newcomer can jump the queue.
      const next = this.waiting.shift()
      if (next !== undefined) next()
      else this.active--
    }
  }
}

/**
 * A GraphQL client for `token` that keeps at most `maxConcurrent` requests in flight, runs
 * mutations one at a time, waits out rate limits as GitHub's docs say (`retry-after`, else
 * `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else an exponential backoff from
 * `fallbackWaitMs`) and retries 502/503/504 on queries. `@actions/github` is loaded here, and
 * only here, so runs that do not use review threads do not pay for it.
 */
export async function createGitHubApi(
  token: string,
  options: GitHubApiOptions = {}
): Promise<GitHubApi> {
  if (token.trim() === '') {
    throw new Error(
      `Invalid github-token: it is empty. Expected a token that can read pull requests, ${TOKEN_HINT}.`
    )
  }
  const apiUrl = (options.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com').replace(
    /\/+$/,
    ''
  )
  const graphqlUrl = options.graphqlUrl || process.env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`
  const maxRetries = options.maxRetries ?? 5
  const maxWaitMs = options.maxWaitMs ?? 15 * 60_000
  const fallbackWaitMs = options.fallbackWaitMs ?? 60_000
  const mutationIntervalMs = options.mutationIntervalMs ?? 1000
  const log = options.log ?? (() => {})
  const slots = new Semaphore(Math.max(1, Math.floor(options.maxConcurrent ?? 4)))
  const mutations = new Semaphore(1)
  let pausedUntil = 0 // a rate limit pauses every request, not just the one that met it
  let lastMutationEnd = 0
  const signal = options.signal ?? new AbortController().signal
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const stopped = (): Error =>
    new Error(`GitHub request stopped: ${describeReason(signal.reason)}`, { cause: signal.reason })
  // A cancelled run must not sit out a rate limit: the runner kills the action soon after.
  const pause = async (ms: number): Promise<void> => {
    try {
      await sleep(ms, undefined, { signal })
    } catch {
      throw stopped()
    }
  }

  const { getOctokit } = await import('@actions/github')
  const octokit: Octokit = getOctokit(token, { baseUrl: apiUrl })

  async function attempt(query: string, variables: Record<string, unknown>): Promise<Attempt> {
    for (let wait = pausedUntil - Date.now(); wait > 0; wait = pausedUntil - Date.now()) {
      await pause(wait)
    }
    if (signal.aborted) throw stopped()
    const timeout = AbortSignal.timeout(requestTimeoutMs)
    let response: { status: number; headers: ResponseHeaders; data: unknown }
    try {
      // An absolute URL: on GitHub Enterprise Server the GraphQL endpoint is not under apiUrl.
      response = await octokit.request(`POST ${graphqlUrl}`, {
        query,
        variables,
        request: { signal: AbortSignal.any([signal, timeout]) }
      })
    } catch (error) {
      if (signal.aborted) throw stopped()
      if (timeout.aborted) {
        const error = new Error(`GitHub did not answer within ${formatWait(requestTimeoutMs)}.`)
        return { kind: 'transient', error }
      }
      return failedAttempt(error)
    }
    const body = response.data as { data?: unknown; errors?: GraphQLErrorItem[] } | undefined
    const errors = Array.isArray(body?.errors) ? body.errors : []
    if (errors.some(e => RATE_LIMIT_TYPES.has(e.type ?? '') || e.code === 'graphql_rate_limit')) {
      return { kind: 'rate-limit', headers: response.headers, message: describeErrors(errors) }
    }
    if (errors.length > 0) throw new GitHubError(describeErrors(errors), response.status, errors)
    return { kind: 'data', data: body?.data }
  }

  async function call(query: string, variables: Record<string, unknown>, mutation: boolean) {
    let rateLimited = 0
    let transient = 0
    for (;;) {
      const result = await slots.run(async () => {
        if (!mutation) return attempt(query, variables)
        const gap = lastMutationEnd + mutationIntervalMs - Date.now()
        if (gap > 0) await pause(gap)
        try {
          return await attempt(query, variables)
        } finally {
          lastMutationEnd = Date.now()
        }
      })
      if (result.kind === 'data') return result.data
      if (result.kind === 'transient') {
        // A mutation may have been applied before the gateway gave up: a second reply would
        // post twice. Queries are safe to repeat.
        if (mutation || transient >= TRANSIENT_RETRIES) throw result.error
        await pause(1000 * 2 ** transient++)
        continue
      }
      const wait = rateLimitWait(result.headers, fallbackWaitMs * 2 ** rateLimited)
      rateLimited++
      if (rateLimited > maxRetries || wait.ms > maxWaitMs) {
        const why =
          rateLimited > maxRetries
            ? `it was still hit after ${maxRetries} retries`
            : `waiting for it would take ${formatWait(wait.ms)}, more than ${formatWait(maxWaitMs)}`
        const when =
          wait.resetAt === undefined
            ? 'GitHub did not say when it resets; try again in a few minutes.'
            : `It resets at ${new Date(wait.resetAt).toISOString()}.`
        throw new Error(`GitHub's rate limit was hit (${result.message}) and ${why}. ${when}`)
      }
      const until = Date.now() + wait.ms
      if (until > pausedUntil) {
        pausedUntil = until
        log(`GitHub rate limit: waiting ${formatWait(wait.ms)} (${wait.source}).`)
      }
    }
  }

  return {
    async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      const mutation = /^\s*mutation\b/.test(query)
      const run = () => call(query, variables, mutation) as Promise<T>
      // GitHub asks for mutations one at a time (secondary rate limits).
      return mutation ? mutations.run(run) : run()
    }
  }
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted')
}

/** Sorts a thrown octokit error into a rate limit or a transient failure; throws the others. */
function failedAttempt(error: unknown): Attempt {
  const failure = error as {
    status?: number
    message?: string
    response?: { headers?: ResponseHeaders; data?: unknown }
  }
  const status = failure.status
  const headers = failure.response?.headers ?? {}
  const data = failure.response?.data as { message?: unknown } | undefined
  const message =
    typeof data?.message === 'string' ? data.message : String(failure.message ?? error)
  // A 403 is a rate limit only when it says so; otherwise it is a missing permission.
  if (
    status === 429 ||
    (status === 403 &&
      (headers['retry-after'] !== undefined ||
        String(headers['x-ratelimit-remaining']) === '0' ||
        // Older GitHub Enterprise Server words it as "abuse detection mechanism".
        /rate limit|secondary|abuse/i.test(message)))
  ) {
    return { kind: 'rate-limit', headers, message }
  }
  if (status !== undefined && TRANSIENT_STATUSES.has(status)) {
    return {
      kind: 'transient',
      error: new GitHubError(`GitHub answered ${status}: ${message}`, status)
    }
  }
  if (status === 401) {
    throw new GitHubError(
      `GitHub rejected the github-token (401 ${message}). Expected a valid token, ${TOKEN_HINT}; ` +
        'a personal access token may have expired or been revoked.',
      status
    )
  }
  // Octokit reports a request that got no answer at all (network, DNS) as a 500.
  const prefix =
    status === undefined || status === 500 ? 'GitHub request failed' : `GitHub answered ${status}`
  throw new GitHubError(`${prefix}: ${message}`, status)
}

/** How long to wait after a rate-limited answer, following GitHub's documented headers. */
function rateLimitWait(
  headers: ResponseHeaders,
  fallbackMs: number
): { ms: number; source: string; resetAt?: number } {
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

function formatWait(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  return ms >= 120_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`
}

function describeErrors(errors: GraphQLErrorItem[]): string {
  return errors.map(e => (e.type ? `${e.type}: ${e.message ?? ''}` : (e.message ?? ''))).join('; ')
}

/**
 * The pull request from an explicit number or the event payload (GITHUB_EVENT_PATH), in
 * GITHUB_REPOSITORY. Events that carry one: pull_request, pull_request_target,
 * pull_request_review, pull_request_review_comment, and issue_comment on a pull request.
 */
export async function pullRequestFromContext(
  explicitNumber: number | undefined,
  env: NodeJS.ProcessEnv = process.env
): Promise<PullRequestRef> {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository)
  if (!match) {
    throw new Error(`Invalid GITHUB_REPOSITORY '${repository}'. Expected format {owner}/{repo}.`)
  }
  const owner = match[1] as string
  const repo = match[2] as string
  if (explicitNumber !== undefined) {
    if (!Number.isSafeInteger(explicitNumber) || explicitNumber < 1) {
      throw new Error(
        `Invalid pull-request '${explicitNumber}'. Expected a pull request number from 1 up.`
      )
    }
    return { owner, repo, number: explicitNumber }
  }
  const eventName = env.GITHUB_EVENT_NAME || 'unknown'
  const setInput = `Set the 'pull-request' input to a pull request number.`
  const path = env.GITHUB_EVENT_PATH ?? ''
  if (path === '') {
    throw new Error(
      `No pull request: GITHUB_EVENT_PATH is not set, so there is no event to read. ${setInput}`
    )
  }
  let event: {
    pull_request?: { number?: unknown }
    issue?: { number?: unknown; pull_request?: unknown }
  }
  try {
    event = JSON.parse(await readFile(path, 'utf8')) ?? {}
  } catch (error) {
    throw new Error(
      `Could not read the event payload at GITHUB_EVENT_PATH '${path}': ${(error as Error).message}. ${setInput}`,
      { cause: error }
    )
  }
  const number =
    event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined)
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new Error(
      `The '${eventName}' event has no pull request. ${setInput} Events with one are pull_request, ` +
        'pull_request_target, pull_request_review, pull_request_review_comment, and issue_comment ' +
        'on a pull request.'
    )
  }
  return { owner, repo, number }
}

const COMMENT_FIELDS = `
        pageInfo { hasNextPage endCursor }
        nodes { author { login } body url createdAt }`

const THREADS_QUERY = `query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      url
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved isOutdated path line startLine diffSide subjectType viewerCanResolve
          comments(first: 100) {${COMMENT_FIELDS}
          }
        }
      }
    }
  }
}`

const COMMENTS_QUERY = `query ReviewThreadComments($id: ID!, $cursor: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: 100, after: $cursor) {${COMMENT_FIELDS}
      }
    }
  }
}`

interface PageInfo {
  hasNextPage: boolean
  endCursor: string | null
}

interface CommentNode {
  author: { login: string } | null
  body: string
  url: string
  createdAt: string
}

interface CommentConnection {
  pageInfo: PageInfo
  nodes: (CommentNode | null)[]
}

interface ThreadNode {
  id: string
  isResolved: boolean
  isOutdated: boolean
  path: string
  line: number | null
  startLine: number | null
  diffSide: string
  subjectType: string
  viewerCanResolve: boolean
  comments: CommentConnection
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      url: string
      reviewThreads: { pageInfo: PageInfo; nodes: (ThreadNode | null)[] }
    } | null
  } | null
}

/**
 * Every unresolved thread of `pr` (outdated ones only when asked) that passes the path and author
 * filters, in GitHub's order, following every page of threads and of comments.
 */
export async function listReviewThreads(
  api: GitHubApi,
  pr: PullRequestRef,
  filter: ThreadFilter
): Promise<ReviewThread[]> {
  const where = `${pr.owner}/${pr.repo}`
  const notFound = `Pull request #${pr.number} was not found in ${where}.`
  const paths = filter.paths.map(globToRegExp)
  const authors = new Set(filter.authors.map(loginKey))
  const threads: ReviewThread[] = []
  const unfinished: { thread: ReviewThread; cursor: string }[] = []
  try {
    let cursor: string | null = null
    do {
      const page: ThreadsPage = await api.graphql<ThreadsPage>(THREADS_QUERY, {
        owner: pr.owner,
        repo: pr.repo,
        number: pr.number,
        cursor
      })
      const pullRequest = page?.repository?.pullRequest
      if (!pullRequest) throw new Error(notFound)
      const { pageInfo, nodes } = pullRequest.reviewThreads
      for (const node of nodes) {
        if (!node || node.isResolved || (node.isOutdated && !filter.includeOutdated)) continue
        const thread = toThread(node, pullRequest.url)
        if (paths.length > 0 && !paths.some(glob => glob.test(thread.path))) continue
        if (authors.size > 0 && !authors.has(loginKey(thread.author))) continue
        threads.push(thread)
        const more = node.comments.pageInfo
        if (more.hasNextPage && more.endCursor) {
          unfinished.push({ thread, cursor: more.endCursor })
        }
      }
      cursor = pageInfo.hasNextPage ? pageInfo.endCursor : null
    } while (cursor)
    // The client bounds how many of these run at once.
    await Promise.all(
      unfinished.map(({ thread, cursor }) => fetchMoreComments(api, thread, cursor))
    )
  } catch (error) {
    throw readError(error, pr, notFound)
  }
  return threads
}

/**
 * A login as filters compare it: case-insensitive, and without the `[bot]` that the REST API and
 * the web show after an app's name but GraphQL's `author.login` leaves out.
 */
function loginKey(login: string): string {
  return login.toLowerCase().replace(/\[bot\]$/, '')
}

/** Appends the comments after `cursor` to the thread, page by page. */
async function fetchMoreComments(
  api: GitHubApi,
  thread: ReviewThread,
  cursor: string
): Promise<void> {
  for (let after: string | null = cursor; after;) {
    const page: { node: { comments?: CommentConnection } | null } = await api.graphql(
      COMMENTS_QUERY,
      { id: thread.id, cursor: after }
    )
    const comments = page?.node?.comments
    if (!comments) throw new Error(`Review thread ${thread.id} disappeared while it was read.`)
    thread.comments.push(...comments.nodes.filter(c => c !== null).map(toComment))
    after = comments.pageInfo.hasNextPage ? comments.pageInfo.endCursor : null
  }
}

function toComment(node: CommentNode): ReviewThread['comments'][number] {
  return {
    author: node.author?.login ?? 'ghost',
    body: node.body,
    url: node.url,
    createdAt: node.createdAt
  }
}

function toThread(node: ThreadNode, pullRequestUrl: string): ReviewThread {
  const comments = node.comments.nodes.filter(c => c !== null).map(toComment)
  const first = comments[0]
  // Where and what first: an item's label in the log and summary is the start of its JSON.
  return {
    path: node.path,
    line: node.line ?? null,
    author: first?.author ?? 'ghost',
    body: first?.body ?? '',
    startLine: node.startLine ?? null,
    diffSide: node.diffSide,
    isOutdated: node.isOutdated,
    subjectType: node.subjectType,
    url: first?.url ?? pullRequestUrl,
    id: node.id,
    comments,
    viewerCanResolve: node.viewerCanResolve
  }
}

/** An error from reading threads, said in terms of what to do about it. */
function readError(error: unknown, pr: PullRequestRef, notFound: string): Error {
  if (!(error instanceof GitHubError)) return error as Error
  const where = `${pr.owner}/${pr.repo}`
  if (error.forbidden) {
    return new Error(
      `The github-token may not read the review threads of ${where}#${pr.number} (${error.message}). ` +
        `It needs the 'pull-requests: read' permission: add 'pull-requests: read' under ` +
        `'permissions:' in the job ('pull-requests: write' to also resolve threads).`,
      { cause: error }
    )
  }
  const path = error.notFoundPath
  if (path !== undefined) {
    return new Error(
      path.includes('pullRequest')
        ? notFound
        : `Repository ${where} was not found, or the github-token cannot see it (${error.message}).`,
      { cause: error }
    )
  }
  return error
}

const REPLY_MUTATION = `mutation ReplyToReviewThread($threadId: ID!, $body: String!) {
  addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $threadId, body: $body }) {
    comment { url }
  }
}`

const RESOLVE_MUTATION = `mutation ResolveReviewThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) {
    thread { id isResolved }
  }
}`

/** Replies with `comment` (when not empty), then resolves; never throws: the outcome says what failed. */
export async function resolveReviewThread(
  api: GitHubApi,
  threadId: string,
  comment: string | undefined
): Promise<ResolveOutcome> {
  let commentUrl: string | undefined
  if (comment !== undefined && comment.trim() !== '') {
    try {
      const reply = await api.graphql<{
        addPullRequestReviewThreadReply: { comment: { url: string } | null } | null
      }>(REPLY_MUTATION, { threadId, body: comment })
      commentUrl = reply?.addPullRequestReviewThreadReply?.comment?.url
    } catch (error) {
      // Without its reply the resolve would go unexplained: leave the thread open.
      return { resolved: false, error: writeError(error, threadId, 'reply to') }
    }
  }
  const withUrl = commentUrl === undefined ? {} : { commentUrl }
  try {
    const result = await api.graphql<{
      resolveReviewThread: { thread: { id: string; isResolved: boolean } | null } | null
    }>(RESOLVE_MUTATION, { threadId })
    if (result?.resolveReviewThread?.thread?.isResolved === true)
      return { resolved: true, ...withUrl }
    return {
      resolved: false,
      ...withUrl,
      error: `GitHub did not mark review thread ${threadId} as resolved.`
    }
  } catch (error) {
    return { resolved: false, ...withUrl, error: writeError(error, threadId, 'resolve') }
  }
}

/** An error from a mutation, said in terms of what to do about it. */
function writeError(error: unknown, threadId: string, verb: string): string {
  if (error instanceof GitHubError && error.forbidden) {
    return (
      `The github-token may not ${verb} review thread ${threadId} (${error.message}). ` +
      `It needs the 'pull-requests: write' permission: add 'pull-requests: write' under ` +
      `'permissions:' in the job. The GITHUB_TOKEN of a pull request from a fork is read-only ` +
      `whatever the job asks for; and if the permission is already granted, GitHub may also ` +
      `want 'contents: write' to resolve threads.`
    )
  }
  if (error instanceof GitHubError && error.notFoundPath !== undefined) {
    return `Review thread ${threadId} was not found; it may have been deleted (${error.message}).`
  }
  return error instanceof Error ? error.message : String(error)
}
