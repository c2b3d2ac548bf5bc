import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { formatDuration } from '../model/duration.js'
import { ResolveThreads, type ReviewThreadSettings } from '../inputs/settings.js'
import { createGitHubApi, type GitHubApi } from './graphql-client.js'
import { pullRequestFromContext, type PullRequestRef } from './pull-request.js'
import { listReviewThreads, resolveReviewThread, type ReviewThread } from './review-threads.js'
import { type Item } from '../model/item.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** The threads of one pull request, and the client that listed them (and will resolve them). */
export interface ThreadSource {
  api: GitHubApi
  pullRequest: PullRequestRef
  threads: ReviewThread[]
}

/** The thread fields a reply may name, as `{path}`. */
const THREAD_FIELDS = [
  'id',
  'path',
  'line',
  'startLine',
  'diffSide',
  'isOutdated',
  'subjectType',
  'url',
  'author',
  'body'
] as const

const PLACEHOLDER = /\{(#|outputs\.[A-Za-z_][\w-]*|[A-Za-z][\w-]*)\}/g

/**
 * Checks the reply template: `{#}`, a thread field (`{path}`, `{line}`, `{author}`, …),
 * `{duration}`, or `{outputs.NAME}` (what the task wrote to its GITHUB_OUTPUT).
 */
export function checkCommentTemplate(template: string): void {
  for (const [placeholder, name] of template.matchAll(PLACEHOLDER)) {
    const known =
      name === '#' ||
      name === 'duration' ||
      name?.startsWith('outputs.') ||
      (THREAD_FIELDS as readonly string[]).includes(name as string)
    if (!known) {
      throw new Error(
        `Invalid ${Inputs.ResolveComment}: ${placeholder} names nothing. Expected {#}, ` +
          `${THREAD_FIELDS.map(field => `{${field}}`).join(', ')}, {duration} or {outputs.NAME}.`
      )
    }
  }
}

/**
 * The reply for a finished task: placeholders filled with plain text (Markdown is GitHub's to
 * render). A reused task did not run: its `{duration}` says where it passed, and its
 * `{outputs.NAME}` are empty, as a task's outputs are not kept from run to run.
 */
export function renderComment(template: string, thread: ReviewThread, record: TaskRecord): string {
  return template.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (name === '#') return String(record.index + 1)
    if (name === 'duration') return durationText(record)
    if (name.startsWith('outputs.')) return record.outputs[name.slice('outputs.'.length)] ?? ''
    if (!(THREAD_FIELDS as readonly string[]).includes(name)) return placeholder
    const value = thread[name as (typeof THREAD_FIELDS)[number]]
    return value === null ? '' : String(value)
  })
}

/** What `{duration}` says: how long the task took, or for a reused one, where it passed. */
function durationText(record: TaskRecord): string {
  const from = record.reusedFrom
  if (from === undefined) return formatDuration(record.durationMs)
  return `no time (it passed in run ${from.runId}, attempt ${from.attempt})`
}

/**
 * Lists the pull request's unresolved review threads as items. When they are to be resolved,
 * checks first that the token may do so, so a missing permission stops the run before any
 * command, rather than after every task has done its work.
 */
export async function loadReviewThreads(
  settings: ReviewThreadSettings,
  signal: AbortSignal
): Promise<ThreadSource> {
  if (settings.comment !== undefined) checkCommentTemplate(settings.comment)
  const pullRequest = await pullRequestFromContext(settings.pullRequest)
  const api = await createGitHubApi(settings.token, { log: core.info, signal })
  const threads = await listReviewThreads(api, pullRequest, {
    includeOutdated: settings.includeOutdated,
    paths: settings.paths,
    authors: settings.authors
  })
  const where = `${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`
  core.info(
    `Review threads of ${where}: ${threads.length} unresolved` +
      `${settings.includeOutdated ? '' : ', not outdated'}` +
      `${settings.paths.length + settings.authors.length > 0 ? ', matching the filters' : ''}.`
  )
  const locked = threads.filter(thread => !thread.viewerCanResolve)
  if (settings.resolve === ResolveThreads.OnSuccess && locked.length > 0) {
    throw new Error(
      `The ${Inputs.GitHubToken} may not resolve ${locked.length} of the ${threads.length} review ` +
        `threads of ${where}. Resolving needs the 'pull-requests: write' permission: add ` +
        `'pull-requests: write' under 'permissions:' in the job (the GITHUB_TOKEN of a pull ` +
        `request from a fork is read-only). If it is granted already, GitHub may refuse the ` +
        `workflow's GITHUB_TOKEN anyway: give a GitHub App token or a personal access token with ` +
        `pull-requests and contents write access as '${Inputs.GitHubToken}', or set ` +
        `'${Inputs.ResolveThreads}: ${ResolveThreads.None}'.`
    )
  }
  return { api, pullRequest, threads }
}

/** A review thread as an object item for the command template, its fields in the order they are listed. */
export function threadItem(thread: ReviewThread): Item {
  return {
    path: thread.path,
    line: thread.line,
    author: thread.author,
    body: thread.body,
    startLine: thread.startLine,
    diffSide: thread.diffSide,
    isOutdated: thread.isOutdated,
    subjectType: thread.subjectType,
    url: thread.url,
    id: thread.id,
    comments: thread.comments.map(comment => ({
      author: comment.author,
      body: comment.body,
      url: comment.url,
      createdAt: comment.createdAt
    })),
    viewerCanResolve: thread.viewerCanResolve
  }
}

/**
 * Whether a task's thread is resolved: when it succeeded here, or was reused, as its success in
 * an earlier attempt stands (only unresolved threads are items, so its resolve failed or never
 * happened then).
 */
const RESOLVES: Record<TaskStatus, boolean> = {
  [TaskStatus.Success]: true,
  [TaskStatus.Reused]: true,
  [TaskStatus.Failure]: false,
  [TaskStatus.TimedOut]: false,
  [TaskStatus.Cancelled]: false,
  [TaskStatus.Skipped]: false
}

/**
 * A function that resolves a finished task's thread when the task succeeded or was reused
 * (replying first when a comment template is given) and records the outcome on the record as
 * `resolve`. A record's index is its thread's place in `source.threads`.
 */
export function threadResolver(
  source: ThreadSource,
  settings: ReviewThreadSettings
): ((record: TaskRecord) => Promise<void>) | undefined {
  if (settings.resolve !== ResolveThreads.OnSuccess) return undefined
  const { comment } = settings
  return async record => {
    if (!RESOLVES[record.status]) return
    const thread = source.threads[record.index]
    if (thread === undefined) {
      record.resolve = { resolved: false, error: `no review thread for task ${record.index + 1}` }
      return
    }
    const reply = comment === undefined ? undefined : renderComment(comment, thread, record)
    record.resolve = await resolveReviewThread(source.api, thread.id, reply).catch(
      (error: unknown) => ({ resolved: false, error: String(error) })
    )
  }
}
