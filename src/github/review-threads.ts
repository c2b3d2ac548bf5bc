import { type ResolveOutcome } from '../model/task-record.js'
import { pathMatcher } from '../system/glob.js'
import { GitHubError } from './github-error.js'
import { type GitHubApi } from './graphql-client.js'
import { type PullRequestRef } from './pull-request.js'
import {
  COMMENTS_QUERY,
  REPLY_MUTATION,
  RESOLVE_MUTATION,
  THREADS_QUERY,
  type CommentNode,
  type CommentsPage,
  type ReplyAnswer,
  type ResolveAnswer,
  type ThreadNode,
  type ThreadsPage
} from './review-thread-queries.js'

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

/** A listed thread, and the cursor of the comments its first page did not hold. */
interface ListedThread {
  thread: ReviewThread
  moreComments: string | undefined
}

/** Every unresolved thread of `pr` that passes `filter`, in GitHub's order, with all comments. */
export async function listReviewThreads(
  api: GitHubApi,
  pr: PullRequestRef,
  filter: ThreadFilter
): Promise<ReviewThread[]> {
  const notFound = `Pull request #${pr.number} was not found in ${pr.owner}/${pr.repo}.`
  try {
    const listed = await readThreadPages(api, pr, filter, notFound)
    // The client bounds how many of these run at once.
    await Promise.all(
      listed.map(({ thread, moreComments }) =>
        moreComments === undefined ? undefined : fetchMoreComments(api, thread, moreComments)
      )
    )
    return listed.map(({ thread }) => thread)
  } catch (error) {
    throw readError(error, pr, notFound)
  }
}

/** Follows every page of threads; keeps the open ones (outdated when asked) that match. */
async function readThreadPages(
  api: GitHubApi,
  pr: PullRequestRef,
  filter: ThreadFilter,
  notFound: string
): Promise<ListedThread[]> {
  const matches = await threadMatcher(filter)
  const listed: ListedThread[] = []
  let cursor: string | null = null
  do {
    const variables = { owner: pr.owner, repo: pr.repo, number: pr.number, cursor }
    const page: ThreadsPage = await api.graphql<ThreadsPage>(THREADS_QUERY, variables)
    const pullRequest = page?.repository?.pullRequest
    if (!pullRequest) throw new Error(notFound)
    const { pageInfo, nodes } = pullRequest.reviewThreads
    for (const node of nodes) {
      if (!node || node.isResolved || (node.isOutdated && !filter.includeOutdated)) continue
      const thread = toThread(node, pullRequest.url)
      if (!matches(thread)) continue
      const more = node.comments.pageInfo
      listed.push({ thread, moreComments: (more.hasNextPage && more.endCursor) || undefined })
    }
    cursor = pageInfo.hasNextPage ? pageInfo.endCursor : null
  } while (cursor)
  return listed
}

/** Whether a thread passes the path globs and the author logins of `filter`. */
async function threadMatcher(filter: ThreadFilter): Promise<(thread: ReviewThread) => boolean> {
  const paths = await Promise.all(filter.paths.map(pathMatcher))
  const authors = new Set(filter.authors.map(loginKey))
  return thread =>
    (paths.length === 0 || paths.some(matches => matches(thread.path))) &&
    (authors.size === 0 || authors.has(loginKey(thread.author)))
}

/** A login as filters compare it: case-insensitive, and without the `[bot]` GraphQL leaves out. */
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
    const page: CommentsPage = await api.graphql(COMMENTS_QUERY, { id: thread.id, cursor: after })
    const comments = page?.node?.comments
    if (!comments) throw new Error(`Review thread ${thread.id} disappeared while it was read.`)
    thread.comments.push(...comments.nodes.filter(c => c !== null).map(toComment))
    after = comments.pageInfo.hasNextPage ? comments.pageInfo.endCursor : null
  }
}

/** A comment as ReviewThread holds it. */
function toComment(node: CommentNode): ReviewThread['comments'][number] {
  return {
    author: node.author?.login ?? 'ghost',
    body: node.body,
    url: node.url,
    createdAt: node.createdAt
  }
}

/** A thread as the command template sees it. */
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

/** Replies with `comment` (when not empty), then resolves; never throws: the outcome says what failed. */
export async function resolveReviewThread(
  api: GitHubApi,
  threadId: string,
  comment: string | undefined
): Promise<ResolveOutcome> {
  let commentUrl: string | undefined
  if (comment !== undefined && comment.trim() !== '') {
    try {
      const reply = await api.graphql<ReplyAnswer>(REPLY_MUTATION, { threadId, body: comment })
      commentUrl = reply?.addPullRequestReviewThreadReply?.comment?.url
    } catch (error) {
      // Without its reply the resolve would go unexplained: leave the thread open.
      return { resolved: false, error: writeError(error, threadId, 'reply to') }
    }
  }
  const withUrl = commentUrl === undefined ? {} : { commentUrl }
  try {
    const result = await api.graphql<ResolveAnswer>(RESOLVE_MUTATION, { threadId })
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
