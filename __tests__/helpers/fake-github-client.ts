import { afterAll, afterEach } from '@jest/globals'
import {
  createGitHubApi,
  type GitHubApi,
  type GitHubApiOptions
} from '../../src/github/graphql-client.js'
import { type PullRequestRef } from '../../src/github/pull-request.js'
import { type ThreadFilter } from '../../src/github/review-threads.js'
import { startFakeGitHub, type FakeGitHub, type FakeThread } from './fake-github.js'

export const TOKEN = 'ghs_fake-token'
export const PR: PullRequestRef = { owner: 'octo-org', repo: 'octo-repo', number: 7 }
export const ALL: ThreadFilter = { includeOutdated: false, paths: [], authors: [] }

/** A thread on `src/{id}.ts` line 10 with one comment by alice. */
export const thread = (id: string, extra: Partial<FakeThread> = {}): FakeThread => ({
  id,
  path: `src/${id}.ts`,
  line: 10,
  comments: [{ author: 'alice', body: `fix ${id}` }],
  ...extra
})

/** What setup() gives a test. */
export interface FakeGitHubClient {
  github: FakeGitHub
  api: GitHubApi
  logs: string[]
}

/**
 * Registers the hooks that close every fake GitHub after each test and restore the environment
 * after the file; returns `setup` and `started` (push a fake started by hand to have it closed).
 */
export function useFakeGitHub(): {
  setup: (
    options?: Partial<Parameters<typeof startFakeGitHub>[0]>,
    apiOptions?: GitHubApiOptions
  ) => Promise<FakeGitHubClient>
  started: FakeGitHub[]
} {
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
  ): Promise<FakeGitHubClient> {
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

  return { setup, started }
}
