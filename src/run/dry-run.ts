import * as core from '../action/actions-core.js'
import { type PreparedItem } from '../exec/command-task.js'
import { itemLabel } from '../model/labels.js'
import { countStatuses, type RunReport } from '../model/run-report.js'
import { DRY_RUN_REASON, type ReusedFrom } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { type RunPlan } from '../plan/run-plan.js'
import { recordOf, reusedRecord } from './outcome-record.js'
import { BatchRecords, schedulerUnits } from './batch-records.js'
import { runWorkers } from './run-workers.js'
import { type BatchSize } from '../inputs/settings.js'
import { batchName } from '../model/batch-title.js'
import { counted } from '../model/words.js'
import { describeBatches } from '../plan/batches.js'

/** Prints what would run, and reports every task as skipped, or reused where it would be. */
export function dryRun(
  plan: RunPlan,
  maxWorkers: number,
  shell: string,
  batchSize: BatchSize = 1
): RunReport {
  const total = plan.prepared.length
  if (plan.batches !== undefined) return dryRunBatches(plan, maxWorkers, shell, batchSize)
  core.info(`Dry run: ${counted(total, plan.needs ? 'task' : 'item')}, nothing is run.`)
  const records = plan.prepared.map((prepared, index) => {
    const needs = prepared.needs?.length
      ? `  (needs ${prepared.needs.map(need => itemLabel(need)).join(', ')})`
      : ''
    const from = plan.reused?.get(index)
    // A reused task never starts, so it would hold nothing.
    const notes = needs + (from === undefined ? holds(prepared) : wouldReuse(from))
    const title = `#${prepared.index + 1} ${itemLabel(prepared.item)}`
    core.info(`${title}${notes}\n  ${prepared.command.display}`)
    if (from !== undefined) return reusedRecord(prepared, from)
    return recordOf({ index, status: TaskStatus.Skipped, reason: DRY_RUN_REASON }, plan.prepared)
  })
  return {
    records,
    counts: countStatuses(records),
    durationMs: 0,
    workers: runWorkers(plan, maxWorkers),
    shell,
    dryRun: true,
    haltReason: null,
    haltKind: null
  }
}

/**
 * The note on a dry run's line for what a task would hold as it runs, `  (3 slots; locks: db,
 * port-5432)`; lock names may come from items, so they are shown as item text is (one line).
 */
function holds({ slots, locks }: PreparedItem): string {
  const parts = [
    ...(slots === undefined ? [] : [`${slots} slots`]),
    ...(locks === undefined ? [] : [`locks: ${locks.map(name => itemLabel(name, 40)).join(', ')}`])
  ]
  return parts.length === 0 ? '' : `  (${parts.join('; ')})`
}

/** The note on a dry run's line for an item a real run would reuse. */
function wouldReuse(from: ReusedFrom | undefined): string {
  if (from === undefined) return ''
  return `  (would be reused: succeeded in run ${from.runId}, attempt ${from.attempt})`
}

/**
 * A dry run under `batch-size`: a line per batch with its items and command, a line per reused
 * item; every item's record is skipped (with its batch's number) or reused.
 */
function dryRunBatches(
  plan: RunPlan,
  maxWorkers: number,
  shell: string,
  batchSize: BatchSize
): RunReport {
  const units = schedulerUnits(plan)
  const batches = plan.batches ?? []
  const total = plan.prepared.length
  const how = describeBatches(batches.length, batchSize)
  core.info(`Dry run: ${counted(total, 'item')} ${how}, nothing is run.`)
  const expansion = new BatchRecords(plan)
  const unitRecords = units.prepared.map((prepared, position) => {
    const from = units.reused?.get(position)
    if (from !== undefined) {
      core.info(`#${prepared.index + 1} ${itemLabel(prepared.item)}${wouldReuse(from)}`)
      return reusedRecord(prepared, from)
    }
    const { batch } = prepared
    const items = batch?.members.map(member => member.item) ?? [prepared.item]
    const title = batchName(batch?.number ?? position + 1, items)
    core.info(
      `${title}: ${counted(items.length, 'item')}${holds(prepared)}\n  ${prepared.command.display}`
    )
    const skipped = { index: position, status: TaskStatus.Skipped, reason: DRY_RUN_REASON }
    return recordOf(skipped, units.prepared)
  })
  const records = expansion.expandAll(unitRecords)
  return {
    records,
    counts: countStatuses(records),
    durationMs: 0,
    workers: runWorkers(units, maxWorkers),
    shell,
    dryRun: true,
    haltReason: null,
    haltKind: null,
    batchSize
  }
}
