import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { join } from 'node:path'
import { loadReviewThreads, threadItem, threadResolver } from '../github/thread-items.js'
import { type ActionSettings, type ReviewThreadsMode } from '../inputs/settings.js'
import { durationsBefore, type HistorySplit } from '../model/history.js'
import { emptyReport, type RunReport } from '../model/run-report.js'
import { prepareBatches } from '../plan/prepare-batches.js'
import { prepareRun, type TaskSource } from '../plan/prepare.js'
import { describeShard, takeShard } from '../plan/shard.js'
import { scheduleByHistory } from '../plan/history-load.js'
import { describeMerge, mergeReports, readResultsFiles } from '../report/merge.js'
import { type StepOutcome } from '../report/publish.js'
import { dryRun } from './dry-run.js'
import { JOB_LOG_FILE } from './job-log.js'
import { runItems } from './run-items.js'
import { AfterEachTask, type TaskObserver } from './task-observer.js'
import { describeLeftOut, historyAfterMerge, mergeLine } from './merge-history.js'
import {
  digestPlan,
  recordRun,
  rememberRun,
  reuseSuccesses,
  type RunMemory
} from './run-history.js'

/** Runs the step in the mode its settings say, and returns what to report. */
export async function runStep(
  settings: ActionSettings,
  workDirectory: string,
  cancellation: AbortSignal
): Promise<StepOutcome> {
  const memory = await rememberRun(settings)
  const context: RunContext = { workDirectory, memory, cancellation, observers: [] }
  const { mode } = settings
  switch (mode.kind) {
    case 'merge': {
      const directory = settings.execution.workingDirectory
      // Each file is read once: for the merge, and for the history under each file's own run.
      const { files, refused } = await readResultsFiles(
        mode.pattern,
        directory,
        Inputs.MergeResults
      )
      const report = mergeReports(files, refused)
      core.info(mergeLine(report, describeMerge(report)))
      const reports = files.map(file => file.report)
      const merged = historyAfterMerge(memory.history, report, reports)
      const leftOut = describeLeftOut(merged)
      if (leftOut !== undefined) core.info(leftOut)
      const { history, facts } = merged
      return { report, jobLog: undefined, history, historyFacts: facts, noItems: undefined }
    }
    case 'review-threads':
      return runReviewThreads(settings, mode, context)
    case 'tasks':
      return runPlanned(settings, mode, "'tasks' gave none", context)
    case 'items':
      return runPlanned(settings, mode, noItemsReason(mode.source), context)
  }
}

/** Why an items run has no items, by the input that gave them. */
function noItemsReason(source: string): string {
  if (source === Inputs.Matrix) return "'matrix' gave no combinations"
  return "'items' and 'items-file' gave none"
}

/** Where a run's tasks write, what it knows from earlier runs, and what stops it. */
interface RunContext {
  workDirectory: string
  memory: RunMemory
  cancellation: AbortSignal
  /** What reacts to each task as it ends, while others go on. */
  observers: TaskObserver[]
}

/** Lists the pull request's review threads and runs the command once per thread. */
async function runReviewThreads(
  settings: ActionSettings,
  mode: ReviewThreadsMode,
  context: RunContext
): Promise<StepOutcome> {
  const threads = await loadReviewThreads(mode.threads, context.cancellation)
  const source: TaskSource = {
    kind: 'items',
    items: threads.threads.map(threadItem),
    source: mode.source,
    command: mode.command,
    sources: mode.sources
  }
  const { owner, repo, number } = threads.pullRequest
  const noItemsReason = `${owner}/${repo}#${number} has no unresolved review threads that match`
  const resolve = threadResolver(threads, mode.threads)
  if (resolve !== undefined) context.observers.push(new AfterEachTask(resolve))
  return runPlanned(settings, source, noItemsReason, context)
}

/**
 * Prepares the tasks, takes this job's shard, hashes what each runs, reuses what succeeded before
 * (`skip-passed`), orders them by the history and runs them (or not, on a dry run).
 */
async function runPlanned(
  settings: ActionSettings,
  source: TaskSource,
  noItemsReason: string,
  context: RunContext
): Promise<StepOutcome> {
  const { execution } = settings
  const { memory } = context
  let plan = prepareRun(source, execution, context.workDirectory)
  const noItems = plan.prepared.length === 0 ? `No items to run: ${noItemsReason}.` : undefined
  // The keys of the whole input, by index: a shard's records are recorded under them.
  const keys = plan.keys
  let split: HistorySplit | undefined
  if (settings.shard !== undefined) {
    const sharded = takeShard(plan, settings.shard, memory.history, memory.identity?.id)
    core.info(describeShard(sharded.shard, sharded.prepared.length, sharded.splitReused))
    split = sharded.split
    // What forming batches needs of the whole plan is the shard's too.
    plan = { ...sharded, itemsInput: plan.itemsInput, spawnBudget: plan.spawnBudget }
  }
  await digestPlan(plan, settings)
  reuseSuccesses(plan, memory, settings.skipPassed)
  // Items are batched after their shard is taken and reused ones left out: a batch runs them all.
  if (execution.batchSize !== 1 && source.kind === 'items' && plan.prepared.length > 0) {
    const durations = durationsBefore(memory.history, memory.identity?.id)
    const split = prepareBatches(plan, execution.batchSize, execution.maxWorkers, durations)
    if (split !== undefined) core.info(split)
  }
  scheduleByHistory(plan, memory.history, memory.identity?.id)
  let report: RunReport
  if (plan.prepared.length === 0) report = emptyReport(execution.shell)
  else if (settings.dryRun) {
    report = dryRun(plan, execution.maxWorkers, execution.shell, execution.batchSize)
  } else {
    report = await runItems(
      execution,
      plan,
      context.workDirectory,
      context.cancellation,
      context.observers
    )
  }
  if (plan.shard !== undefined) report.shard = plan.shard
  if (memory.identity !== undefined) report.run = memory.identity
  const { history, facts } = recordRun(memory, report, keys, { dryRun: settings.dryRun, split })
  const ran = report.records.length > 0 && !settings.dryRun
  const jobLog = ran ? join(context.workDirectory, JOB_LOG_FILE) : undefined
  return { report, jobLog, history, historyFacts: facts, noItems }
}
