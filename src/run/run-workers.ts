import { highestSlot } from '../inputs/resource-fields.js'
import { type RunPlan } from '../plan/run-plan.js'

/**
 * How many workers a run of `units` (what the scheduler runs: tasks, or batches and reused items)
 * has, the same for a run and a dry run: `maxWorkers`, but no more than every slot of what runs
 * held at once (a task holds its `slots`; a reused one, none), and at least one.
 */
export function runWorkers(units: RunPlan, maxWorkers: number): number {
  const reused = units.reused
  const running =
    reused === undefined || reused.size === 0
      ? units.prepared
      : units.prepared.filter((_, position) => !reused.has(position))
  return highestSlot(running.length, running, maxWorkers)
}
