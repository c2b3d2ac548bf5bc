/**
 * A fake of GitHub's GraphQL API for review threads: a real `node:http` server on 127.0.0.1 (a
 * free port) that answers from in-memory state with the JSON shapes and headers GitHub documents,
 * so code under test talks real HTTP through its real client. Point a client at it with
 * `GITHUB_API_URL=apiUrl` and `GITHUB_GRAPHQL_URL=graphqlUrl` (unit tests, or a child process).
 *
 *   const github = await startFakeGitHub({ threads: [{ id: 'T1', path: 'a.ts', comments: [...] }] })
 *   ...
 *   await github.close()
 *
 * It understands just enough GraphQL, found by name in the query text with arguments read from
 * literals or `$variables`:
 * - `repository(owner:, name:) { pullRequest(number:) { url reviewThreads(first:, after:) {...} } }`
 *   with each thread's `comments(first:)`;
 * - `node(id:) { ... on PullRequestReviewThread { comments(first:, after:) } }`;
 * - the mutations `addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId, body })`
 *   and `resolveReviewThread(input: { threadId })`, applied in the order they appear.
 * It always answers every field it knows, whatever the selection asks for.
 *
 * Answers, as GitHub gives them: `401 {"message":"Bad credentials"}` for a wrong token;
 * `200 {"data":…,"errors":[{"type":"FORBIDDEN","message":"Resource not accessible by
 * integration"}]}` when reading (`canRead: false`) or writing (`canWrite: false`) is not allowed;
 * `NOT_FOUND` errors for an unknown repository, pull request or node; `x-ratelimit-*` headers on
 * every answer; and on request `rateLimit.afterRequests + 1` (for `times` requests) either a
 * secondary rate limit (403 or 429 with a message and `retry-after` when given) or a GraphQL
 * `RATE_LIMITED` error (200, `x-ratelimit-remaining: 0` and `x-ratelimit-reset`).
 *
 * `threads` on the result is the live state: replies are appended to a thread's comments (and to
 * `replies`) and resolving sets `isResolved`. `requests` records every request received.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** A comment: `author: null` is a deleted account. `url` and `createdAt` are filled in if left out. */
export interface FakeComment {
  author: string | null
  body: string
  url?: string
  createdAt?: string
}

/** A review thread as the fake stores it. */
export interface FakeThread {
  id: string
  path: string
  line?: number | null
  startLine?: number | null
  /** `RIGHT` unless said. */
  diffSide?: string
  isOutdated?: boolean
  isResolved?: boolean
  comments: FakeComment[]
}

/** Answer some requests with a rate limit instead. */
export interface FakeRateLimit {
  /** How many requests are answered normally first. */
  afterRequests: number
  /** How many requests in a row get the rate limit (default 1). */
  times?: number
  /** `secondary` (default): HTTP 403/429 with a message; `graphql`: 200 with `RATE_LIMITED`. */
  kind?: 'secondary' | 'graphql'
  /** HTTP status of a secondary limit (default 403). */
  status?: 403 | 429
  /** Send `retry-after` with this many seconds. */
  retryAfterSeconds?: number
  /** Send `x-ratelimit-remaining: 0` and `x-ratelimit-reset` this many seconds ahead. */
  resetInSeconds?: number
}

export interface FakeGitHubOptions {
  /** Default `octo-org`. */
  owner?: string
  /** Default `octo-repo`. */
  repo?: string
  /** The pull request's number (default 7). */
  number?: number
  threads: FakeThread[]
  /** The only token accepted (as `token X` or `bearer X`); others get 401. Default: any. */
  token?: string
  /** False: reading the pull request answers FORBIDDEN (default true). */
  canRead?: boolean
  /** False: mutations answer FORBIDDEN (default true). */
  canWrite?: boolean
  /** Caps `first` on threads and comments, to force pagination (default 100, GitHub's cap). */
  pageSize?: number
  /** Waits this long before each answer (to see concurrency). */
  delayMs?: number
  /** The login that replies are written by (default `github-actions`). */
  viewer?: string
  rateLimit?: FakeRateLimit
  /** Answers request `afterRequests + 1` with this HTTP status (e.g. 502), once. */
  failOnce?: { afterRequests: number; status: number }
}

/** A request as the fake received it. */
export interface FakeRequest {
  query: string
  variables: Record<string, unknown>
  authorization: string | undefined
  /** Date.now() when it arrived. */
  at: number
  /** The HTTP status it was answered with. */
  status: number
}

export interface FakeGitHub {
  /** Use as GITHUB_API_URL. */
  apiUrl: string
  /** Use as GITHUB_GRAPHQL_URL. */
  graphqlUrl: string
  requests: FakeRequest[]
  /** The most requests that were being answered at once. */
  readonly maxInFlight: number
  /** Live state. */
  threads: FakeThread[]
  /** Every reply posted, in order. */
  replies: { threadId: string; body: string }[]
  close(): Promise<void>
}

interface Answer {
  status: number
  headers?: Record<string, string>
  body: unknown
}

type GraphQLError = {
  type?: string
  path?: (string | number)[]
  locations?: { line: number; column: number }[]
  message: string
}

const DOCS = 'https://docs.github.com/graphql'

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? 'octo-org'
  const repo = options.repo ?? 'octo-repo'
  const number = options.number ?? 7
  const pageSize = options.pageSize ?? 100
  const viewer = options.viewer ?? 'github-actions'
  const pullRequestUrl = `https://github.com/${owner}/${repo}/pull/${number}`
  let nextCommentId = 1000
  const fillIn = (comment: FakeComment): FakeComment => {
    const id = nextCommentId++
    return {
      ...comment,
      url: comment.url ?? `${pullRequestUrl}#discussion_r${id}`,
      createdAt:
        comment.createdAt ??
        new Date(Date.UTC(2024, 0, 1) + id * 60_000).toISOString().replace('.000Z', 'Z')
    }
  }
  const threads: FakeThread[] = options.threads.map(thread => ({
    ...thread,
    comments: thread.comments.map(fillIn)
  }))
  const replies: { threadId: string; body: string }[] = []
  const requests: FakeRequest[] = []
  let inFlight = 0
  let maxInFlight = 0
  let remaining = 5000
  const resetAt = Math.floor(Date.now() / 1000) + 3600

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-resource': 'graphql'
  })

  /** Arguments of the first `field(...)` in the query, resolved against the variables. */
  function args(query: string, field: string, variables: Record<string, unknown>) {
    const start = query.search(new RegExp(`\\b${field}\\s*\\(`))
    if (start < 0) return undefined
    const text = query.slice(query.indexOf('(', start) + 1, query.indexOf(')', start))
    const result: Record<string, unknown> = {}
    for (const [, name, raw] of text.matchAll(
      /(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|-?\d+|true|false|null)/g
    )) {
      const value = raw!.startsWith('$') ? variables[raw!.slice(1)] : JSON.parse(raw!)
      // `input: $input` passes the input object as one variable.
      if (name === 'input' && typeof value === 'object' && value !== null)
        Object.assign(result, value)
      else result[name!] = value
    }
    return result
  }

  const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64')
  const indexAfter = (cursor: unknown): number => {
    if (cursor === undefined || cursor === null) return 0
    const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(String(cursor), 'base64').toString())
    if (!match) throw new Error(`\`${String(cursor)}\` does not appear to be a valid cursor.`)
    return Number(match[1]) + 1
  }

  /** One page of a connection, as GitHub's `nodes` and `pageInfo`. */
  function page<T, U>(all: T[], connectionArgs: Record<string, unknown>, map: (item: T) => U) {
    const first = Number(connectionArgs.first ?? 100)
    if (first > 100) {
      throw new Error(
        `Requesting ${first} records on the connection exceeds the \`first\` limit of 100 records.`
      )
    }
    const start = indexAfter(connectionArgs.after)
    const items = all.slice(start, start + Math.min(first, pageSize))
    const end = start + items.length
    return {
      pageInfo: {
        hasNextPage: end < all.length,
        endCursor: items.length > 0 ? cursorOf(end - 1) : null
      },
      totalCount: all.length,
      nodes: items.map(map)
    }
  }

  const commentNode = (comment: FakeComment) => ({
    author: comment.author === null ? null : { login: comment.author },
    body: comment.body,
    url: comment.url,
    createdAt: comment.createdAt
  })

  const commentsPage = (thread: FakeThread, commentArgs: Record<string, unknown>) =>
    page(thread.comments, commentArgs, commentNode)

  const threadNode = (thread: FakeThread, commentArgs: Record<string, unknown>) => ({
    id: thread.id,
    isResolved: thread.isResolved ?? false,
    isOutdated: thread.isOutdated ?? false,
    path: thread.path,
    line: thread.line ?? null,
    startLine: thread.startLine ?? null,
    diffSide: thread.diffSide ?? 'RIGHT',
    subjectType: thread.line === null ? 'FILE' : 'LINE',
    viewerCanResolve: options.canWrite ?? true,
    comments: commentsPage(thread, commentArgs)
  })

  const error = (type: string, path: string[], message: string): GraphQLError => ({
    type,
    path,
    locations: [{ line: 2, column: 3 }],
    message
  })
  const forbidden = (path: string[]) =>
    error('FORBIDDEN', path, 'Resource not accessible by integration')
  const unknownNode = (path: string[], id: unknown) =>
    error('NOT_FOUND', path, `Could not resolve to a node with the global id of '${String(id)}'`)

  function execute(query: string, variables: Record<string, unknown>): Answer {
    const data: Record<string, unknown> = {}
    const errors: GraphQLError[] = []
    const mutations = ['addPullRequestReviewThreadReply', 'resolveReviewThread']
      .map(field => ({ field, at: query.search(new RegExp(`\\b${field}\\s*\\(`)) }))
      .filter(({ at }) => at >= 0)
      .sort((a, b) => a.at - b.at)
    if (/^\s*mutation\b/.test(query) && mutations.length > 0) {
      for (const { field } of mutations) {
        const input = args(query, field, variables) ?? {}
        const id =
          field === 'resolveReviewThread' ? input.threadId : input.pullRequestReviewThreadId
        const thread = threads.find(t => t.id === id)
        data[field] = null
        if (options.canWrite === false) errors.push(forbidden([field]))
        else if (thread === undefined) errors.push(unknownNode([field], id))
        else if (field === 'resolveReviewThread') {
          thread.isResolved = true
          data[field] = { thread: { id: thread.id, isResolved: true } }
        } else {
          const comment = fillIn({ author: viewer, body: String(input.body) })
          thread.comments.push(comment)
          replies.push({ threadId: thread.id, body: comment.body })
          data[field] = { comment: commentNode(comment) }
        }
      }
      return { status: 200, body: errors.length > 0 ? { data, errors } : { data } }
    }
    if (/\breviewThreads\s*\(/.test(query)) {
      const repositoryArgs = args(query, 'repository', variables) ?? {}
      const pullArgs = args(query, 'pullRequest', variables) ?? {}
      const name = `${String(repositoryArgs.owner)}/${String(repositoryArgs.name)}`
      if (name.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
        const message = `Could not resolve to a Repository with the name '${name}'.`
        return ok({ repository: null }, [error('NOT_FOUND', ['repository'], message)])
      }
      if (options.canRead === false) {
        return ok({ repository: { pullRequest: null } }, [forbidden(['repository', 'pullRequest'])])
      }
      if (Number(pullArgs.number) !== number) {
        const message = `Could not resolve to a PullRequest with the number of ${String(pullArgs.number)}.`
        return ok({ repository: { pullRequest: null } }, [
          error('NOT_FOUND', ['repository', 'pullRequest'], message)
        ])
      }
      const commentArgs = args(query, 'comments', variables) ?? {}
      const reviewThreads = page(threads, args(query, 'reviewThreads', variables) ?? {}, thread =>
        threadNode(thread, commentArgs)
      )
      return ok({ repository: { pullRequest: { url: pullRequestUrl, reviewThreads } } })
    }
    if (/\bnode\s*\(/.test(query)) {
      const id = (args(query, 'node', variables) ?? {}).id
      const thread = threads.find(t => t.id === id)
      if (thread === undefined) return ok({ node: null }, [unknownNode(['node'], id)])
      return ok({
        node: { comments: commentsPage(thread, args(query, 'comments', variables) ?? {}) }
      })
    }
    return ok(null, [{ message: 'The fake GitHub does not know this query.' }])
  }

  const ok = (data: unknown, errors?: GraphQLError[]): Answer => ({
    status: 200,
    body: errors === undefined ? { data } : { data, errors }
  })

  function rateLimited(limit: FakeRateLimit): Answer {
    const headers = rateHeaders()
    if (limit.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(limit.retryAfterSeconds)
    if (limit.resetInSeconds !== undefined) {
      headers['x-ratelimit-remaining'] = '0'
      headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + limit.resetInSeconds)
    }
    if (limit.kind === 'graphql') {
      return {
        status: 200,
        headers,
        body: {
          errors: [
            {
              type: 'RATE_LIMITED',
              code: 'graphql_rate_limit',
              message: 'API rate limit exceeded for user ID 41898282.'
            }
          ]
        }
      }
    }
    return {
      status: limit.status ?? 403,
      headers,
      body: {
        documentation_url: `${DOCS}/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits`,
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          'If you reach out to GitHub Support for help, please include the request ID 0000:FAKE.'
      }
    }
  }

  function answer(request: IncomingMessage, text: string, index: number): Answer {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (request.method !== 'POST' || url.pathname !== '/graphql') {
      return {
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404'
        }
      }
    }
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]
    if (token === undefined || (options.token !== undefined && token !== options.token)) {
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' }
      }
    }
    const limit = options.rateLimit
    if (limit && index > limit.afterRequests && index <= limit.afterRequests + (limit.times ?? 1)) {
      return rateLimited(limit)
    }
    if (options.failOnce && index === options.failOnce.afterRequests + 1) {
      return {
        status: options.failOnce.status,
        body: {
          data: null,
          errors: [
            {
              message:
                'Something went wrong while executing your query. This may be the result of a timeout, ' +
                'or it could be a GitHub bug. Please include `0000:FAKE` when reporting this issue.'
            }
          ]
        }
      }
    }
    let parsed: { query?: unknown; variables?: unknown }
    try {
      parsed = JSON.parse(text)
    } catch {
      return {
        status: 400,
        body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' }
      }
    }
    if (typeof parsed.query !== 'string') {
      return ok(null, [{ message: 'A query attribute must be specified and must be a string.' }])
    }
    remaining = Math.max(0, remaining - 1)
    try {
      return execute(parsed.query, (parsed.variables ?? {}) as Record<string, unknown>)
    } catch (e) {
      return ok(null, [{ message: (e as Error).message }])
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    const at = Date.now()
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const record: FakeRequest = {
      query: '',
      variables: {},
      authorization: request.headers.authorization,
      at,
      status: 0
    }
    try {
      const body = JSON.parse(text) as { query?: unknown; variables?: Record<string, unknown> }
      record.query = String(body.query ?? '')
      record.variables = body.variables ?? {}
    } catch {
      // Recorded as it is; answer() says what is wrong with it.
    }
    requests.push(record)
    if (options.delayMs) await sleep(options.delayMs)
    const result = answer(request, text, requests.length)
    record.status = result.status
    const payload = JSON.stringify(result.body)
    inFlight-- // before the answer goes out, so that the client can never see a stale count
    response.writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `0000:FAKE:${requests.length}`,
      ...rateHeaders(),
      ...result.headers
    })
    response.end(payload)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(e => {
      response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      response.end(JSON.stringify({ message: String(e) }))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    requests,
    get maxInFlight() {
      return maxInFlight
    },
    threads,
    replies,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}
