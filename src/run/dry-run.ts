import * as core from '../action/actions-core.js'
import { itemLabel } from '../model/labels.js'
import { countStatuses, type RunReport } from '../model/run-report.js'
import { DRY_RUN_REASON, type ReusedFrom } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { type RunPlan } from '../plan/run-plan.js'
import { recordOf, reusedRecord } from './outcome-record.js'

/** Prints what would run, and reports every task as skipped, or reused where it would be. */
export function dryRun(plan: RunPlan, maxWorkers: number, shell: string): RunReport {
  const total = plan.prepared.length
  core.info(`Dry run: ${total} ${plan.needs ? 'tasks' : 'items'}, nothing is run.`)
  const records = plan.prepared.map((prepared, index) => {
    const needs = prepared.needs?.length
      ? `  (needs ${prepared.needs.map(need => itemLabel(need)).join(', ')})`
      : ''
    const from = plan.reused?.get(index)
    core.info(
      `#${prepared.index + 1} ${itemLabel(prepared.item)}${needs}${wouldReuse(from)}\n  ${prepared.command.display}`
    )
    if (from !== undefined) return reusedRecord(prepared, from)
    return recordOf({ index, status: TaskStatus.Skipped, reason: DRY_RUN_REASON }, plan.prepared)
  })
  return {
    records,
    counts: countStatuses(records),
    durationMs: 0,
    workers: Math.min(maxWorkers, total),
    shell,
    dryRun: true,
    haltReason: null,
    haltKind: null
  }
}

/** The note on a dry run's line for an item a real run would reuse. */
function wouldReuse(from: ReusedFrom | undefined): string {
  if (from === undefined) return ''
  return `  (would be reused: succeeded in run ${from.runId}, attempt ${from.attempt})`
}
