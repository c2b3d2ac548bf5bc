import * as core from '../action/actions-core.js'
import { durationsBefore, emptyHistory, type History } from '../model/history.js'
import { readHistory } from '../results/history-file.js'
import { type RunPlan } from './run-plan.js'
import { prioritiesFromTimings } from './timings.js'

/**
 * The history of the `history` input (an empty one when it is not set). A file it cannot use, or
 * entries of it, are a notice: the run goes on as a first run, never fails for a stale cache.
 */
export async function loadHistory(path: string | undefined): Promise<History> {
  if (path === undefined) return emptyHistory()
  const { history, problem, leftOut } = await readHistory(path)
  if (problem !== undefined)
    core.notice(`History not used: ${problem}. This run starts from no history.`)
  if (leftOut !== undefined) core.notice(`History used in part: ${leftOut}.`)
  return history
}

/**
 * With durations known from earlier runs, starts the longest tasks first. Durations come from
 * runs other than `runId`, so every attempt of a workflow run orders its tasks alike.
 */
export function scheduleByHistory(plan: RunPlan, history: History, runId?: number): void {
  const durations = durationsBefore(history, runId)
  if (durations.size === 0) return
  const { keys } = plan
  plan.priorities = prioritiesFromTimings(keys, plan.priorities, durations)
  const known = keys.filter(key => durations.has(key)).length
  core.info(`Durations known for ${known} of ${keys.length}: the longest start first.`)
}
