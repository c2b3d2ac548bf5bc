import * as core from '../action/actions-core.js'
import { Outputs } from '../action/action-yml.js'
import { monotonicMs } from '../model/duration.js'
import { batchCount, commandRunName, commandRuns, type CommandRun } from '../model/batch-runs.js'
import { distinctLabels } from '../model/labels.js'
import { count, counted } from '../model/words.js'
import { failedItems, jsonArrayWithin, publicResult } from './results.js'
import { type RunReport } from '../model/run-report.js'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from './summary.js'
import { isFlaky } from '../model/task-record.js'
import { repositoryUrl } from './run-links.js'
import { type HistoryFacts } from '../model/history.js'
import { failsTheRun } from './summary-failures.js'
import { taskHeadline } from '../log/task-title.js'
import { annotationError, annotationLines } from './annotation-lines.js'
import { HaltKind } from '../model/halt.js'

/** GitHub keeps 10 annotations of a type per step: 9 for tasks, 1 for the step's failure. */
const MAX_TASK_ANNOTATIONS = 9
/** Warning annotations GitHub shows per step; those sent past them are dropped. */
const WARNINGS_PER_STEP = 10
/** GitHub cuts annotation messages at 4,096 characters: a few lines stay well within. */
const MAX_ANNOTATION_CHARS = 4000

/** Share of GitHub's 1 MB of outputs per job that `results` and `failed-items` may take. */
const RESULTS_MAX_BYTES = 512 * 1024
const FAILED_ITEMS_MAX_BYTES = 256 * 1024

/** Sets every output declared in action.yml. */
export function setOutputs(report: RunReport, resultsFile: string): void {
  const { counts } = report
  core.setOutput(Outputs.Total, counts.total)
  core.setOutput(Outputs.Succeeded, counts.succeeded)
  core.setOutput(Outputs.Failed, counts.failed)
  core.setOutput(Outputs.TimedOut, counts.timedOut)
  core.setOutput(Outputs.Cancelled, counts.cancelled)
  core.setOutput(Outputs.Skipped, counts.skipped)
  core.setOutput(Outputs.Reused, counts.reused)
  core.setOutput(Outputs.Flaky, report.records.filter(isFlaky).length)
  const results = jsonArrayWithin(report.records.map(publicResult), RESULTS_MAX_BYTES)
  const failed = jsonArrayWithin(failedItems(report.records), FAILED_ITEMS_MAX_BYTES)
  core.setOutput(Outputs.Results, results.json)
  core.setOutput(Outputs.FailedItems, failed.json)
  core.setOutput(Outputs.ResultsTruncated, results.truncated || failed.truncated)
  if (results.truncated || failed.truncated) {
    const cut = [results.truncated ? 'results' : '', failed.truncated ? 'failed-items' : '']
      .filter(Boolean)
      .join(' and ')
    core.warning(
      `The ${cut} output was cut to stay within GitHub's output size limit; ` +
        `results-file has everything: ${resultsFile}`
    )
  }
  core.setOutput(Outputs.ResultsFile, resultsFile)
  core.setOutput(Outputs.DurationMs, report.durationMs)
}

/**
 * One error annotation per unsuccessful task or batch (its items share one command and output),
 * at most MAX_TASK_ANNOTATIONS, titled by its item or by the batch's number and first items: the
 * log's headline of the task, its error and a few lines of its output (annotationLines).
 */
export function annotateFailures(report: RunReport): void {
  for (const run of failedRuns(report).slice(0, MAX_TASK_ANNOTATIONS)) {
    const [record] = run
    const title = commandRunName(run, 200)
    // The line that titles the task's group in the log, so that the annotation leads to it.
    const headline = record.batch === undefined ? taskHeadline(record) : taskHeadline(record, title)
    const detail = [
      ...(record.error === null ? [] : [annotationError(record.error)]),
      ...annotationLines(record.outputTail)
    ]
    const message = detail.length === 0 ? headline : `${headline}:\n${detail.join('\n')}`
    core.error(tailCut(message, MAX_ANNOTATION_CHARS), { title })
  }
}

/**
 * The tasks that failed the run, a batch's items together. As the summary: a task cancelled by a
 * won stop-on-success race is not a failure.
 */
function failedRuns(report: RunReport): CommandRun[] {
  return commandRuns(report.records.filter(failsTheRun(report)), report)
}

/**
 * The step's failure message: counts, the first few items, and how many were not annotated; or
 * undefined when the step succeeds. Tasks cancelled because enough others succeeded
 * (stop-on-success) are the point of that option, not a failure. Items the counts hold without a
 * result (a merge's missing shards or records) fail the step whatever else the report says.
 */
export function failureMessage(report: RunReport): string | undefined {
  const failures = report.records.filter(failsTheRun(report))
  const raceWon = report.haltKind === HaltKind.Successes
  const { counts } = report
  // Every record is a result, whatever its status (reused included): the counts are its tally.
  const withoutResult = Math.max(0, counts.total - report.records.length)
  if (failures.length === 0 && withoutResult === 0) return undefined
  const parts = [
    counts.failed > 0 ? `${count(counts.failed)} failed` : '',
    counts.timedOut > 0 ? `${count(counts.timedOut)} timed out` : '',
    counts.cancelled > 0 && !raceWon ? `${count(counts.cancelled)} cancelled` : '',
    withoutResult > 0 ? `${count(withoutResult)} without a result` : ''
  ].filter(Boolean)
  const named = failures.slice(0, 5).map(distinctLabels(report.records, 60))
  const more =
    failures.length > named.length ? `, and ${count(failures.length - named.length)} more` : ''
  const runs = commandRuns(failures, report)
  // Items of the batches past the annotations sent.
  const unannotated = runs.slice(MAX_TASK_ANNOTATIONS).reduce((sum, run) => sum + run.length, 0)
  const list = named.length > 0 ? `: ${named.join(', ')}${more}` : ''
  const unsuccessful = count(failures.length + withoutResult)
  const batches = batchCount(report)
  if (batches === 0) {
    const note =
      unannotated > 0 ? ` (${count(unannotated)} not annotated; see the job summary)` : ''
    return (
      `${unsuccessful} of ${counted(counts.total, 'task')} did not succeed ` +
      `(${parts.join(', ')})${list}.${note}`
    )
  }
  // Under batch-size the counts are of items, and the batches they ran in are said apart.
  const failedBatches = runs.filter(run => run[0].batch !== undefined).length
  // A merge of batched and unbatched results: the items that ran alone are said apart.
  const single = runs.length - failedBatches
  const alone = single === 0 ? '' : ` and ${counted(single, 'single task')}`
  const note =
    unannotated > 0 ? ` (${counted(unannotated, 'item')} not annotated; see the job summary)` : ''
  return (
    `${unsuccessful} of ${counted(counts.total, 'item')} did not succeed (${parts.join(', ')}), ` +
    `in ${count(failedBatches)} of ${counted(batches, 'batch', 'batches')}${alone}${list}.${note}`
  )
}

/**
 * Warnings for the tasks that failed and then succeeded on a retry, one each, titled by its item,
 * within the warnings GitHub still shows for the step after the action's own (`room`): when they
 * do not all fit, the last one says how many more there are; with no room at all, a log line does.
 * The action's own warnings (files not written, outputs cut, tasks' step files) are sent before.
 */
export function annotateFlaky(
  report: RunReport,
  room = WARNINGS_PER_STEP - core.sentWarnings()
): void {
  // A flaky batch is one warning: its items were retried together.
  const flaky = commandRuns(report.records.filter(isFlaky), report)
  const shown = flaky.length <= room ? flaky : flaky.slice(0, Math.max(0, room - 1))
  for (const run of shown) {
    const [record] = run
    const title = commandRunName(run, 200)
    const headline = record.batch === undefined ? taskHeadline(record) : taskHeadline(record, title)
    core.warning(`${headline}: flaky, it failed and then succeeded on a retry.`, { title })
  }
  // Counted in tasks: a batch not warned of leaves out each of its items.
  const more = flaky.slice(shown.length).reduce((sum, run) => sum + run.length, 0)
  if (more === 0) return
  const others = shown.length > 0 ? 'more ' : ''
  const message =
    `${counted(more, `${others}task was`, `${others}tasks were`)} flaky ` +
    '(failed, then succeeded on a retry); the job summary names them.'
  if (room > 0) core.warning(message, { title: 'Flaky tasks' })
  else core.info(message)
}

/**
 * Writes the job summary under its title, with what the history says of the run's items, and
 * links to the run attempts reused tasks succeeded in when the runner names the repository.
 */
export async function writeSummary(
  report: RunReport,
  title?: string,
  history?: HistoryFacts
): Promise<void> {
  const startedAt = monotonicMs()
  const summary = buildSummary(report, title, DEFAULT_SUMMARY_LIMITS, {
    history,
    repository: repositoryUrl()
  })
  const ms = Math.round(monotonicMs() - startedAt)
  core.debug(`Summary built in ${ms} ms (${Math.ceil(Buffer.byteLength(summary) / 1024)} KiB).`)
  await core.summary.addRaw(summary, true).write()
}

/** The last `max` characters of text, marked with … when cut. */
function tailCut(text: string, max: number): string {
  return text.length <= max ? text : '…' + text.slice(text.length - max + 1)
}
