import { formatDuration } from '../model/duration.js'
import { HaltKind } from '../model/halt.js'
import { itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { escapeMarkdown } from './markdown-escape.js'
import { describeResolves, speedUp } from './results.js'
import { count } from './summary-table.js'

/** Most problems of a merge listed in the summary. */
const MAX_MERGE_PROBLEMS = 20
/** Most tasks named per status in the headline, and retried tasks named. */
const MAX_NAMED = 5
/** Longest task name in the headline. */
const NAME_CHARS = 60

/** The summary's opening parts: outcome, counts naming what failed, timing, retries, origin, notes. */
export function summaryHead(report: RunReport, title: string): string[] {
  const { counts } = report
  // Items a merge has no record for (missing shards, refused records) count against the run.
  const missing = counts.total - report.records.length
  const raceWon = report.haltKind === HaltKind.Successes
  const failing =
    missing > 0 ||
    (report.merged?.problems.length ?? 0) > 0 ||
    report.records.some(
      record =>
        isUnsuccessful(record.status) && !(raceWon && record.status === TaskStatus.Cancelled)
    )
  const mark = STATUS_MARK[failing ? TaskStatus.Failure : TaskStatus.Success]
  const parts = [
    `## ${mark} ${headingText(title)}: ${count(counts.succeeded)} of ${count(counts.total)} succeeded\n`
  ]
  const tally = describeCounts(report, missing)
  if (tally !== '') parts.push(`${tally}\n`)
  parts.push(
    `Wall time **${formatDuration(report.durationMs)}** on **${report.workers}** workers (${report.shell}); ` +
      `speed-up over running one by one: **${speedUp(report).toFixed(1)}×**.\n`
  )
  const retries = describeRetries(report.records)
  if (retries !== undefined) parts.push(retries)
  const origin = describeOrigin(report)
  if (origin !== '') parts.push(`${origin}\n`)
  if (report.haltReason !== null) {
    parts.push(`> [!WARNING]\n> Halted early: ${escapeMarkdown(report.haltReason)}.\n`)
  }
  const resolves = describeResolves(report.records)
  if (resolves !== undefined) parts.push(`🧵 ${escapeMarkdown(resolves)}\n`)
  return parts
}

/** Text escaped for the middle of a heading line, where a `-` means nothing and reads better bare. */
function headingText(text: string): string {
  return escapeMarkdown(text).replace(/\\-/g, '-')
}

/** The counts that are not zero, each unsuccessful one naming its first few tasks. */
function describeCounts(report: RunReport, missing: number): string {
  const { counts } = report
  const named = (status: TaskStatus, total: number): string => {
    if (total === 0) return ''
    const text = `${STATUS_MARK[status]} **${count(total)}** ${STATUS_WORDS[status]}`
    if (!isUnsuccessful(status)) return text
    if (status === TaskStatus.Cancelled && report.haltKind === HaltKind.Successes) return text
    const records = report.records.filter(record => record.status === status)
    return `${text}: ${nameList(records, NAME_CHARS)}`
  }
  return [
    named(TaskStatus.Success, counts.succeeded),
    named(TaskStatus.Failure, counts.failed),
    named(TaskStatus.TimedOut, counts.timedOut),
    named(TaskStatus.Cancelled, counts.cancelled),
    named(TaskStatus.Skipped, counts.skipped),
    missing > 0 ? `**${count(missing)}** without a result` : ''
  ]
    .filter(part => part !== '')
    .join(' · ')
}

/** The first few tasks' names, then how many more there are. */
function nameList(
  records: readonly TaskRecord[],
  chars: number,
  suffix = (_: TaskRecord) => ''
): string {
  const names = records
    .slice(0, MAX_NAMED)
    .map(record => `<code>${escapeMarkdown(itemLabel(record.item, chars))}</code>${suffix(record)}`)
  const more = records.length - names.length
  return more > 0 ? `${names.join(', ')} and ${count(more)} more` : names.join(', ')
}

/** Which tasks passed only on a retry; undefined when none did. Those that still failed are above. */
function describeRetries(records: readonly TaskRecord[]): string | undefined {
  const passed = records.filter(r => r.status === TaskStatus.Success && r.attempts > 1)
  if (passed.length === 0) return undefined
  const attempts = (record: TaskRecord): string => ` (${record.attempts} attempts)`
  return `🔁 Passed on a retry: ${nameList(passed, NAME_CHARS, attempts)}.\n`
}

/** Which shard this is, or which shards were merged and what was wrong with them; '' for a plain run. */
function describeOrigin(report: RunReport): string {
  const { shard, merged } = report
  if (shard !== undefined) {
    const balance = shard.byTimings
      ? `, balanced by timings (about ${formatDuration(shard.estimatedMs)} of ${formatDuration(shard.estimatedTotalMs)})`
      : ''
    return `Shard **${shard.index}/${shard.total}** ran **${report.counts.total}** of **${shard.itemCount}** items${balance}.`
  }
  if (merged === undefined) return ''
  const from =
    merged.shards === null
      ? `${merged.files} results files`
      : `${merged.files} of ${merged.shards} shards`
  const shown = merged.problems.slice(0, MAX_MERGE_PROBLEMS)
  const more = merged.problems.length - shown.length
  const problems =
    shown.length === 0
      ? ''
      : '\n\n> [!CAUTION]\n' +
        shown.map(problem => `> - ${escapeMarkdown(problem)}\n`).join('') +
        (more > 0 ? `> - and ${more} more, each in the \`results-file\` output\n` : '')
  return `Merged from ${from}; wall time is the slowest shard's, workers are summed.${problems}`
}
