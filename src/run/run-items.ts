import * as core from '../action/actions-core.js'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { commandTask, type PreparedItem } from '../exec/command-task.js'
import { formatDuration } from '../model/duration.js'
import { runTasks, type Outcome } from '../exec/scheduler.js'
import { Halt, HaltKind } from '../model/halt.js'
import { type ExecutionSettings, type FailFastThreshold } from '../inputs/settings.js'
import { itemLabel } from '../model/labels.js'
import { sharedLaunchers, stopRunLeftovers } from '../exec/process-runner.js'
import { type RunPlan } from '../plan/run-plan.js'
import { startProgress } from '../log/progress.js'
import { countStatuses, type RunReport } from '../model/run-report.js'
import { StepFiles } from '../exec/step-files.js'
import { removeItemFiles } from '../exec/task-files.js'
import { stepFileTargets, taskEnvironment } from '../exec/task-environment.js'
import { streamSink, TaskLog } from '../log/task-log.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** How often a progress line is printed while tasks run. */
const PROGRESS_INTERVAL_MS = 30_000

/** Name of the job log in the run's directory: one JSON line per finished task, as it finishes. */
export const JOB_LOG_FILE = 'job-log.jsonl'

/**
 * Runs every prepared item and returns the report; never throws for a task's failure. `afterTask`
 * runs for each task as it ends (while others go on); the report waits for all of them.
 */
export async function runItems(
  settings: ExecutionSettings,
  plan: RunPlan,
  workDirectory: string,
  cancellation: AbortSignal,
  afterTask?: (record: TaskRecord) => Promise<void>
): Promise<RunReport> {
  const { prepared } = plan
  const total = prepared.length
  const workers = Math.min(settings.maxWorkers, total)
  // A percentage is of all the items, also under `shard` (GNU parallel's fail=N% of all jobs).
  const maxFailures = failureLimit(settings.failFast, plan.shard?.itemCount ?? total)
  core.info(
    `Running ${total} ${plan.needs ? 'tasks' : total === 1 ? 'item' : 'items'} on ${workers} ` +
      `${workers === 1 ? 'worker' : 'workers'} with ${settings.shell} (${describeLimits(settings, maxFailures)}).`
  )
  // Under `shard`, tasks are numbered by their place among all the items.
  const numbering = plan.shard?.itemCount ?? total
  const log = new TaskLog(
    settings.log,
    numbering,
    streamSink(process.stdout),
    settings.workflowCommands
  )
  const jobLog = openSync(join(workDirectory, JOB_LOG_FILE), 'a')
  // From here on every line of ours goes through the task log, between tasks' output.
  core.routeLog(text => log.own(text))
  const debug = core.isDebug()
  // Tasks are numbered by their place in the whole input, also under `shard`.
  const numberOf = (position: number): number => (prepared[position] as PreparedItem).index + 1
  const statuses: TaskStatus[] = []
  const startedAt = Date.now()
  let done = 0
  let unsuccessful = 0
  let running = 0
  let firstFailure: Outcome<TaskRecord> | undefined
  const afterTasks: Promise<void>[] = []
  const stopProgress = startProgress(
    PROGRESS_INTERVAL_MS,
    () => ({ done, total, failed: unsuccessful, running, elapsedMs: Date.now() - startedAt }),
    core.info
  )

  const stepFiles = new StepFiles(stepFileTargets(process.env))
  const launchers = sharedLaunchers()
  launchers.expect(total, workers)
  launchers.onUnavailable = reason => {
    const message = `Tasks are started with spawn from now on: ${reason}`
    core.debug(message)
  }
  // On cancellation, what finished tasks left is stopped at once, alongside the running tasks.
  const stopLeftoversNow = (): void => {
    setImmediate(() => void stopRunLeftovers())
  }
  cancellation.addEventListener('abort', stopLeftoversNow, { once: true })
  let result
  let logFinished = false
  try {
    result = await runTasks(
      prepared,
      commandTask({
        template: plan.template,
        cwd: settings.workingDirectory,
        env: taskEnvironment(process.env),
        timeoutMs: settings.timeoutMs,
        retries: settings.retries,
        retryDelayMs: settings.retryDelayMs,
        log,
        tempDir: workDirectory,
        stepFiles
      }),
      {
        concurrency: workers,
        maxFailures,
        stopAfterSuccesses: settings.stopOnSuccess,
        haltMode: settings.failFastMode,
        totalTimeoutMs: settings.totalTimeoutMs,
        signal: cancellation,
        needs: plan.needs,
        priorities: plan.priorities,
        onStart: (index, slot) => {
          running++
          if (debug) {
            const item = itemLabel(prepared[index]?.item ?? '')
            core.debug(`Task ${numberOf(index)} started in slot ${slot}: ${item}`)
          }
        },
        onSettled: outcome => {
          done++
          statuses[outcome.index] = outcome.status
          if (outcome.slot !== undefined) running--
          if (isUnsuccessful(outcome.status)) {
            unsuccessful++
            firstFailure ??= outcome
          }
          if (outcome.value !== undefined) {
            writeSync(jobLog, jobLogLine(outcome.value))
            if (afterTask) afterTasks.push(afterTask(outcome.value))
          }
          if (outcome.blockedBy !== undefined) {
            core.info(skippedLine(prepared, outcome.index, outcome.blockedBy, statuses, numbering))
          }
          if (debug) core.debug(`Task ${numberOf(outcome.index)} ended: ${outcome.status}`)
        }
      }
    )
    await Promise.all(afterTasks)
    await log.finish()
    logFinished = true
  } finally {
    cancellation.removeEventListener('abort', stopLeftoversNow)
    stopProgress()
    closeSync(jobLog)
    removeItemFiles(workDirectory, workers)
    // Also after an error: a group still printing or an open neutralisation would swallow the
    // failure the step reports next.
    if (!logFinished) await log.finish().catch(() => undefined)
    core.routeLog()
    // Nothing a task started may outlive the action (a double fork, `setsid -f`).
    await stopRunLeftovers()
  }
  // Whatever the tasks' statuses: a later step with `if: always()` sees what each one wrote.
  stepFiles.apply(index => {
    const item = prepared.find(candidate => candidate.index === index)?.item ?? ''
    return `Task ${index + 1} (${itemLabel(item, 60)})`
  }, core.warning)

  const records = result.outcomes.map(outcome => outcome.value ?? recordOf(outcome, prepared))
  const counts = countStatuses(records)
  const durationMs = Date.now() - startedAt
  core.info(
    `Done in ${formatDuration(durationMs)}: ${counts.succeeded} succeeded, ${counts.failed} failed, ` +
      `${counts.timedOut} timed out, ${counts.cancelled} cancelled, ${counts.skipped} skipped.`
  )
  return {
    records,
    counts,
    durationMs,
    workers,
    shell: settings.shell,
    haltReason: describeHalt(result.halt, maxFailures, firstFailure, prepared),
    haltKind: result.halt?.kind ?? null
  }
}

/** The line for a task skipped because a task it needs did not succeed. */
export function skippedLine(
  prepared: readonly PreparedItem[],
  index: number,
  blockedBy: number,
  statuses: readonly TaskStatus[],
  total: number
): string {
  const task = prepared[index] as PreparedItem
  const need = itemLabel((prepared[blockedBy] as PreparedItem).item)
  const status = statuses[blockedBy]
  const how =
    status === TaskStatus.Failure
      ? 'failed'
      : status === TaskStatus.TimedOut
        ? 'timed out'
        : `was ${status ?? 'not run'}`
  return `⏭️ [${task.index + 1}/${total}] ${itemLabel(task.item)} skipped: needs ${need}, which ${how}`
}

/** The number of unsuccessful tasks that halts the run, or undefined for never. */
export function failureLimit(
  threshold: FailFastThreshold | undefined,
  total: number
): number | undefined {
  if (threshold === undefined) return undefined
  if ('count' in threshold) return threshold.count
  // GNU parallel's fail=N%: a percentage of all the jobs, so at least one.
  return Math.max(1, Math.ceil((total * threshold.percent) / 100))
}

function describeLimits(settings: ExecutionSettings, maxFailures: number | undefined): string {
  const parts = [
    `fail-fast: ${maxFailures === undefined ? 'off' : `after ${maxFailures}, ${settings.failFastMode}`}`,
    `timeout: ${settings.timeoutMs === undefined ? 'none' : formatDuration(settings.timeoutMs)}`
  ]
  if (settings.stopOnSuccess !== undefined) parts.push(`stop-on-success: ${settings.stopOnSuccess}`)
  if (settings.totalTimeoutMs !== undefined) {
    parts.push(`total-timeout: ${formatDuration(settings.totalTimeoutMs)}`)
  }
  if (settings.retries > 0) parts.push(`retries: ${settings.retries}`)
  return parts.join(', ')
}

function describeHalt(
  halt: Halt | undefined,
  maxFailures: number | undefined,
  firstFailure: Outcome<TaskRecord> | undefined,
  prepared: readonly PreparedItem[]
): string | null {
  if (halt === undefined) return null
  if (halt.kind === HaltKind.Failures && maxFailures === 1 && firstFailure !== undefined) {
    const failed = prepared[firstFailure.index] as PreparedItem
    const item = itemLabel(failed.item, 60)
    return `fail-fast after task ${failed.index + 1} (${item}) ended ${firstFailure.status}`
  }
  return halt.message
}

/** The record of an item that never produced one: skipped, or its task threw. */
export function recordOf(
  outcome: Outcome<TaskRecord>,
  prepared: readonly PreparedItem[]
): TaskRecord {
  const item = prepared[outcome.index] as PreparedItem
  return {
    index: item.index,
    item: item.item,
    status: outcome.status,
    exitCode: null,
    signal: null,
    durationMs: 0,
    attempts: outcome.status === TaskStatus.Skipped ? 0 : 1,
    command: item.command.display,
    slot: outcome.slot ?? null,
    startedAt: null,
    endedAt: null,
    outputTail: '',
    error: outcome.error === undefined ? null : String(outcome.error),
    outputs: {},
    summary: '',
    needs: item.needs,
    skipReason: outcome.reason
  }
}

/** One line of the job log: GNU parallel's --joblog fields, as JSON. */
export function jobLogLine(record: TaskRecord): string {
  return (
    JSON.stringify({
      seq: record.index + 1,
      slot: record.slot,
      start: record.startedAt === null ? null : record.startedAt / 1000,
      runtime: record.durationMs / 1000,
      exitCode: record.exitCode,
      signal: record.signal,
      attempts: record.attempts,
      status: record.status,
      item: record.item,
      command: record.command
    }) + '\n'
  )
}
