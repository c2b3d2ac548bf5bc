import { readFile } from 'node:fs/promises'

/** A pull request in a repository. */
export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

/** The event payload fields that may carry a pull request's number. */
interface EventPayload {
  pull_request?: { number?: unknown }
  issue?: { number?: unknown; pull_request?: unknown }
}

const SET_INPUT = `Set the 'pull-request' input to a pull request number.`

/** The pull request in GITHUB_REPOSITORY from an explicit number, else from the event payload. */
export async function pullRequestFromContext(
  explicitNumber: number | undefined,
  env: NodeJS.ProcessEnv = process.env
): Promise<PullRequestRef> {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository)
  if (!match) {
    throw new Error(`Invalid GITHUB_REPOSITORY '${repository}'. Expected format {owner}/{repo}.`)
  }
  const owner = match[1] as string
  const repo = match[2] as string
  if (explicitNumber !== undefined) {
    if (!Number.isSafeInteger(explicitNumber) || explicitNumber < 1) {
      throw new Error(
        `Invalid pull-request '${explicitNumber}'. Expected a pull request number from 1 up.`
      )
    }
    return { owner, repo, number: explicitNumber }
  }
  return { owner, repo, number: await numberFromEvent(env) }
}

/** The pull request number of the event at GITHUB_EVENT_PATH; throws when it has none. */
async function numberFromEvent(env: NodeJS.ProcessEnv): Promise<number> {
  const eventName = env.GITHUB_EVENT_NAME || 'unknown'
  const event = await readEvent(env.GITHUB_EVENT_PATH ?? '')
  const number =
    event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined)
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
    throw new Error(
      `The '${eventName}' event has no pull request. ${SET_INPUT} Events with one are pull_request, ` +
        'pull_request_target, pull_request_review, pull_request_review_comment, and issue_comment ' +
        'on a pull request.'
    )
  }
  return number
}

/** The event payload at `path`; throws, saying what to do, when there is none to read. */
async function readEvent(path: string): Promise<EventPayload> {
  if (path === '') {
    throw new Error(
      `No pull request: GITHUB_EVENT_PATH is not set, so there is no event to read. ${SET_INPUT}`
    )
  }
  try {
    return JSON.parse(await readFile(path, 'utf8')) ?? {}
  } catch (error) {
    throw new Error(
      `Could not read the event payload at GITHUB_EVENT_PATH '${path}': ${(error as Error).message}. ${SET_INPUT}`,
      { cause: error }
    )
  }
}
