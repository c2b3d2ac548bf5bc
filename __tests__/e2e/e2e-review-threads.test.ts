import { afterEach, describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../helpers/fake-github.js'

interface Result {
  index: number
  item: { path: string; line: number | null; author: string; body: string; id: string }
  status: string
  resolve?: { resolved: boolean; commentUrl?: string; error?: string }
}
const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

const HOSTILE = 'it\'s $(touch pwned) `touch pwned2` "${HOME}" \\\n::error::forged\n; rm -rf /tmp/x'

let github: FakeGitHub | undefined
afterEach(async () => {
  await github?.close()
  github = undefined
})

/** Starts the fake GitHub and returns the environment the runner would give the action. */
async function pullRequestEvent(
  options: FakeGitHubOptions,
  event: unknown = { pull_request: { number: 7 } },
  eventName = 'pull_request'
): Promise<NodeJS.ProcessEnv> {
  github = await startFakeGitHub({ token: 'secret-token-123', ...options })
  const dir = mkdtempSync(join(tmpdir(), 'event-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event))
  return {
    GITHUB_API_URL: github.apiUrl,
    GITHUB_GRAPHQL_URL: github.graphqlUrl,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_EVENT_NAME: eventName
  }
}

describe('review threads as items', () => {
  it('runs one task per unresolved thread and resolves those that succeeded, with a reply', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'src/a.ts', line: 12, comments: [{ author: 'alice', body: HOSTILE }] },
        {
          id: 'T2',
          path: 'docs/b.md',
          isOutdated: true,
          comments: [{ author: 'alice', body: 'old' }]
        },
        {
          id: 'T3',
          path: 'src/z.ts',
          isResolved: true,
          comments: [{ author: 'bob', body: 'done' }]
        },
        { id: 'T4', path: 'src/c.ts', line: 3, comments: [{ author: 'bob', body: 'fix c' }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command:
          'printf %s {body} > body-{#}.txt; env > env-{#}.txt; echo "note=renamed {path}" >> "$GITHUB_OUTPUT"; [ {path} != src/c.ts ]',
        'resolve-threads': 'on-success',
        'resolve-comment': 'Fixed by task {#} on {path}:{line}: {outputs.note}'
      },
      { env }
    )
    expect(run.code).toBe(1)
    const ran = results(run.outputs)
    expect(ran.map(r => [r.item.id, r.item.path, r.item.author, r.status])).toEqual([
      ['T1', 'src/a.ts', 'alice', 'success'],
      ['T4', 'src/c.ts', 'bob', 'failure']
    ])
    // the body reached the command as exactly its characters, and ran as nothing
    expect(readFileSync(join(run.dir, 'body-1.txt'), 'utf8')).toBe(HOSTILE)
    expect(existsSync(join(run.dir, 'pwned')) || existsSync(join(run.dir, 'pwned2'))).toBe(false)
    // the token reaches no task
    expect(readFileSync(join(run.dir, 'env-1.txt'), 'utf8')).not.toContain('secret-token-123')
    expect(run.log).not.toMatch(/^(?!::add-mask::).*secret-token-123/m)
    // T1 was replied to and resolved; the failed T4 was left alone
    expect(ran[0]?.resolve).toMatchObject({ resolved: true, commentUrl: expect.any(String) })
    expect(ran[1]?.resolve).toBeUndefined()
    expect(github?.replies).toEqual([
      { threadId: 'T1', body: 'Fixed by task 1 on src/a.ts:12: renamed src/a.ts' }
    ])
    expect(github?.threads.map(t => [t.id, t.isResolved ?? false])).toEqual([
      ['T1', true],
      ['T2', false],
      ['T3', true],
      ['T4', false]
    ])
    expect(run.log).toContain('Review threads of octo-org/octo-repo#7: 2 unresolved, not outdated.')
    expect(run.log).toContain('Resolved 1 of 1 review thread whose task succeeded.')
    expect(run.summary).toContain('🧵 Resolved 1 of 1 review thread whose task succeeded')
    // the forged workflow command in the body stayed text
    expect(run.log).not.toMatch(/^::error::forged/m)
  })

  it('names each thread by its place, path:line, in the log, annotations and summary', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'src/a.ts', line: 12, comments: [{ author: 'alice', body: HOSTILE }] },
        { id: 'T2', path: 'src/b.ts', line: 3, comments: [{ author: 'bob', body: 'fix b' }] },
        {
          id: 'T3',
          path: 'src/c.ts',
          startLine: 5,
          line: 9,
          comments: [{ author: 'bob', body: 'fix c' }]
        },
        { id: 'T4', path: 'docs/d.md', line: null, comments: [{ author: 'bob', body: 'file' }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: '[ {path} != src/b.ts ]',
        'max-workers': '2'
      },
      { env }
    )
    expect(run.code).toBe(1)
    expect(run.log).toMatch(/^::group::✅ #1 src\/a\.ts:12: succeeded in \S+$/m)
    expect(run.log).toMatch(/^::group::❌ #2 src\/b\.ts:3: failed \(exit code 1\) in \S+$/m)
    expect(run.log).toMatch(/^::group::✅ #3 src\/c\.ts:5-9: succeeded in \S+$/m)
    expect(run.log).toMatch(/^::group::✅ #4 docs\/d\.md: succeeded in \S+$/m)
    // The runner reads %3A in a property as the colon.
    expect(run.log).toMatch(/^::error title=src\/b\.ts%3A3::❌ #2 src\/b\.ts:3: failed/m)
    expect(run.log).toContain('::error::1 of 4 tasks did not succeed (1 failed): src/b.ts:3.')
    // No title or line of the action's names a thread by its JSON.
    expect(run.log).not.toContain('{"path":')
    expect(run.summary).toContain('failed: <code>src/b.ts:3</code>')
    expect(run.summary).toContain('<details open><summary>❌ <code>src/b.ts:3</code> failed')
    expect(run.summary).toContain('<td><code>src/c.ts:5-9</code></td>')
    expect(run.summary).not.toContain('&quot;path&quot;')
    // Outputs keep the whole item.
    const failed = JSON.parse(run.outputs['failed-items'] as string) as Result['item'][]
    expect(failed).toMatchObject([{ id: 'T2', path: 'src/b.ts', line: 3, body: 'fix b' }])
  })

  it('follows every page, waits out a rate limit, and filters by path, author and outdatedness', async () => {
    const threads = Array.from({ length: 120 }, (_, i) => ({
      id: `T${i}`,
      path: i % 2 === 0 ? `src/f${i}.ts` : `docs/f${i}.md`,
      isOutdated: i % 10 === 0,
      comments: [{ author: i % 3 === 0 ? 'Carol' : 'dave', body: `thread ${i}` }]
    }))
    const env = await pullRequestEvent(
      { threads, pageSize: 50, rateLimit: { afterRequests: 1, retryAfterSeconds: 1 } },
      { issue: { number: 7, pull_request: {} } },
      'issue_comment'
    )
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'echo {path}',
        'include-outdated': 'true',
        'thread-paths': 'src/**/*.ts',
        'thread-authors': '@carol',
        'max-workers': '4'
      },
      { env }
    )
    expect(run.code).toBe(0)
    const expected = threads.filter((_, i) => i % 2 === 0 && i % 3 === 0).map(t => t.id)
    expect(results(run.outputs).map(r => r.item.id)).toEqual(expected)
    expect(run.log).toContain('GitHub rate limit: waiting 1 s (Retry-After).')
    const listing = github?.requests.filter(r => r.query.includes('reviewThreads')) ?? []
    expect(listing.filter(r => r.status === 200)).toHaveLength(3)
  })

  it('still writes every output when cancelled while a resolve waits out a rate limit', async () => {
    const env = await pullRequestEvent({
      threads: [{ id: 'T1', path: 'a.ts', comments: [{ author: 'a', body: 'b' }] }],
      // the listing passes; the resolve is told to come back in five minutes
      rateLimit: { afterRequests: 1, retryAfterSeconds: 300 }
    })
    let log = ''
    let signalledAt = 0
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'true',
        'resolve-threads': 'on-success'
      },
      {
        env,
        onStart: child => {
          const watch = (chunk: Buffer): void => {
            log += chunk.toString()
            if (signalledAt === 0 && log.includes('GitHub rate limit: waiting 5 min')) {
              signalledAt = Date.now()
              child.kill('SIGTERM')
            }
          }
          child.stdout?.on('data', watch)
          // a hang fails the test instead of timing it out
          const guard = setTimeout(() => child.kill('SIGKILL'), 15_000)
          child.on('exit', () => clearTimeout(guard))
        }
      }
    )
    expect(signalledAt).toBeGreaterThan(0)
    expect(Date.now() - signalledAt).toBeLessThan(3000)
    expect(run.code).toBe(1)
    expect(results(run.outputs)[0]).toMatchObject({
      status: 'success',
      resolve: { resolved: false, error: 'GitHub request stopped: the runner sent SIGTERM' }
    })
    expect(run.summary).toContain('Resolved 0 of 1 review thread ')
    expect(github?.threads[0]?.isResolved ?? false).toBe(false)
  })

  // The item's JSON holds the first comment twice and every comment: one comment as long as
  // GitHub allows takes PARALLEL_ITEM past Linux's 128 KiB per variable, which once failed the
  // step before any command ran, for every thread.
  it('runs a thread whose comment is as long as GitHub allows, its item in PARALLEL_ITEM_FILE', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'a.ts', line: 1, comments: [{ author: 'a', body: 'x'.repeat(65_536) }] },
        {
          id: 'T2',
          path: 'b.ts',
          line: 2,
          comments: Array.from({ length: 8 }, (_, n) => ({
            author: 'bot',
            body: `${n}`.repeat(20_000)
          }))
        },
        { id: 'T3', path: 'c.ts', line: 3, comments: [{ author: 'a', body: 'short' }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command:
          'cp "$PARALLEL_ITEM_FILE" item-{#}.json; echo "${PARALLEL_ITEM:+set}" > var-{#}; echo {path}'
      },
      { env }
    )
    expect(run.code).toBe(0)
    const ran = results(run.outputs)
    expect(ran.map(r => [r.item.id, r.status])).toEqual([
      ['T1', 'success'],
      ['T2', 'success'],
      ['T3', 'success']
    ])
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8')) as {
      results: Result[]
    }
    for (const [index, result] of file.results.entries()) {
      expect(readFileSync(join(run.dir, `item-${index + 1}.json`), 'utf8')).toBe(
        JSON.stringify(result.item)
      )
    }
    expect(file.results[0]?.item.body).toHaveLength(65_536)
    expect([1, 2, 3].map(n => readFileSync(join(run.dir, `var-${n}`), 'utf8'))).toEqual([
      '\n',
      '\n',
      'set\n'
    ])
  })

  it('still refuses a command that carries a body over 128 KiB, naming the thread', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'a.ts', line: 1, comments: [{ author: 'a', body: 'short' }] },
        { id: 'T2', path: 'b.ts', line: 1, comments: [{ author: 'a', body: 'é'.repeat(65_536) }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'touch ran-{#}; printf %s {body} > /dev/null'
      },
      { env }
    )
    expect(run.code).toBe(1)
    expect(run.log).toMatch(
      /::error::Invalid items-from 'review-threads': item 2 \(.*\): argument \d+ of its command would be 131,\d{3} bytes, over Linux's limit of 131,072 bytes \(128 KiB\) per string/
    )
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })

  it('renders sources per thread, and refuses a path out of the workspace before running anything', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'src/a.ts', line: 1, comments: [{ author: 'a', body: 'x' }] },
        { id: 'T2', path: '/etc/passwd', line: 1, comments: [{ author: 'a', body: 'y' }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'touch ran-{#}',
        sources: '{path}'
      },
      { env }
    )
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid sources '{path}': item 2 (/etc/passwd:1) gives '/etc/passwd', outside the workspace"
    )
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })

  it('stops before running anything when the token may not resolve threads', async () => {
    const env = await pullRequestEvent({
      canWrite: false,
      threads: [{ id: 'T1', path: 'a.ts', comments: [{ author: 'a', body: 'b' }] }]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'touch ran',
        'resolve-threads': 'on-success'
      },
      { env }
    )
    expect(run.code).toBe(1)
    expect(existsSync(join(run.dir, 'ran'))).toBe(false)
    expect(run.log).toContain(
      "::error::The github-token may not resolve 1 of the 1 review threads of octo-org/octo-repo#7. Resolving needs the 'pull-requests: write' permission"
    )
    expect(run.outputs.total).toBe('0')
  })

  it('says which event has no pull request, and refuses a bad token or bad inputs', async () => {
    const push = await pullRequestEvent({ threads: [] }, { ref: 'refs/heads/main' }, 'push')
    const noPr = await runAction({ 'items-from': 'review-threads', command: 'true' }, { env: push })
    expect(noPr.code).toBe(1)
    expect(noPr.log).toContain(
      "::error::The 'push' event has no pull request. Set the 'pull-request' input to a pull request number."
    )
    const badToken = await runAction(
      {
        'items-from': 'review-threads',
        command: 'true',
        'github-token': 'wrong',
        'pull-request': '7'
      },
      { env: push }
    )
    expect(badToken.log).toContain(
      '::error::GitHub rejected the github-token (401 Bad credentials).'
    )
    const mixed = await runAction({ 'items-from': 'review-threads', items: 'a', command: 'true' })
    expect(mixed.log).toContain(
      "::error::Invalid inputs: 'items' is set together with 'items-from: review-threads'."
    )
    const stray = await runAction({ items: 'a', command: 'true', 'resolve-threads': 'on-success' })
    expect(stray.log).toContain(
      "::error::Invalid inputs: 'resolve-threads' is set but 'items-from' is 'input'."
    )
    const comment = await runAction(
      {
        'items-from': 'review-threads',
        command: 'true',
        'resolve-threads': 'on-success',
        'resolve-comment': 'done {file}',
        'github-token': 'secret-token-123',
        'pull-request': '7'
      },
      { env: push }
    )
    expect(comment.log).toContain('::error::Invalid resolve-comment: {file} names nothing.')
    expect(github?.requests).toHaveLength(1) // the bad token's; a bad template stops before any call
  })

  it('keeps whether each thread was resolved through a sharded run and its merge', async () => {
    // Each shard lists the same two threads (from a GitHub of its own, so that neither sees the
    // other's resolve) and resolves its own; the second shard's resolve (its request 2) fails.
    const threads = [
      { id: 'T1', path: 'a.ts', comments: [{ author: 'a', body: 'one' }] },
      { id: 'T2', path: 'b.ts', comments: [{ author: 'b', body: 'two' }] }
    ]
    const env = await pullRequestEvent({ threads })
    const second = await startFakeGitHub({ threads, failOnce: { afterRequests: 1, status: 400 } })
    const merged = mkdtempSync(join(tmpdir(), 'merged-'))
    try {
      for (const index of [0, 1]) {
        const urls =
          index === 0
            ? {}
            : { GITHUB_API_URL: second.apiUrl, GITHUB_GRAPHQL_URL: second.graphqlUrl }
        const shard = await runAction(
          {
            'items-from': 'review-threads',
            'github-token': 'secret-token-123',
            command: 'true',
            'resolve-threads': 'on-success',
            shard: `${index}/2`
          },
          { env: { ...env, ...urls } }
        )
        expect(shard.code).toBe(index)
        mkdirSync(join(merged, `results-${index}`))
        copyFileSync(
          shard.outputs['results-file'] as string,
          join(merged, `results-${index}`, 'results.json')
        )
      }
      expect(github?.threads.map(t => t.isResolved ?? false)).toEqual([true, false])
      expect(second.threads.map(t => t.isResolved ?? false)).toEqual([false, false])
    } finally {
      await second.close()
    }
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir: merged })
    const ran = results(merge.outputs)
    expect(ran.map(r => [r.item.id, r.status, r.resolve?.resolved])).toEqual([
      ['T1', 'success', true],
      ['T2', 'success', false]
    ])
    // every task succeeded, but a thread is still open: the merged step fails, as one run would
    expect(merge.code).toBe(1)
    expect(merge.log).toMatch(
      /::error::Resolved 1 of 2 review threads whose task succeeded; 1 could not be resolved: /
    )
    expect(merge.summary).toContain('Resolved 1 of 2 review threads whose task succeeded')
  })
})

describe('review-thread data no command can carry', () => {
  // GitHub's JSON may spell a lone surrogate as "\ud800"; it has no UTF-8 form and would reach
  // the command as U+FFFD, so the run stops before any command, as for a NUL character.
  it('refuses a thread body with a lone surrogate, naming items-from', async () => {
    const env = await pullRequestEvent({
      threads: [
        { id: 'T1', path: 'src/a.ts', line: 1, comments: [{ author: 'alice', body: 'fine' }] },
        { id: 'T2', path: 'src/b.ts', line: 2, comments: [{ author: 'bob', body: 'x\ud800y' }] }
      ]
    })
    const run = await runAction(
      {
        'items-from': 'review-threads',
        'github-token': 'secret-token-123',
        command: 'touch ran-{#}; printf %s {body}'
      },
      { env }
    )
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid items-from 'review-threads': Placeholder {body} cannot be used for item 2 ("
    )
    expect(run.log).toContain('its value contains a lone surrogate (\\uD800')
    expect(existsSync(join(run.dir, 'ran-1'))).toBe(false)
  })
})
