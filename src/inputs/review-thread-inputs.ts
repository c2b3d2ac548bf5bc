import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { listInput, parseBoolean, parseEnum, parsePullRequest } from './input-values.js'
import { ItemsFrom, ResolveThreads, type ReviewThreadSettings } from './settings.js'

/** The inputs that name where the tasks come from, as given. */
export interface SourceInputs {
  items: string
  itemsFile: string
  matrix: string
  tasks: string
  command: string
}

/**
 * Reads the review-thread inputs: undefined unless `items-from` is `review-threads`, in which case
 * the items come from GitHub, so `items`, `items-file`, `matrix` and `tasks` must be empty and a command set.
 */
export function readReviewThreadInputs(given: SourceInputs): ReviewThreadSettings | undefined {
  const source = parseEnum(
    Inputs.ItemsFrom,
    core.getInput(Inputs.ItemsFrom) || ItemsFrom.Input,
    ItemsFrom
  )
  if (source !== ItemsFrom.ReviewThreads) {
    const stray = threadInputsGiven()[0]
    if (stray === undefined) return undefined
    throw new Error(
      `Invalid inputs: '${stray}' is set but '${Inputs.ItemsFrom}' is '${source}'. ` +
        `Expected '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' with the review-thread inputs.`
    )
  }
  checkThreadsAlone(given)
  const resolve = parseEnum(
    Inputs.ResolveThreads,
    core.getInput(Inputs.ResolveThreads) || ResolveThreads.None,
    ResolveThreads
  )
  const comment = core.getInput(Inputs.ResolveComment)
  if (comment !== '' && resolve === ResolveThreads.None) {
    throw new Error(
      `Invalid inputs: '${Inputs.ResolveComment}' is set but '${Inputs.ResolveThreads}' is ` +
        `'${ResolveThreads.None}'. Expected '${Inputs.ResolveThreads}: ${ResolveThreads.OnSuccess}' ` +
        'for the reply to be posted.'
    )
  }
  const token = core.getInput(Inputs.GitHubToken)
  // The runner masks secrets it passed in, but a token typed as a plain value would show.
  if (token !== '') core.setSecret(token)
  return {
    token,
    pullRequest: parsePullRequest(core.getInput(Inputs.PullRequest)),
    includeOutdated: parseBoolean(
      Inputs.IncludeOutdated,
      core.getInput(Inputs.IncludeOutdated) || 'false'
    ),
    paths: listInput(core.getInput(Inputs.ThreadPaths)),
    authors: listInput(core.getInput(Inputs.ThreadAuthors)).map(login => login.replace(/^@/, '')),
    resolve,
    comment: comment === '' ? undefined : comment
  }
}

/** The review-thread inputs set to something other than their default. */
function threadInputsGiven(): Inputs[] {
  const given = [
    Inputs.PullRequest,
    Inputs.ThreadPaths,
    Inputs.ThreadAuthors,
    Inputs.ResolveComment
  ].filter(input => core.getInput(input) !== '')
  if (!['', 'false'].includes(core.getInput(Inputs.IncludeOutdated))) {
    given.push(Inputs.IncludeOutdated)
  }
  if (!['', ResolveThreads.None].includes(core.getInput(Inputs.ResolveThreads))) {
    given.push(Inputs.ResolveThreads)
  }
  return given
}

/** Review threads are the items: no other source of items, and a command to run for each. */
function checkThreadsAlone(given: SourceInputs): void {
  const named = [
    given.items.trim() !== '' ? Inputs.Items : '',
    given.itemsFile !== '' ? Inputs.ItemsFile : '',
    given.matrix.trim() !== '' ? Inputs.Matrix : '',
    given.tasks.trim() !== '' ? Inputs.Tasks : ''
  ].filter(Boolean)
  if (named.length > 0) {
    throw new Error(
      `Invalid inputs: '${named[0]}' is set together with '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}'. ` +
        `Expected the review threads alone as items.`
    )
  }
  if (given.command.trim() === '') {
    throw new Error(
      `Invalid inputs: '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' needs a '${Inputs.Command}'. ` +
        'Expected a command template run once per thread, such as ./fix.sh {path} {line} {body}.'
    )
  }
}
