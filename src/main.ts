import * as core from '@actions/core'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NoItemsBehavior, Outputs } from './constants.js'
import { Halt, HaltKind } from './executor.js'
import { getInputs, type ActionSettings } from './input-helper.js'
import { itemLabel } from './labels.js'
import { prepareRun, type RunPlan } from './prepare.js'
import { annotateFailures, failureMessage, setOutputs, writeSummary } from './report.js'
import { countStatuses, writeResultsFile, type RunReport } from './results.js'
import { JOB_LOG_FILE, recordOf, runItems } from './run-items.js'
import { TaskStatus } from './task-status.js'
import { prioritiesFromTimings, readTimings, writeTimings, type Timings } from './timings.js'
import { itemText } from './item.js'

/** The action's entry point: reads the inputs, runs every item, reports. */
export async function run(): Promise<void> {
  const cancellation = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancellation.signal.aborted) return
    core.info(`Received ${signal}: stopping every running task.`)
    cancellation.abort(new Halt(HaltKind.Cancelled, `the runner sent ${signal}`))
  }
  // Without handlers Node dies at once on SIGINT/SIGTERM and orphans every task.
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let outputsSet = false
  try {
    const settings = await getInputs()
    const plan = prepareRun(settings)
    const previousTimings = await scheduleByTimings(settings, plan)
    // One directory per run for the results, the job log, spilled output and the tasks' own files.
    const workDirectory = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'parallel-exec-'))
    const report =
      plan.prepared.length === 0
        ? emptyReport(settings.shell)
        : settings.dryRun
          ? dryRun(settings, plan)
          : await runItems(settings, plan, workDirectory, cancellation.signal)
    const resultsFile = await writeResultsFile(workDirectory, report).catch((error: unknown) => {
      core.warning(`Could not write the results file: ${String(error)}`)
      return ''
    })
    setOutputs(report, resultsFile)
    core.setOutput(Outputs.JobLog, settings.dryRun ? '' : join(workDirectory, JOB_LOG_FILE))
    core.setOutput(
      Outputs.TimingsFile,
      await writeTimings(workDirectory, previousTimings, report.records).catch(() => '')
    )
    outputsSet = true
    if (plan.prepared.length === 0) return reportNoItems(settings.ifNoItems)
    if (settings.summary) await writeSummary(report)
    annotateFailures(report)
    const failure = failureMessage(report)
    if (report.haltKind === HaltKind.Cancelled) {
      core.setFailed(`Cancelled: ${report.haltReason}. ${failure ?? ''}`.trim())
    } else if (failure !== undefined) {
      core.setFailed(failure)
    }
  } catch (error) {
    // Every path sets the outputs, so a later step's `failed-items != '[]'` sees a list.
    if (!outputsSet) setOutputs(emptyReport(''), '')
    core.setFailed(error instanceof Error ? error.message : String(error))
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Prints what would run, and reports every task as skipped. */
function dryRun(settings: ActionSettings, plan: RunPlan): RunReport {
  const total = plan.prepared.length
  core.info(`Dry run: ${total} ${plan.needs ? 'tasks' : 'items'}, nothing is run.`)
  const records = plan.prepared.map((prepared, index) => {
    const needs = prepared.needs?.length ? `  (needs ${prepared.needs.join(', ')})` : ''
    core.info(
      `[${index + 1}/${total}] ${itemLabel(prepared.item)}${needs}\n  ${prepared.command.display}`
    )
    return recordOf({ index, status: TaskStatus.Skipped, reason: 'dry run' }, plan.prepared)
  })
  return {
    records,
    counts: countStatuses(records),
    durationMs: 0,
    workers: Math.min(settings.maxWorkers, total),
    shell: settings.shell,
    haltReason: null,
    haltKind: null
  }
}

/**
 * With `timings`, starts the longest known tasks first; returns the timings read, which the next
 * run's timings file builds on.
 */
async function scheduleByTimings(settings: ActionSettings, plan: RunPlan): Promise<Timings> {
  if (settings.timingsPath === '') return new Map()
  const { timings, problem } = await readTimings(settings.timingsPath)
  if (problem !== undefined) {
    core.info(`Timings not used: ${problem}. Tasks start in input order.`)
    return timings
  }
  const keys = plan.prepared.map(prepared => itemText(prepared.item))
  plan.priorities = prioritiesFromTimings(keys, plan.priorities, timings)
  const known = keys.filter(key => timings.has(key)).length
  core.info(`Timings known for ${known} of ${keys.length}: the longest start first.`)
  return timings
}

function emptyReport(shell: string): RunReport {
  return {
    records: [],
    counts: countStatuses([]),
    durationMs: 0,
    workers: 0,
    shell,
    haltReason: null,
    haltKind: null
  }
}

function reportNoItems(behavior: NoItemsBehavior): void {
  const message = "No items to run: 'items' and 'items-file' gave none."
  if (behavior === NoItemsBehavior.Error) core.setFailed(message)
  else if (behavior === NoItemsBehavior.Warn) core.warning(message)
  else core.info(message)
}
