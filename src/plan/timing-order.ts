import * as core from '../action/actions-core.js'
import { itemText } from '../model/item.js'
import { type RunPlan } from './run-plan.js'
import { readTimings, type Timings } from '../results/timings-file.js'
import { prioritiesFromTimings } from './timings.js'

/** The durations of the `timings` input; none when it is not set or its file cannot be used. */
export async function loadTimings(path: string | undefined): Promise<Timings> {
  if (path === undefined) return new Map()
  const { timings, problem } = await readTimings(path)
  if (problem !== undefined) core.info(`Timings not used: ${problem}. Tasks start in input order.`)
  return timings
}

/** With known timings, starts the longest tasks first. */
export function scheduleByTimings(plan: RunPlan, timings: Timings): void {
  if (timings.size === 0) return
  const keys = plan.prepared.map(prepared => itemText(prepared.item))
  plan.priorities = prioritiesFromTimings(keys, plan.priorities, timings)
  const known = keys.filter(key => timings.has(key)).length
  core.info(`Timings known for ${known} of ${keys.length}: the longest start first.`)
}
