/** One entry of a GraphQL response's `errors` array, as GitHub writes it. */
export interface GraphQLErrorItem {
  type?: string
  code?: string
  message?: string
  path?: (string | number)[]
}

/** What an error about the token suggests giving instead. */
export const TOKEN_HINT = 'such as ${{ github.token }} (the default)'

/** An answer from GitHub that is not data: an HTTP error or GraphQL `errors`. */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly errors: GraphQLErrorItem[] = []
  ) {
    super(message)
  }

  /** Whether GitHub refused for lack of permission. */
  get forbidden(): boolean {
    return (
      this.errors.some(e => e.type === 'FORBIDDEN') ||
      /Resource not accessible by (integration|personal access token)/.test(this.message)
    )
  }

  /** The path of the first NOT_FOUND error, or undefined when there is none. */
  get notFoundPath(): (string | number)[] | undefined {
    const error = this.errors.find(e => e.type === 'NOT_FOUND')
    return error === undefined ? undefined : (error.path ?? [])
  }
}

/** GraphQL errors as one line: `TYPE: message; message`. */
export function describeErrors(errors: GraphQLErrorItem[]): string {
  return errors.map(e => (e.type ? `${e.type}: ${e.message ?? ''}` : (e.message ?? ''))).join('; ')
}
