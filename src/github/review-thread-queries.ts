/** The GraphQL texts that read and change review threads, and the shapes of their answers. */

const COMMENT_FIELDS = `
        pageInfo { hasNextPage endCursor }
        nodes { author { login } body url createdAt }`

/** One page of a pull request's review threads, each with its first page of comments. */
export const THREADS_QUERY = `query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
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

/** One further page of a review thread's comments. */
export const COMMENTS_QUERY = `query ReviewThreadComments($id: ID!, $cursor: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: 100, after: $cursor) {${COMMENT_FIELDS}
      }
    }
  }
}`

/** Adds a reply to a review thread. */
export const REPLY_MUTATION = `mutation ReplyToReviewThread($threadId: ID!, $body: String!) {
  addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $threadId, body: $body }) {
    comment { url }
  }
}`

/** Resolves a review thread. */
export const RESOLVE_MUTATION = `mutation ResolveReviewThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) {
    thread { id isResolved }
  }
}`

interface PageInfo {
  hasNextPage: boolean
  endCursor: string | null
}

/** A comment as the queries read it. */
export interface CommentNode {
  author: { login: string } | null
  body: string
  url: string
  createdAt: string
}

/** A page of comments. */
export interface CommentConnection {
  pageInfo: PageInfo
  nodes: (CommentNode | null)[]
}

/** A review thread as THREADS_QUERY reads it. */
export interface ThreadNode {
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

/** The answer to THREADS_QUERY. */
export interface ThreadsPage {
  repository: {
    pullRequest: {
      url: string
      reviewThreads: { pageInfo: PageInfo; nodes: (ThreadNode | null)[] }
    } | null
  } | null
}

/** The answer to COMMENTS_QUERY. */
export interface CommentsPage {
  node: { comments?: CommentConnection } | null
}

/** The answer to REPLY_MUTATION. */
export interface ReplyAnswer {
  addPullRequestReviewThreadReply: { comment: { url: string } | null } | null
}

/** The answer to RESOLVE_MUTATION. */
export interface ResolveAnswer {
  resolveReviewThread: { thread: { id: string; isResolved: boolean } | null } | null
}
