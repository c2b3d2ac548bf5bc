import { formatDuration } from '../model/duration.js'
import { HaltKind } from '../model/halt.js'
import { batchCount, commandRuns } from '../model/batch-runs.js'
import { distinctLabels } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { count, counted } from '../model/words.js'
import { escapeHtml } from './markdown-escape.js'
import { describeResolves, notableSpeedUp } from './results.js'
import { runFailed } from './summary-failures.js'
import { htmlLine } from './summary-text.js'

/** Most problems of a merge listed in the summary. */
const MAX_MERGE_PROBLEMS = 20
/** Most tasks named per status in the headline. */
const MAX_NAMED = 5
/** Longest task name in the headline. */
const NAME_CHARS = 60
/** Longest title, halt reason, merge problem or resolve note shown. */
const LINE_CHARS = 500

/**
 * The summary's opening parts: outcome (reused tasks count as succeeded), counts naming what
 * failed, timing, origin, notes.
 * Every part that carries a title, a task's name or a reason is an HTML block on one line (a
 * heading, a paragraph, a list), escaped as HTML: Markdown does not reach inside, so no text can
 * become a link (GFM links bare addresses whatever backslashes precede them), an image or emphasis.
 */
export function summaryHead(report: RunReport, title: string): string[] {
  if (report.dryRun === true) return dryRunHead(report, title)
  const { counts } = report
  const mark = STATUS_MARK[runFailed(report) ? TaskStatus.Failure : TaskStatus.Success]
  // A reused task succeeded before and that result stands: it counts with the successes.
  const reused = counts.reused > 0 ? ` (${count(counts.reused)} reused)` : ''
  const batches = batchCount(report)
  const parts = [
    `<h2>${mark} ${htmlLine(title, LINE_CHARS)}: ${count(counts.succeeded + counts.reused)} of ${count(counts.total)} succeeded${reused}${inBatches(batches)}</h2>\n`
  ]
  const label = distinctLabels(report.records, NAME_CHARS)
  const tally = describeCounts(report, counts.total - report.records.length, label, batches > 0)
  if (tally !== '') parts.push(`<p>${tally}</p>\n`)
  parts.push(timing(report))
  const origin = describeOrigin(report)
  if (origin !== '') parts.push(`${origin}\n`)
  if (report.haltReason !== null) {
    const reason = htmlLine(report.haltReason, LINE_CHARS)
    parts.push(`> [!WARNING]\n> <p>Halted early: ${reason}.</p>\n`)
  }
  const resolves = describeResolves(report.records)
  if (resolves !== undefined) parts.push(`<p>🧵 ${htmlLine(resolves, LINE_CHARS)}</p>\n`)
  return parts
}

/** ` in 8 batches` when items ran in `batches` batches (reused items are in none), else ''. */
function inBatches(batches: number): string {
  return batches === 0 ? '' : ` in ${counted(batches, 'batch', 'batches')}`
}

/** How long the run took on how many workers, with its speed-up; or that nothing ran, when so. */
function timing(report: RunReport): string {
  const { records } = report
  // Wall time and workers mean nothing when every task stands on an earlier success.
  // (A merge's items without a result are not among them.)
  const allReused =
    records.length > 0 &&
    records.length === report.counts.total &&
    records.every(record => record.status === TaskStatus.Reused)
  if (allReused) return 'Nothing ran: every task succeeded before.\n'
  const speed = notableSpeedUp(report)
  return (
    `Wall time **${formatDuration(report.durationMs)}** on **${counted(report.workers, 'worker')}** (${report.shell})` +
    (speed === undefined
      ? '.\n'
      : `; speed-up over running one by one: **${speed.toFixed(1)}×**.\n`)
  )
}

/** A dry run's opening: it says so, has no times or outcomes to show, and counts what a run would reuse. */
function dryRunHead(report: RunReport, title: string): string[] {
  const total = report.counts.total
  const { reused } = report.counts
  const wouldReuse =
    reused === 0
      ? ''
      : ` ${count(reused)} of them would be reused: they succeeded before with the same command.`
  return [
    `<h2>${STATUS_MARK[TaskStatus.Skipped]} ${htmlLine(title, LINE_CHARS)}: dry run of ${counted(total, 'task')}${inBatches(batchCount(report))}</h2>\n`,
    `<p>Dry run: nothing was run. The table lists the ${counted(total, 'task')} and the log each command.${wouldReuse}</p>\n`
  ]
}

/**
 * The counts that are not zero, each unsuccessful one naming its first few tasks, and under
 * batches (`batched`) how many batches each count's items were in; HTML.
 */
function describeCounts(
  report: RunReport,
  missing: number,
  label: (record: TaskRecord) => string,
  batched: boolean
): string {
  const { counts } = report
  const named = (status: TaskStatus, total: number): string => {
    if (total === 0) return ''
    const listed =
      isUnsuccessful(status) &&
      !(status === TaskStatus.Cancelled && report.haltKind === HaltKind.Successes)
    // Only what is said needs the records of a status: a plain success names none.
    const records =
      batched || listed ? report.records.filter(record => record.status === status) : []
    const batches = batched ? batchesOf(report, records) : ''
    const text = `${STATUS_MARK[status]} <strong>${count(total)}</strong> ${STATUS_WORDS[status]}${batches}`
    return listed ? `${text}: ${nameList(records, label)}` : text
  }
  return [
    named(TaskStatus.Success, counts.succeeded),
    named(TaskStatus.Reused, counts.reused),
    named(TaskStatus.Failure, counts.failed),
    named(TaskStatus.TimedOut, counts.timedOut),
    named(TaskStatus.Cancelled, counts.cancelled),
    named(TaskStatus.Skipped, counts.skipped),
    missing > 0 ? `❓ <strong>${count(missing)}</strong> without a result` : ''
  ]
    .filter(part => part !== '')
    .join(' · ')
}

/**
 * Under `batch-size`, how many batches the records were in, ` (1 batch)`, so that ten items of one
 * failed batch do not read as ten failed commands; '' for records in no batch (reused ones).
 */
function batchesOf(report: RunReport, records: readonly TaskRecord[]): string {
  const runs = commandRuns(records, report)
  const batches = runs.filter(run => run[0].batch !== undefined).length
  if (batches === 0) return ''
  // A merge of batched and unbatched results: the items that ran alone are said apart.
  const single = runs.length - batches
  const alone = single === 0 ? '' : ` and ${counted(single, 'single task')}`
  return ` (${counted(batches, 'batch', 'batches')}${alone})`
}

/** The first `max` tasks' names, each with its note, then how many more there are; HTML. */
export function nameList(
  records: readonly TaskRecord[],
  label: (record: TaskRecord) => string,
  note = (_: TaskRecord) => '',
  max = MAX_NAMED
): string {
  const names = records
    .slice(0, max)
    .map(record => `<code>${escapeHtml(label(record))}</code>${note(record)}`)
  const more = records.length - names.length
  return more > 0 ? `${names.join(', ')} and ${count(more)} more` : names.join(', ')
}

/** Which shard this is, or which shards were merged and what was wrong with them; '' for a plain run. */
function describeOrigin(report: RunReport): string {
  const { shard, merged } = report
  if (shard !== undefined) {
    // A shard's items are its share, run or reused; a re-run attempt splits as its first did.
    const reused =
      report.counts.reused > 0 ? `, **${count(report.counts.reused)}** of them reused` : ''
    const balance = shard.byTimings
      ? `, balanced by known durations (about ${formatDuration(shard.estimatedMs)} of ${formatDuration(shard.estimatedTotalMs)})`
      : ''
    return `Shard **${shard.index}/${shard.total}** has **${count(report.counts.total)}** of the **${count(shard.itemCount)}** items${reused}${balance}.`
  }
  if (merged === undefined) return ''
  const from =
    merged.shards === null
      ? counted(merged.files, 'results file')
      : `${merged.files} of ${merged.shards} shards`
  const shown = merged.problems.slice(0, MAX_MERGE_PROBLEMS)
  const more = merged.problems.length - shown.length
  const items = [
    ...shown.map(problem => `<li>${htmlLine(problem, LINE_CHARS)}</li>`),
    ...(more > 0
      ? [`<li>and ${count(more)} more, each in the <code>results-file</code> output</li>`]
      : [])
  ]
  const problems = items.length === 0 ? '' : `\n\n> [!CAUTION]\n> <ul>${items.join('')}</ul>`
  return `Merged from ${from}; wall time is the slowest shard's, workers are summed.${problems}`
}
