import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createGitHubApi,
  listReviewThreads,
  pullRequestFromContext,
  resolveReviewThread,
  type GitHubApiOptions,
  type PullRequestRef,
  type ThreadFilter
} from '../../src/github/review-threads.js'
import { startFakeGitHub, type FakeGitHub, type FakeThread } from '../helpers/fake-github.js'

const TOKEN = 'ghs_fake-token'
const PR: PullRequestRef = { owner: 'octo-org', repo: 'octo-repo', number: 7 }
const ALL: ThreadFilter = { includeOutdated: false, paths: [], authors: [] }

const thread = (id: string, extra: Partial<FakeThread> = {}): FakeThread => ({
  id,
  path: `src/${id}.ts`,
  line: 10,
  comments: [{ author: 'alice', body: `fix ${id}` }],
  ...extra
})

const started: FakeGitHub[] = []
const savedEnv = { ...process.env }

afterEach(async () => {
  await Promise.all(started.splice(0).map(github => github.close()))
})

afterAll(() => {
  process.env = savedEnv
})

/** A fake GitHub, and a client that finds it the way the action does: through the environment. */
async function setup(
  options: Partial<Parameters<typeof startFakeGitHub>[0]> = {},
  apiOptions: GitHubApiOptions = {}
) {
  const github = await startFakeGitHub({ threads: [], token: TOKEN, ...options })
  started.push(github)
  process.env.GITHUB_API_URL = github.apiUrl
  process.env.GITHUB_GRAPHQL_URL = github.graphqlUrl
  const logs: string[] = []
  const api = await createGitHubApi(TOKEN, {
    fallbackWaitMs: 20,
    mutationIntervalMs: 0,
    log: line => logs.push(line),
    ...apiOptions
  })
  return { github, api, logs }
}

describe('listReviewThreads', () => {
  it('follows every page of threads, in GitHub order', async () => {
    const threads = Array.from({ length: 250 }, (_, i) => thread(`T${i}`))
    const { github, api } = await setup({ threads, pageSize: 100 })
    const listed = await listReviewThreads(api, PR, ALL)
    expect(listed.map(t => t.id)).toEqual(threads.map(t => t.id))
    expect(github.requests).toHaveLength(3)
    expect(github.requests.map(r => r.variables.cursor === null)).toEqual([true, false, false])
    expect(github.requests.every(r => r.authorization === `token ${TOKEN}`)).toBe(true)
  })

  it('follows every page of a long thread, and maps the fields', async () => {
    const comments = Array.from({ length: 250 }, (_, i) => ({
      author: i === 0 ? null : `user${i % 3}`,
      body: `comment ${i}`
    }))
    const { github, api } = await setup({
      threads: [
        thread('LONG', { comments, line: 12, startLine: 8, diffSide: 'LEFT', path: 'a/b.ts' }),
        thread('SHORT')
      ]
    })
    const [long, short] = await listReviewThreads(api, PR, ALL)
    // One page of threads, then two more pages of the long thread's comments.
    expect(github.requests).toHaveLength(3)
    expect(github.requests[1]!.query).toContain('node(id: $id)')
    expect(long!.comments.map(c => c.body)).toEqual(comments.map(c => c.body))
    expect(long).toMatchObject({
      id: 'LONG',
      path: 'a/b.ts',
      line: 12,
      startLine: 8,
      diffSide: 'LEFT',
      isOutdated: false,
      author: 'ghost', // a deleted account
      body: 'comment 0',
      url: github.threads[0]!.comments[0]!.url
    })
    expect(long!.url).toMatch(
      /^https:\/\/github\.com\/octo-org\/octo-repo\/pull\/7#discussion_r\d+$/
    )
    expect(long!.comments[1]).toEqual({
      author: 'user1',
      body: 'comment 1',
      url: github.threads[0]!.comments[1]!.url,
      createdAt: github.threads[0]!.comments[1]!.createdAt
    })
    expect(short).toMatchObject({
      id: 'SHORT',
      startLine: null,
      diffSide: 'RIGHT',
      author: 'alice'
    })
  })

  it('skips resolved threads, and outdated ones unless asked', async () => {
    const { api } = await setup({
      threads: [
        thread('OPEN'),
        thread('RESOLVED', { isResolved: true }),
        thread('OUTDATED', { isOutdated: true, line: null }),
        thread('BOTH', { isOutdated: true, isResolved: true })
      ]
    })
    expect((await listReviewThreads(api, PR, ALL)).map(t => t.id)).toEqual(['OPEN'])
    const withOutdated = await listReviewThreads(api, PR, { ...ALL, includeOutdated: true })
    expect(withOutdated.map(t => t.id)).toEqual(['OPEN', 'OUTDATED'])
    expect(withOutdated[1]).toMatchObject({ isOutdated: true, line: null })
  })

  it('filters by path glob and by author, ignoring case', async () => {
    const { api } = await setup({
      threads: [
        thread('A', { path: 'src/a.ts', comments: [{ author: 'Alice', body: '' }] }),
        thread('B', { path: 'src/deep/b.ts', comments: [{ author: 'bob', body: '' }] }),
        thread('C', { path: 'docs/c.md', comments: [{ author: 'alice', body: '' }] }),
        thread('D', { path: 'README.md', comments: [{ author: null, body: '' }] })
      ]
    })
    const ids = async (filter: Partial<ThreadFilter>) =>
      (await listReviewThreads(api, PR, { ...ALL, ...filter })).map(t => t.id)
    expect(await ids({ paths: ['src/**/*.ts'] })).toEqual(['A', 'B'])
    expect(await ids({ paths: ['*.md'] })).toEqual(['D'])
    expect(await ids({ paths: ['**/*.md'] })).toEqual(['C', 'D'])
    expect(await ids({ authors: ['ALICE'] })).toEqual(['A', 'C'])
    expect(await ids({ authors: ['ghost', 'bob'] })).toEqual(['B', 'D'])
    expect(await ids({ paths: ['src/**'], authors: ['alice'] })).toEqual(['A'])
  })

  it("matches a bot by its login with or without the '[bot]' that GraphQL leaves out", async () => {
    const { api } = await setup({
      threads: [thread('A', { comments: [{ author: 'coderabbitai', body: 'nit' }] })]
    })
    const ids = async (authors: string[]) =>
      (await listReviewThreads(api, PR, { ...ALL, authors })).map(t => t.id)
    expect(await ids(['coderabbitai[bot]'])).toEqual(['A'])
    expect(await ids(['CodeRabbitAI'])).toEqual(['A'])
  })

  it('passes untrusted text through byte for byte', async () => {
    const hostile =
      '$(touch pwned) `rm -rf ~` ${{ secrets.TOKEN }}\n::error::boom\r\n%0A::set-output name=x::y\u0000 é 💥 "\'\\'
    const { github, api } = await setup({
      threads: [
        thread('EVIL', { path: 'src/$(x).ts', comments: [{ author: 'mallory', body: hostile }] })
      ]
    })
    const [listed] = await listReviewThreads(api, PR, ALL)
    expect(listed!.body).toBe(hostile)
    expect(listed!.path).toBe('src/$(x).ts')
    await resolveReviewThread(api, 'EVIL', hostile)
    expect(github.replies).toEqual([{ threadId: 'EVIL', body: hostile }])
  })

  it('says when the pull request or the repository is not there', async () => {
    const { api } = await setup({ threads: [thread('A')] })
    await expect(listReviewThreads(api, { ...PR, number: 99 }, ALL)).rejects.toThrow(
      'Pull request #99 was not found in octo-org/octo-repo.'
    )
    await expect(listReviewThreads(api, { ...PR, repo: 'other' }, ALL)).rejects.toThrow(
      /^Repository octo-org\/other was not found, or the github-token cannot see it/
    )
  })

  it('names the read permission when the token may not read the pull request', async () => {
    const { api } = await setup({ threads: [thread('A')], canRead: false })
    await expect(listReviewThreads(api, PR, ALL)).rejects.toThrow(
      /Resource not accessible by integration.*'pull-requests: read'.*'permissions:'/
    )
  })
})

describe('createGitHubApi', () => {
  it('rejects an empty token, naming the input', async () => {
    await expect(createGitHubApi(' ')).rejects.toThrow(
      'Invalid github-token: it is empty. Expected a token that can read pull requests'
    )
  })

  it('says the token was rejected on 401', async () => {
    const github = await startFakeGitHub({ threads: [], token: 'the-right-one' })
    started.push(github)
    const api = await createGitHubApi('a-wrong-one', {
      apiUrl: github.apiUrl,
      graphqlUrl: github.graphqlUrl
    })
    await expect(listReviewThreads(api, PR, ALL)).rejects.toThrow(
      /^GitHub rejected the github-token \(401 Bad credentials\)\. Expected a valid token/
    )
    expect(github.requests).toHaveLength(1) // not retried
  })

  it('waits out a secondary rate limit for as long as Retry-After says, then succeeds', async () => {
    const { github, api, logs } = await setup({
      threads: [thread('A')],
      rateLimit: { afterRequests: 0, retryAfterSeconds: 1 }
    })
    expect((await listReviewThreads(api, PR, ALL)).map(t => t.id)).toEqual(['A'])
    expect(github.requests.map(r => r.status)).toEqual([403, 200])
    expect(github.requests[1]!.at - github.requests[0]!.at).toBeGreaterThanOrEqual(950)
    expect(logs).toEqual(['GitHub rate limit: waiting 1 s (Retry-After).'])
  })

  it('stops waiting out a rate limit at once when the run is cancelled', async () => {
    const cancel = new AbortController()
    const { github, api } = await setup(
      { threads: [thread('A')], rateLimit: { afterRequests: 0, retryAfterSeconds: 300 } },
      { signal: cancel.signal }
    )
    const listing = listReviewThreads(api, PR, ALL)
    await new Promise(resolve => setTimeout(resolve, 200))
    const abortedAt = Date.now()
    cancel.abort(new Error('the runner sent SIGTERM'))
    await expect(listing).rejects.toThrow('GitHub request stopped: the runner sent SIGTERM')
    expect(Date.now() - abortedAt).toBeLessThan(1000)
    expect(github.requests).toHaveLength(1)
    // and a resolve during a cancelled run reports it rather than throwing
    expect(await resolveReviewThread(api, 'A', 'done')).toEqual({
      resolved: false,
      error: 'GitHub request stopped: the runner sent SIGTERM'
    })
  })

  it('counts a request with no answer within requestTimeoutMs as failed, and retries a query', async () => {
    const { github, api } = await setup(
      { threads: [thread('A')], delayMs: 400 },
      { requestTimeoutMs: 150 }
    )
    await expect(listReviewThreads(api, PR, ALL)).rejects.toThrow(
      'GitHub did not answer within 150 ms.'
    )
    expect(github.requests.length).toBeGreaterThanOrEqual(3)
  })

  it('retries a 429 and a GraphQL RATE_LIMITED error with a doubling backoff when no header says how long', async () => {
    const { github, api, logs } = await setup({
      threads: [thread('A')],
      rateLimit: { afterRequests: 0, times: 2, kind: 'graphql' }
    })
    expect((await listReviewThreads(api, PR, ALL)).map(t => t.id)).toEqual(['A'])
    expect(github.requests.map(r => r.status)).toEqual([200, 200, 200])
    expect(github.requests[2]!.at - github.requests[1]!.at).toBeGreaterThanOrEqual(35) // 20, then 40
    expect(logs[0]).toContain('no Retry-After or x-ratelimit-reset header')

    const second = await setup(
      { threads: [thread('B')], rateLimit: { afterRequests: 0, status: 429 } },
      {}
    )
    expect((await listReviewThreads(second.api, PR, ALL)).map(t => t.id)).toEqual(['B'])
    expect(second.github.requests.map(r => r.status)).toEqual([429, 200])
  })

  it('gives up with the reset time when x-ratelimit-reset is further away than maxWaitMs', async () => {
    const { github, api } = await setup(
      {
        threads: [thread('A')],
        rateLimit: { afterRequests: 0, kind: 'graphql', resetInSeconds: 600 }
      },
      { maxWaitMs: 5000 }
    )
    const error = await listReviewThreads(api, PR, ALL).catch((e: Error) => e)
    expect((error as Error).message).toMatch(
      /^GitHub's rate limit was hit \(RATE_LIMITED: API rate limit exceeded for user ID \d+\.\) and waiting for it would take 1[01] min, more than 5 s\. It resets at \d{4}-\d\d-\d\dT/
    )
    const resetAt = Date.parse(/resets at (\S+)\.$/.exec((error as Error).message)![1]!)
    expect(Math.abs(resetAt - (Date.now() + 600_000))).toBeLessThan(5000)
    expect(github.requests).toHaveLength(1)
  })

  it('gives up after maxRetries rate-limited answers', async () => {
    const { github, api } = await setup(
      { threads: [thread('A')], rateLimit: { afterRequests: 0, times: 10 } },
      { maxRetries: 2, fallbackWaitMs: 5 }
    )
    await expect(listReviewThreads(api, PR, ALL)).rejects.toThrow(
      /^GitHub's rate limit was hit \(You have exceeded a secondary rate limit\..*\) and it was still hit after 2 retries\. GitHub did not say when it resets/
    )
    expect(github.requests).toHaveLength(3)
  })

  it('retries a query once GitHub answers 502, but not a mutation', async () => {
    const { github, api } = await setup({
      threads: [thread('A')],
      failOnce: { afterRequests: 0, status: 502 }
    })
    expect((await listReviewThreads(api, PR, ALL)).map(t => t.id)).toEqual(['A'])
    expect(github.requests.map(r => r.status)).toEqual([502, 200])

    const second = await setup({
      threads: [thread('B')],
      failOnce: { afterRequests: 0, status: 502 }
    })
    const outcome = await resolveReviewThread(second.api, 'B', undefined)
    expect(outcome).toEqual({
      resolved: false,
      error: expect.stringContaining('GitHub answered 502')
    })
    expect(second.github.requests).toHaveLength(1)
  })

  it('never has more than maxConcurrent requests in flight', async () => {
    const { github, api } = await setup(
      { threads: [thread('A')], delayMs: 40 },
      { maxConcurrent: 3 }
    )
    const calls = Array.from({ length: 20 }, () =>
      api.graphql<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: 'A' })
    )
    const results = await Promise.all(calls)
    expect(results).toHaveLength(20)
    expect(github.requests).toHaveLength(20)
    expect(github.maxInFlight).toBe(3)
  })

  it('runs mutations one at a time, mutationIntervalMs apart', async () => {
    const { github, api } = await setup(
      { threads: ['A', 'B', 'C', 'D'].map(id => thread(id)), delayMs: 20 },
      { maxConcurrent: 4, mutationIntervalMs: 100 }
    )
    const outcomes = await Promise.all(
      ['A', 'B', 'C', 'D'].map(id => resolveReviewThread(api, id, ''))
    )
    expect(outcomes.every(o => o.resolved)).toBe(true)
    expect(github.maxInFlight).toBe(1)
    const starts = github.requests.map(r => r.at)
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(115) // 20 ms answer + 100 ms gap
    }
  })
})

describe('resolveReviewThread', () => {
  it('replies, then resolves, and GitHub keeps both', async () => {
    const { github, api } = await setup({ threads: [thread('A'), thread('B')] })
    const outcome = await resolveReviewThread(api, 'A', 'Fixed in abc123.')
    expect(outcome).toEqual({
      resolved: true,
      commentUrl: expect.stringContaining('#discussion_r')
    })
    expect(github.requests.map(r => r.query.match(/mutation (\w+)/)?.[1])).toEqual([
      'ReplyToReviewThread',
      'ResolveReviewThread'
    ])
    expect(github.replies).toEqual([{ threadId: 'A', body: 'Fixed in abc123.' }])
    expect(github.threads[0]).toMatchObject({ isResolved: true })
    expect(github.threads[0]!.comments.at(-1)).toMatchObject({
      author: 'github-actions',
      body: 'Fixed in abc123.',
      url: outcome.commentUrl
    })
    expect(github.threads[1]!.isResolved).toBeUndefined()
    // Resolved threads are no longer listed.
    expect((await listReviewThreads(api, PR, ALL)).map(t => t.id)).toEqual(['B'])
  })

  it('resolves without a reply when the comment is empty or missing', async () => {
    const { github, api } = await setup({ threads: [thread('A'), thread('B')] })
    expect(await resolveReviewThread(api, 'A', undefined)).toEqual({ resolved: true })
    expect(await resolveReviewThread(api, 'B', '  ')).toEqual({ resolved: true })
    expect(github.replies).toEqual([])
    expect(github.requests).toHaveLength(2)
  })

  it('reports FORBIDDEN as a missing pull-requests: write permission, without throwing', async () => {
    const { github, api } = await setup({ threads: [thread('A')], canWrite: false })
    const resolveOnly = await resolveReviewThread(api, 'A', undefined)
    expect(resolveOnly.resolved).toBe(false)
    expect(resolveOnly.error).toMatch(
      /^The github-token may not resolve review thread A \(FORBIDDEN: Resource not accessible by integration\)\. It needs the 'pull-requests: write' permission: add 'pull-requests: write' under 'permissions:' in the job\./
    )
    // A failed reply leaves the thread open: no resolve is tried.
    const withReply = await resolveReviewThread(api, 'A', 'Done.')
    expect(withReply).toEqual({
      resolved: false,
      error: expect.stringContaining('may not reply to review thread A')
    })
    expect(withReply.error).toContain("'pull-requests: write'")
    expect(github.requests).toHaveLength(2)
    expect(github.threads[0]!.isResolved).toBeUndefined()
  })

  it('says when the thread does not exist', async () => {
    const { api } = await setup({ threads: [] })
    const outcome = await resolveReviewThread(api, 'GONE', undefined)
    expect(outcome).toEqual({
      resolved: false,
      error: expect.stringMatching(/^Review thread GONE was not found; it may have been deleted/)
    })
  })

  it('reports a rate limit that outlasts its patience as an outcome, not a throw', async () => {
    const { api } = await setup(
      { threads: [thread('A')], rateLimit: { afterRequests: 0, retryAfterSeconds: 3600 } },
      { maxWaitMs: 1000 }
    )
    const outcome = await resolveReviewThread(api, 'A', undefined)
    expect(outcome.resolved).toBe(false)
    expect(outcome.error).toMatch(/^GitHub's rate limit was hit .* It resets at /)
  })
})

describe('pullRequestFromContext', () => {
  const dir = mkdtempSync(join(tmpdir(), 'review-threads-'))
  let n = 0
  const eventEnv = (name: string, payload: unknown, repository = 'octo-org/octo-repo') => {
    const path = join(dir, `event-${n++}.json`)
    writeFileSync(path, JSON.stringify(payload))
    return { GITHUB_REPOSITORY: repository, GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path }
  }

  it('reads the number of a pull_request-like event', async () => {
    for (const name of [
      'pull_request',
      'pull_request_target',
      'pull_request_review',
      'pull_request_review_comment'
    ]) {
      expect(
        await pullRequestFromContext(undefined, eventEnv(name, { pull_request: { number: 42 } }))
      ).toEqual({
        owner: 'octo-org',
        repo: 'octo-repo',
        number: 42
      })
    }
  })

  it('reads an issue_comment on a pull request, but not on an issue', async () => {
    const onPr = eventEnv('issue_comment', { issue: { number: 5, pull_request: { url: 'x' } } })
    expect((await pullRequestFromContext(undefined, onPr)).number).toBe(5)
    const onIssue = eventEnv('issue_comment', { issue: { number: 5 } })
    await expect(pullRequestFromContext(undefined, onIssue)).rejects.toThrow(
      /^The 'issue_comment' event has no pull request\. Set the 'pull-request' input to a pull request number\./
    )
  })

  it('prefers an explicit number, and checks it', async () => {
    const env = eventEnv('push', { ref: 'refs/heads/main' })
    expect(await pullRequestFromContext(9, env)).toEqual({
      owner: 'octo-org',
      repo: 'octo-repo',
      number: 9
    })
    await expect(pullRequestFromContext(0, env)).rejects.toThrow(
      "Invalid pull-request '0'. Expected a pull request number from 1 up."
    )
    await expect(pullRequestFromContext(undefined, env)).rejects.toThrow(
      "The 'push' event has no pull request. Set the 'pull-request' input"
    )
  })

  it('checks GITHUB_REPOSITORY and the event file', async () => {
    await expect(pullRequestFromContext(1, { GITHUB_REPOSITORY: 'just-a-name' })).rejects.toThrow(
      "Invalid GITHUB_REPOSITORY 'just-a-name'. Expected format {owner}/{repo}."
    )
    await expect(pullRequestFromContext(undefined, { GITHUB_REPOSITORY: 'o/r' })).rejects.toThrow(
      'GITHUB_EVENT_PATH is not set'
    )
    await expect(
      pullRequestFromContext(undefined, {
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_EVENT_PATH: join(dir, 'missing.json')
      })
    ).rejects.toThrow(/^Could not read the event payload at GITHUB_EVENT_PATH '.*missing\.json'/)
  })
})

describe('loading', () => {
  it('imports @actions/github only inside createGitHubApi', () => {
    const source = readFileSync(new URL('../../src/github/review-threads.ts', import.meta.url), 'utf8')
    const staticImports = source.match(/^import (?!type\b).*from '@actions\/github'/gm)
    expect(staticImports).toBeNull()
    expect(source).toContain("await import('@actions/github')")
  })
})
