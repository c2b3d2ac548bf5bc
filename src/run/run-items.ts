import * as core from '../action/actions-core.js'
import { commandTask, type PreparedItem } from '../exec/command-task.js'
import { runTasks } from '../exec/scheduler.js'
import { type ExecutionSettings } from '../inputs/settings.js'
import { formatDuration } from '../model/duration.js'
import { itemLabel } from '../model/labels.js'
import { countStatuses, type RunReport, type StatusCounts } from '../model/run-report.js'
import { STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { type TaskRecord } from '../model/task-record.js'
import { type RunPlan } from '../plan/run-plan.js'
import { streamSink } from '../log/task-log.js'
import {
  describeHalt,
  describeLimits,
  failureBase,
  failureLimit,
  haltPolicies
} from './halt-settings.js'
import { recordOf, reusedReports } from './outcome-record.js'
import { BatchRecords, schedulerUnits } from './batch-records.js'
import { runWorkers } from './run-workers.js'
import { describeBatches } from '../plan/batches.js'
import { resourcesLine } from './resource-lines.js'
import { RunResources } from './run-resources.js'
import { DebugLines, FirstFailure, SkippedLines } from './task-lines.js'
import { finishAll, notifyAll, type TaskObserver } from './task-observer.js'

/**
 * Runs every prepared item and returns the report; never throws for a task's failure.
 * `observers` see each task start and end (while others go on); the report waits for them.
 */
export async function runItems(
  settings: ExecutionSettings,
  plan: RunPlan,
  workDirectory: string,
  cancellation: AbortSignal,
  observers: readonly TaskObserver[] = []
): Promise<RunReport> {
  // Under batch-size the scheduler runs one task per batch, and each reused item as it is.
  const units = schedulerUnits(plan)
  const { prepared } = units
  const total = prepared.length
  const settledBefore = reusedReports(prepared, units.reused)
  const workers = runWorkers(units, settings.maxWorkers)
  // A percentage is of the tasks that run: reused ones cannot fail; under batch-size, of batches.
  const base = plan.batches?.length ?? failureBase(total, settledBefore.size, plan.shard?.itemCount)
  const maxFailures = failureLimit(settings.failFast, base)
  core.info(runningLine(settings, plan, settledBefore.size, workers, maxFailures))
  const holding = resourcesLine(prepared, settledBefore, unitNoun(units))
  if (holding !== undefined) core.info(holding)
  const stdout = streamSink(process.stdout)
  const batchRecords = new BatchRecords(plan)
  const resources = new RunResources(
    settings,
    units,
    workDirectory,
    workers,
    cancellation,
    stdout,
    record => batchRecords.expand(record)
  )
  const firstFailure = new FirstFailure()
  const watching = [resources.progress, firstFailure, resources.jobLog, ...observers]
  watching.push(...lineWriters(units))
  let result
  try {
    result = await runTasks(prepared, commandTask(resources.taskOptions(settings)), {
      concurrency: workers,
      policies: haltPolicies(settings, maxFailures, cancellation, batchSizes(units)),
      needs: units.needs,
      priorities: units.priorities,
      ...heldResources(prepared),
      gate: resources.gate,
      onWaiting: waiting => resources.progress.waitingOn(waiting),
      name: index => itemLabel((prepared[index] as PreparedItem).item, 60),
      settledBefore,
      ...notifyAll(watching)
    })
    await finishAll(watching)
    await resources.finishLog()
  } finally {
    await resources.close()
  }
  // Whatever the tasks' statuses: a later step with `if: always()` sees what each one wrote.
  resources.applyStepFiles()
  const unitRecords = result.outcomes.map(outcome => outcome.value ?? recordOf(outcome, prepared))
  // One record per item: a batch's becomes its members'.
  const records = plan.batches === undefined ? unitRecords : batchRecords.expandAll(unitRecords)
  const counts = countStatuses(records)
  const durationMs = Date.now() - resources.progress.startedAt
  core.info(doneLine(durationMs, counts, plan.batches === undefined ? undefined : records))
  const haltReason = describeHalt(result.halt, maxFailures, firstFailure.outcome, prepared)
  // Said in the log too, not only in the summary: why tasks were cancelled or never started.
  if (haltReason !== null) core.info(`Halted early: ${haltReason}.`)
  return {
    records,
    counts,
    durationMs,
    workers,
    shell: settings.shell,
    haltReason,
    haltKind: result.halt?.kind ?? null,
    ...(plan.batches === undefined ? {} : { batchSize: settings.batchSize })
  }
}

/**
 * Each unit's slots and locks for the scheduler, each only when some unit holds more than one
 * slot or any lock: without them the scheduler looks up neither as tasks start.
 */
function heldResources(prepared: readonly PreparedItem[]): {
  slots?: number[]
  locks?: string[][]
} {
  const slots = prepared.some(unit => (unit.slots ?? 1) > 1)
  const locks = prepared.some(unit => unit.locks !== undefined)
  return {
    ...(slots ? { slots: prepared.map(unit => unit.slots ?? 1) } : {}),
    ...(locks ? { locks: prepared.map(unit => unit.locks ?? []) } : {})
  }
}

/** Under `batch-size`, how many items each scheduler task holds (a reused item, one). */
function batchSizes(units: RunPlan): ((index: number) => number) | undefined {
  if (units.batches === undefined) return undefined
  return index => units.prepared[index]?.batch?.members.length ?? 1
}

/** What prints a line as tasks start and end: skipped tasks, and debug lines when asked for. */
function lineWriters(plan: RunPlan): TaskObserver[] {
  const { prepared } = plan
  const skipped = new SkippedLines(prepared)
  return core.isDebug() ? [skipped, new DebugLines(prepared)] : [skipped]
}

/** The line that opens a run: how many tasks (of how many), on how many workers, with which limits. */
function runningLine(
  settings: ExecutionSettings,
  plan: RunPlan,
  reused: number,
  workers: number,
  maxFailures: number | undefined
): string {
  const total = plan.prepared.length
  const noun = plan.needs ? (total === 1 ? 'task' : 'tasks') : total === 1 ? 'item' : 'items'
  if (total > 0 && reused === total) {
    // No worker, shell or limit applies to a run that starts nothing.
    return total === 1
      ? `Nothing to run: the one ${plan.needs ? 'task' : 'item'} was reused.`
      : `Nothing to run: all ${total} ${noun} were reused.`
  }
  const count = reused === 0 ? `${total} ${noun}` : `${total - reused} of ${total} ${noun}`
  const batches =
    plan.batches === undefined ? '' : ` ${describeBatches(plan.batches.length, settings.batchSize)}`
  return (
    `Running ${count}${batches} on ${workers} ` +
    `${workers === 1 ? 'worker' : 'workers'} with ${settings.shell} (${describeLimits(settings, maxFailures, plan.batches !== undefined)}).`
  )
}

/** What the scheduler's units are called: tasks, items, or under `batch-size` batches. */
function unitNoun(plan: RunPlan): { one: string; many: string } {
  if (plan.needs) return { one: 'task', many: 'tasks' }
  return plan.batches === undefined
    ? { one: 'item', many: 'items' }
    : { one: 'batch', many: 'batches' }
}

/**
 * The line that closes a run: how long it took and how the tasks ended, zero counts left out;
 * no time when every task was reused. Under `batch-size`, `batched` holds the items' records and
 * each count of items says how many batches they were in: `10 failed (1 batch)`.
 */
export function doneLine(
  durationMs: number,
  counts: StatusCounts,
  batched?: readonly TaskRecord[]
): string {
  const batches = batched === undefined ? undefined : batchesByStatus(batched)
  const ended: [number, TaskStatus][] = [
    [counts.succeeded, TaskStatus.Success],
    [counts.failed, TaskStatus.Failure],
    [counts.timedOut, TaskStatus.TimedOut],
    [counts.cancelled, TaskStatus.Cancelled],
    [counts.skipped, TaskStatus.Skipped],
    [counts.reused, TaskStatus.Reused]
  ]
  const said = ended
    .filter(([count]) => count > 0)
    .map(([count, status]) => `${count} ${STATUS_WORDS[status]}${inBatches(batches?.get(status))}`)
  // When every task was reused nothing ran: a time would only be the bookkeeping's.
  if (counts.total > 0 && counts.reused === counts.total)
    return `Done: nothing ran, ${said.join(', ')}.`
  return `Done in ${formatDuration(durationMs)}: ${said.join(', ') || 'no tasks'}.`
}

/** How many batches the records of each status were in (records without a batch count in none). */
function batchesByStatus(records: readonly TaskRecord[]): Map<TaskStatus, number> {
  const numbers = new Map<TaskStatus, Set<number>>()
  for (const { status, batch } of records) {
    if (batch === undefined) continue
    const seen = numbers.get(status) ?? new Set<number>()
    numbers.set(status, seen.add(batch))
  }
  return new Map([...numbers].map(([status, seen]) => [status, seen.size]))
}

/** ` (1 batch)`, ` (3 batches)`, or '' for none. */
function inBatches(batches: number | undefined): string {
  if (batches === undefined || batches === 0) return ''
  return ` (${batches} ${batches === 1 ? 'batch' : 'batches'})`
}
