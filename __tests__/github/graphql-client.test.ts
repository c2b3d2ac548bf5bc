import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createGitHubApi } from '../../src/github/graphql-client.js'
import { listReviewThreads, resolveReviewThread } from '../../src/github/review-threads.js'
import { startFakeGitHub } from '../helpers/fake-github.js'
import { ALL, PR, thread, useFakeGitHub } from '../helpers/fake-github-client.js'

const { setup, started } = useFakeGitHub()

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

describe('loading', () => {
  it('imports @actions/github only inside createGitHubApi', () => {
    const source = readFileSync(
      new URL('../../src/github/graphql-client.ts', import.meta.url),
      'utf8'
    )
    const staticImports = source.match(/^import (?!type\b).*from '@actions\/github'/gm)
    expect(staticImports).toBeNull()
    expect(source).toContain("await import('@actions/github')")
  })
})
