import { type ReusedFrom } from '../model/task-record.js'

/** A server address the runner gives: a scheme and a host, with an optional port, no path. */
const SERVER_URL = /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/
/** `owner/repo` as GitHub allows them: letters, digits, `-` in owners; also `.` and `_` in names. */
const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/

/**
 * The repository's address on its server (`https://github.com/owner/repo`) from the runner's
 * GITHUB_SERVER_URL and GITHUB_REPOSITORY, or undefined when either is missing or not of the
 * expected form: links are then left out rather than pointing anywhere a variable says.
 */
export function repositoryUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const server = env.GITHUB_SERVER_URL ?? ''
  const repository = env.GITHUB_REPOSITORY ?? ''
  if (!SERVER_URL.test(server) || !REPOSITORY.test(repository)) return undefined
  if (repository.split('/').some(part => part === '.' || part === '..')) return undefined
  if (!readAsWritten(server)) return undefined
  return `${server}/${repository}`
}

/**
 * Whether a browser reads the server's host as it is written: `https://0` is 0.0.0.0 to it, and
 * `https://010.1` is 8.0.0.1, numbers it reads as an IPv4 address in another notation.
 */
function readAsWritten(server: string): boolean {
  const written = (server.split('/')[2] ?? '').replace(/:\d+$/, '').toLowerCase()
  try {
    return new URL(server).hostname === written
  } catch {
    return false
  }
}

/** The page of one attempt of a workflow run, or undefined without a repository address. */
export function attemptUrl(
  repository: string | undefined,
  { runId, attempt }: Pick<ReusedFrom, 'runId' | 'attempt'>
): string | undefined {
  if (repository === undefined) return undefined
  if (!Number.isSafeInteger(runId) || !Number.isSafeInteger(attempt)) return undefined
  return `${repository}/actions/runs/${runId}/attempts/${attempt}`
}

/** A run attempt as people read it: `run 123, attempt 1`. */
export function attemptName({ runId, attempt }: Pick<ReusedFrom, 'runId' | 'attempt'>): string {
  return `run ${runId}, attempt ${attempt}`
}

/** Months as the summary names them: fixed, where ICU's names vary (`Sept` in Node 20's en-GB). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A time as the summary gives it, in UTC to the minute: `7 Dec 2026 10:02 UTC`; '' when invalid. */
export function utcMinute(epochMs: number): string {
  const date = new Date(epochMs)
  if (Number.isNaN(date.getTime())) return ''
  const clock = [date.getUTCHours(), date.getUTCMinutes()]
    .map(part => String(part).padStart(2, '0'))
    .join(':')
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${clock} UTC`
}
