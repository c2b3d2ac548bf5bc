import { resolve } from 'node:path'
import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { parseEnum } from './input-values.js'
import { type ActionSettings, type RunMode, SkipPassed } from './settings.js'

/** What the history inputs give: the earlier run's file and what may be reused from it. */
export type HistorySettings = Pick<ActionSettings, 'historyPath' | 'skipPassed'>

/**
 * Reads `history` (or the older `timings`, which names the same kind of file) and `skip-passed`;
 * the path is resolved against the working directory. Both files at once, or a `skip-passed`
 * with nothing to read successes from, is an error before anything runs.
 */
export function readHistoryInputs(workingDirectory: string): HistorySettings {
  const history = core.getInput(Inputs.History)
  const timings = core.getInput(Inputs.Timings)
  const skipPassed = parseEnum(
    Inputs.SkipPassed,
    core.getInput(Inputs.SkipPassed) || SkipPassed.Never,
    SkipPassed
  )
  if (history !== '' && timings !== '') {
    throw new Error(
      `Invalid inputs: '${Inputs.History}' is set together with '${Inputs.Timings}'. Expected one ` +
        `of them: '${Inputs.History}' reads a timings file too.`
    )
  }
  const path = history || timings
  if (path === '' && skipPassed !== SkipPassed.Never) {
    throw new Error(
      `Invalid inputs: '${Inputs.SkipPassed}' is '${skipPassed}' but '${Inputs.History}' is not set. ` +
        `Expected '${Inputs.History}' with an earlier run's history-file, or '${Inputs.SkipPassed}: never'.`
    )
  }
  return {
    historyPath: path === '' ? undefined : resolve(workingDirectory, path),
    skipPassed
  }
}

/** Refuses `skip-passed` where it means nothing: a race that stops on success, or a merge job. */
export function checkSkipPassedFits(
  skipPassed: SkipPassed,
  stopOnSuccess: number | undefined,
  mode: RunMode
): void {
  if (skipPassed === SkipPassed.Never) return
  if (stopOnSuccess !== undefined) {
    throw new Error(
      `Invalid inputs: '${Inputs.SkipPassed}' is set together with '${Inputs.StopOnSuccess}'. ` +
        'Expected one of them: a reused success would end the race without running anything.'
    )
  }
  if (mode.kind === 'merge') {
    throw new Error(
      `Invalid inputs: '${Inputs.SkipPassed}' is set together with '${Inputs.MergeResults}'. ` +
        `Expected '${Inputs.SkipPassed}' in the jobs that run the tasks.`
    )
  }
  const hasSources =
    mode.kind === 'tasks'
      ? mode.tasks.some(task => task.sources !== undefined)
      : mode.sources !== undefined
  if (skipPassed === SkipPassed.Unchanged && !hasSources) {
    core.info(
      `skip-passed: unchanged, but no item has ${Inputs.Sources}: only successes of an earlier ` +
        'attempt of this workflow run are reused, as with skip-passed: rerun.'
    )
  }
}
