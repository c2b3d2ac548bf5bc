import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'
import { attempt, keepHistory, resultsOf, workspace } from '../helpers/history-runs.js'

// Review threads with the run history, end to end through dist/index.js against the fake GitHub:
// a thread whose task is reused is resolved, as its success stands.

let github: FakeGitHub | undefined
afterEach(async () => {
  await github?.close()
  github = undefined
})

/** The environment of a pull_request event on the fake GitHub. */
function pullRequestEnv(dir: string, fake: FakeGitHub): NodeJS.ProcessEnv {
  writeFileSync(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }))
  return {
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_GRAPHQL_URL: fake.graphqlUrl,
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_EVENT_NAME: 'pull_request'
  }
}

describe('review threads with skip-passed', () => {
  it('resolves a thread whose task is reused, with a reply, and runs only what failed', async () => {
    github = await startFakeGitHub({
      token: 'secret-token-123',
      threads: [
        { id: 'T1', path: 'src/a.ts', line: 12, comments: [{ author: 'alice', body: 'rename' }] },
        { id: 'T2', path: 'src/b.ts', line: 3, comments: [{ author: 'bob', body: 'fix b' }] }
      ]
    })
    const dir = workspace()
    const env = pullRequestEnv(dir, github)
    writeFileSync(join(dir, 'b-broken'), '')
    const inputs = {
      'items-from': 'review-threads',
      'github-token': 'secret-token-123',
      // Each run of a task leaves a marker; src/b.ts fails while b-broken is there.
      command:
        'mktemp ran.XXXXXX; echo "note=did {path}" >> "$GITHUB_OUTPUT"; [ {path} != src/b.ts ] || [ ! -e b-broken ]',
      history: 'history.json',
      'skip-passed': 'rerun'
    }
    const resolving = {
      'resolve-threads': 'on-success',
      'resolve-comment': 'Fixed {path} in {duration}.{outputs.note}'
    }
    const ranCount = (): number => {
      const markers = readdirSync(dir).filter(name => name.startsWith('ran.'))
      for (const marker of markers) rmSync(join(dir, marker))
      return markers.length
    }
    // Attempt 1 resolves nothing (resolve-threads: none): T1 passes, T2 fails.
    const first = await attempt(dir, { ...inputs, 'resolve-threads': 'none' }, 600, 1, { env })
    expect(first.code).toBe(1)
    expect(ranCount()).toBe(2)
    keepHistory(first, join(dir, 'history.json'))
    rmSync(join(dir, 'b-broken'))

    const second = await attempt(dir, { ...inputs, ...resolving }, 600, 2, {
      env
    })
    expect(second.code).toBe(0)
    expect(ranCount()).toBe(1)
    const results = resultsOf(second) as unknown as {
      status: string
      item: { id: string }
      resolve?: { resolved: boolean }
    }[]
    expect(
      results.map(result => [result.item.id, result.status, result.resolve?.resolved])
    ).toEqual([
      ['T1', 'reused', true],
      ['T2', 'success', true]
    ])
    expect(github.threads.map(thread => [thread.id, thread.isResolved ?? false])).toEqual([
      ['T1', true],
      ['T2', true]
    ])
    // The reused task's reply says where it passed; its outputs were not kept from attempt 1.
    const replies = [...github.replies].sort((a, b) => a.threadId.localeCompare(b.threadId))
    expect(replies[0]).toEqual({
      threadId: 'T1',
      body: 'Fixed src/a.ts in no time (it passed in run 600, attempt 1).'
    })
    expect(replies[1]?.threadId).toBe('T2')
    expect(replies[1]?.body).toMatch(/^Fixed src\/b\.ts in \S+\.did src\/b\.ts$/)
    expect(second.log).toContain('Resolved 2 of 2 review threads')
    expect(existsSync(join(dir, 'b-broken'))).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })
})
