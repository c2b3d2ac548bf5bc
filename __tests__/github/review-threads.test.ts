import { describe, expect, it } from '@jest/globals'
import {
  listReviewThreads,
  resolveReviewThread,
  type ThreadFilter
} from '../../src/github/review-threads.js'
import { threadItem } from '../../src/github/thread-items.js'
import { ALL, PR, thread, TOKEN, useFakeGitHub } from '../helpers/fake-github-client.js'

const { setup } = useFakeGitHub()

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

  it('becomes an item with the same fields in the same order (its JSON is what tasks get)', async () => {
    const { api } = await setup({
      threads: [
        thread('A', {
          line: 3,
          startLine: 1,
          path: 'x.ts',
          comments: [{ author: 'a', body: 'b' }]
        }),
        thread('B', { comments: [] })
      ]
    })
    for (const listed of await listReviewThreads(api, PR, ALL)) {
      expect(JSON.stringify(threadItem(listed))).toBe(JSON.stringify(listed))
    }
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
