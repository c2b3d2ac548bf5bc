import * as core from './action/actions-core.js'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, Outputs } from './action/action-yml.js'
import { NoItemsBehavior } from './inputs/settings.js'
import { Halt, HaltKind } from './model/halt.js'
import { getInputs } from './inputs/read-inputs.js'
import { type ActionSettings, type ReviewThreadSettings } from './inputs/settings.js'
import { itemLabel } from './model/labels.js'
import { prepareRun } from './plan/prepare.js'
import { type RunPlan } from './plan/run-plan.js'
import { annotateFailures, failureMessage, setOutputs, writeSummary } from './report/outputs.js'
import { describeResolves } from './report/results.js'
import { countStatuses, type RunReport } from './model/run-report.js'
import { writeResultsFile } from './results/results-file.js'
import { JOB_LOG_FILE, recordOf, runItems } from './run/run-items.js'
import { TaskStatus } from './model/task-status.js'
import { prioritiesFromTimings } from './plan/timings.js'
import { readTimings, writeTimings, type Timings } from './results/timings-file.js'
import { itemText, type Item } from './model/item.js'
import { loadReviewThreads, threadResolver, type ThreadSource } from './github/thread-items.js'
import { describeMerge, mergeProblemsMessage, mergeResultsFiles } from './report/merge.js'
import { describeShard, takeShard } from './plan/shard.js'
import { type ShardInfo } from './model/shard.js'

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
  // A runner file that cannot be written (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) fails the step
  // at the end, once everything else that can be written is.
  const fileProblems: string[] = []
  try {
    const settings = await getInputs()
    // One directory per run for the results, the job log, spilled output and the tasks' own files.
    const workDirectory = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'parallel-exec-'))
    const previousTimings = await loadTimings(settings)
    let report: RunReport
    let noItems = false
    let threads: ThreadSource | undefined
    if (settings.mergeResults !== '') {
      report = await mergeResultsFiles(
        settings.mergeResults,
        settings.workingDirectory,
        Inputs.MergeResults
      )
      core.info(describeMerge(report))
    } else {
      if (settings.reviewThreads !== undefined) {
        threads = await loadReviewThreads(settings.reviewThreads, cancellation.signal)
        settings.items = threads.threads as unknown as Item[]
      }
      let plan = prepareRun(settings, workDirectory)
      noItems = plan.prepared.length === 0
      if (settings.shard !== undefined) {
        plan = takeShard(plan, settings.shard, previousTimings)
        core.info(describeShard(plan.shard as ShardInfo, plan.prepared.length))
      }
      scheduleByTimings(settings, plan, previousTimings)
      report =
        plan.prepared.length === 0
          ? emptyReport(settings.shell)
          : settings.dryRun
            ? dryRun(settings, plan)
            : await runItems(
                settings,
                plan,
                workDirectory,
                cancellation.signal,
                threads && threadResolver(threads, settings.reviewThreads as ReviewThreadSettings)
              )
      if (plan.shard !== undefined) report.shard = plan.shard
    }
    const resultsFile = await writeResultsFile(workDirectory, report).catch((error: unknown) => {
      core.warning(`Could not write the results file: ${String(error)}`)
      return ''
    })
    const timingsFile = await writeTimings(workDirectory, previousTimings, report.records).catch(
      () => ''
    )
    // The job log exists once tasks ran; a merge, a dry run or an empty shard has none.
    const ran = report.records.length > 0 && !settings.dryRun && settings.mergeResults === ''
    await reportLater(fileProblems, () => {
      setOutputs(report, resultsFile)
      core.setOutput(Outputs.JobLog, ran ? join(workDirectory, JOB_LOG_FILE) : '')
      core.setOutput(
        Outputs.Shard,
        report.shard ? `${report.shard.index}/${report.shard.total}` : ''
      )
      core.setOutput(Outputs.TimingsFile, timingsFile)
    })
    outputsSet = true
    if (noItems) {
      const source = threads
        ? `${threads.pullRequest.owner}/${threads.pullRequest.repo}#${threads.pullRequest.number} has no unresolved review threads that match`
        : settings.tasks
          ? "'tasks' gave none"
          : "'items' and 'items-file' gave none"
      return reportNoItems(settings.ifNoItems, `No items to run: ${source}.`)
    }
    if (settings.summary) await reportLater(fileProblems, () => writeSummary(report))
    annotateFailures(report)
    const resolves = describeResolves(report.records)
    if (resolves !== undefined) core.info(resolves)
    const unresolved = report.records.some(record => record.resolve?.resolved === false)
    // A merge's problems first: they say why items have no result.
    const failure = [
      mergeProblemsMessage(report),
      failureMessage(report),
      unresolved ? resolves : ''
    ]
      .filter(Boolean)
      .join(' ')
      .trim()
    if (report.haltKind === HaltKind.Cancelled) {
      core.setFailed(`Cancelled: ${report.haltReason}. ${failure}`.trim())
    } else if (failure !== '') {
      core.setFailed(failure)
    }
  } catch (error) {
    // Every path sets the outputs, so a later step's `failed-items != '[]'` sees a list.
    if (!outputsSet) await reportLater(fileProblems, () => setOutputs(emptyReport(''), ''))
    core.setFailed(error instanceof Error ? error.message : String(error))
  } finally {
    for (const problem of fileProblems) core.setFailed(problem)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Runs a write; its error becomes one line in problems instead of stopping the run's reporting. */
async function reportLater(problems: string[], write: () => unknown): Promise<void> {
  try {
    await write()
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error))
  }
}

/** Prints what would run, and reports every task as skipped. */
function dryRun(settings: ActionSettings, plan: RunPlan): RunReport {
  const total = plan.prepared.length
  core.info(`Dry run: ${total} ${plan.needs ? 'tasks' : 'items'}, nothing is run.`)
  const records = plan.prepared.map((prepared, index) => {
    const needs = prepared.needs?.length
      ? `  (needs ${prepared.needs.map(need => itemLabel(need)).join(', ')})`
      : ''
    const number = prepared.index + 1
    const of = plan.shard?.itemCount ?? total
    core.info(
      `[${number}/${of}] ${itemLabel(prepared.item)}${needs}\n  ${prepared.command.display}`
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

/** The timings input's durations; none when it is not set or its file cannot be used. */
async function loadTimings(settings: ActionSettings): Promise<Timings> {
  if (settings.timingsPath === '') return new Map()
  const { timings, problem } = await readTimings(settings.timingsPath)
  if (problem !== undefined) core.info(`Timings not used: ${problem}. Tasks start in input order.`)
  return timings
}

/** With known timings, starts the longest tasks first. */
function scheduleByTimings(settings: ActionSettings, plan: RunPlan, timings: Timings): void {
  if (timings.size === 0) return
  const keys = plan.prepared.map(prepared => itemText(prepared.item))
  plan.priorities = prioritiesFromTimings(keys, plan.priorities, timings)
  const known = keys.filter(key => timings.has(key)).length
  core.info(`Timings known for ${known} of ${keys.length}: the longest start first.`)
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

function reportNoItems(behavior: NoItemsBehavior, message: string): void {
  if (behavior === NoItemsBehavior.Error) core.setFailed(message)
  else if (behavior === NoItemsBehavior.Warn) core.warning(message)
  else core.info(message)
}
