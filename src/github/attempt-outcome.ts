import { describeErrors, GitHubError, TOKEN_HINT, type GraphQLErrorItem } from './github-error.js'

/** Response headers as octokit gives them. */
export type ResponseHeaders = Record<string, string | number | undefined>

/** What one attempt of a request came to. */
export type AttemptOutcome =
  | { kind: 'data'; data: unknown }
  | { kind: 'rate-limit'; headers: ResponseHeaders; message: string }
  | { kind: 'transient'; error: Error }

const RATE_LIMIT_TYPES = new Set(['RATE_LIMITED', 'RATE_LIMIT'])
const TRANSIENT_STATUSES = new Set([502, 503, 504])

/** Sorts an answer into data or a GraphQL rate limit; throws other GraphQL errors. */
export function answeredAttempt(response: {
  status: number
  headers: ResponseHeaders
  data: unknown
}): AttemptOutcome {
  const body = response.data as { data?: unknown; errors?: GraphQLErrorItem[] } | undefined
  const errors = Array.isArray(body?.errors) ? body.errors : []
  if (errors.some(e => RATE_LIMIT_TYPES.has(e.type ?? '') || e.code === 'graphql_rate_limit')) {
    return { kind: 'rate-limit', headers: response.headers, message: describeErrors(errors) }
  }
  if (errors.length > 0) throw new GitHubError(describeErrors(errors), response.status, errors)
  return { kind: 'data', data: body?.data }
}

/** Sorts a thrown octokit error into a rate limit or a transient failure; throws the others. */
export function failedAttempt(error: unknown): AttemptOutcome {
  const failure = error as {
    status?: number
    message?: string
    response?: { headers?: ResponseHeaders; data?: unknown }
  }
  const status = failure.status
  const headers = failure.response?.headers ?? {}
  const data = failure.response?.data as { message?: unknown } | undefined
  const message =
    typeof data?.message === 'string' ? data.message : String(failure.message ?? error)
  if (isRateLimit(status, headers, message)) return { kind: 'rate-limit', headers, message }
  if (status !== undefined && TRANSIENT_STATUSES.has(status)) {
    return {
      kind: 'transient',
      error: new GitHubError(`GitHub answered ${status}: ${message}`, status)
    }
  }
  if (status === 401) {
    throw new GitHubError(
      `GitHub rejected the github-token (401 ${message}). Expected a valid token, ${TOKEN_HINT}; ` +
        'a personal access token may have expired or been revoked.',
      status
    )
  }
  // Octokit reports a request that got no answer at all (network, DNS) as a 500.
  const prefix =
    status === undefined || status === 500 ? 'GitHub request failed' : `GitHub answered ${status}`
  throw new GitHubError(`${prefix}: ${message}`, status)
}

/** A 429, or a 403 that says it is a rate limit (otherwise a 403 is a missing permission). */
function isRateLimit(status: number | undefined, headers: ResponseHeaders, message: string) {
  return (
    status === 429 ||
    (status === 403 &&
      (headers['retry-after'] !== undefined ||
        String(headers['x-ratelimit-remaining']) === '0' ||
        // Older GitHub Enterprise Server words it as "abuse detection mechanism".
        /rate limit|secondary|abuse/i.test(message)))
  )
}
