import * as core from '@actions/core'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandTask, type PreparedItem } from './command-task.js'
import { Inputs, NoItemsBehavior } from './constants.js'
import { formatDuration } from './duration.js'
import { runTasks } from './executor.js'
import { getInputs, type ActionSettings } from './input-helper.js'
import { itemText, type Item } from './item.js'
import { cut, itemLabel } from './labels.js'
import { startProgress } from './progress.js'
import { spawnProblem } from './spawn-limits.js'
import { annotateFailures, failureMessage, setOutputs, writeSummary } from './report.js'
import { countStatuses, writeResultsFile, type RunReport } from './results.js'
import { escapeCommandData, streamSink, TaskLog } from './task-log.js'
import { isUnsuccessful, type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'
import { CommandTemplate, TemplateError } from './template.js'

/** How often a progress line is printed while tasks run. */
const PROGRESS_INTERVAL_MS = 30_000

/** The action's entry point: reads the inputs, runs every item, reports. */
export async function run(): Promise<void> {
  const cancellation = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancellation.signal.aborted) return
    core.info(`Received ${signal}: stopping every running task.`)
    cancellation.abort(new Error(`the runner sent ${signal}`))
  }
  // Without handlers Node dies at once on SIGINT/SIGTERM and orphans every task.
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  let outputsSet = false
  try {
    const settings = await getInputs()
    const template = parseTemplate(settings)
    const prepared = prepareItems(settings.items, template)
    // One directory per run for the results file, spilled output and the tasks' own files.
    const workDirectory = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'parallel-exec-'))
    const report =
      prepared.length === 0
        ? emptyReport(settings.shell)
        : await runItems(settings, template, prepared, workDirectory, cancellation.signal)
    const resultsFile = await writeResultsFile(workDirectory, report).catch((error: unknown) => {
      core.warning(`Could not write the results file: ${String(error)}`)
      return ''
    })
    setOutputs(report, resultsFile)
    outputsSet = true
    if (prepared.length === 0) return reportNoItems(settings.ifNoItems)
    if (settings.summary) await writeSummary(report)
    annotateFailures(report)
    const failure = failureMessage(report)
    if (report.haltReason !== null && cancellation.signal.aborted) {
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

/**
 * Renders every item's command before anything runs, so a bad placeholder or an item that no
 * command could carry stops the run early, naming the item.
 */
export function prepareItems(items: readonly Item[], template: CommandTemplate): PreparedItem[] {
  return items.map((item, index) => {
    const command = template.render(item, index + 1, 1)
    const problem = spawnProblem(command.args, { PARALLEL_ITEM: itemText(item) })
    if (problem !== undefined) {
      throw new Error(`Invalid item ${index + 1} (${itemLabel(item, 40)}): ${problem}.`)
    }
    return { item, command }
  })
}

async function runItems(
  settings: ActionSettings,
  template: CommandTemplate,
  prepared: PreparedItem[],
  workDirectory: string,
  cancellation: AbortSignal
): Promise<RunReport> {
  const total = prepared.length
  const workers = Math.min(settings.maxWorkers, total)
  core.info(
    `Running ${total} ${total === 1 ? 'item' : 'items'} on ${workers} ${workers === 1 ? 'worker' : 'workers'} ` +
      `with ${settings.shell} (fail-fast: ${settings.failFast ? 'on' : 'off'}, ` +
      `timeout: ${settings.timeoutMs === undefined ? 'none' : formatDuration(settings.timeoutMs)}).`
  )
  const log = new TaskLog(
    settings.log,
    total,
    streamSink(process.stdout),
    settings.workflowCommands
  )
  const debug = core.isDebug()
  const startedAt = Date.now()
  let done = 0
  let unsuccessful = 0
  let running = 0
  let haltReason: string | null = null
  const stopProgress = startProgress(
    PROGRESS_INTERVAL_MS,
    () => ({ done, total, failed: unsuccessful, running, elapsedMs: Date.now() - startedAt }),
    core.info
  )

  const outcomes = await runTasks(
    prepared,
    commandTask({
      template,
      cwd: settings.workingDirectory,
      env: taskEnvironment(process.env),
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      retryDelayMs: settings.retryDelayMs,
      log,
      tempDir: workDirectory
    }),
    {
      concurrency: workers,
      failFast: settings.failFast,
      signal: cancellation,
      onStart: (index, slot) => {
        running++
        if (debug) {
          const item = itemLabel(prepared[index]?.item ?? '')
          log.note(
            `::debug::${escapeCommandData(`Task ${index + 1} started in slot ${slot}: ${item}`)}`
          )
        }
      },
      onSettled: outcome => {
        done++
        if (outcome.status !== TaskStatus.Skipped) running--
        if (isUnsuccessful(outcome.status)) {
          unsuccessful++
          if (settings.failFast && haltReason === null && !cancellation.aborted) {
            haltReason = `fail-fast after task ${outcome.index + 1} (${itemLabel(prepared[outcome.index]?.item ?? '', 60)}) ended ${outcome.status}`
          }
        }
        if (debug) log.note(`::debug::Task ${outcome.index + 1} ended: ${outcome.status}`)
      }
    }
  )
  stopProgress()
  await log.finish()
  if (cancellation.aborted && haltReason === null)
    haltReason = String((cancellation.reason as Error).message)

  const records = outcomes.map((outcome): TaskRecord => {
    if (outcome.value !== undefined) return outcome.value
    const item = prepared[outcome.index] as PreparedItem
    return {
      index: outcome.index,
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
      summary: ''
    }
  })
  const counts = countStatuses(records)
  const durationMs = Date.now() - startedAt
  core.info(
    `Done in ${formatDuration(durationMs)}: ${counts.succeeded} succeeded, ${counts.failed} failed, ` +
      `${counts.timedOut} timed out, ${counts.cancelled} cancelled, ${counts.skipped} skipped.`
  )
  return { records, counts, durationMs, workers, shell: settings.shell, haltReason }
}

function emptyReport(shell: string): RunReport {
  return {
    records: [],
    counts: countStatuses([]),
    durationMs: 0,
    workers: 0,
    shell,
    haltReason: null
  }
}

/** Parses the command template, naming the input when it is unusable. */
function parseTemplate(settings: ActionSettings): CommandTemplate {
  try {
    return CommandTemplate.parse(settings.command, settings.shell)
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error
    throw new Error(`Invalid ${Inputs.Command} '${cut(settings.command, 80)}': ${error.message}`, {
      cause: error
    })
  }
}

function reportNoItems(behavior: NoItemsBehavior): void {
  const message = "No items to run: 'items' and 'items-file' gave none."
  if (behavior === NoItemsBehavior.Error) core.setFailed(message)
  else if (behavior === NoItemsBehavior.Warn) core.warning(message)
  else core.info(message)
}

/** The environment tasks start from: the runner's, without the action's own inputs (a token among them). */
export function taskEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('INPUT_')) result[name] = value
  }
  return result
}
