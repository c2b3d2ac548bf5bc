import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pullRequestFromContext } from '../../src/github/pull-request.js'

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
