import { formatDuration } from '../model/duration.js'
import { itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { STATUS_MARK, TaskStatus } from '../model/task-status.js'
import { escapeMarkdown } from './markdown-escape.js'
import { describeResolves, speedUp } from './results.js'

/** Most problems of a merge listed in the summary. */
const MAX_MERGE_PROBLEMS = 20
/** Most retried tasks named in the summary. */
const MAX_RETRIED_NAMED = 10

/** The summary's opening parts: outcome, counts, timing, where the results came from, notes. */
export function summaryHead(report: RunReport): string[] {
  const { counts } = report
  // Items a merge has no record for (missing shards, refused records) count against the run.
  const missing = counts.total - report.records.length
  const failedCount = counts.failed + counts.timedOut + counts.cancelled + missing
  // A merge's problems fail the step even when no item is left without a result.
  const failing = failedCount > 0 || (report.merged?.problems.length ?? 0) > 0
  const mark = STATUS_MARK[failing ? TaskStatus.Failure : TaskStatus.Success]
  const tally = [
    `**${counts.succeeded}** succeeded`,
    `**${counts.failed}** failed`,
    `**${counts.timedOut}** timed out`,
    `**${counts.cancelled}** cancelled`,
    `**${counts.skipped}** skipped`,
    ...(missing > 0 ? [`**${missing}** without a result`] : [])
  ].join(' · ')
  const parts = [
    `## ${mark} parallel-exec: ${counts.succeeded} of ${counts.total} succeeded\n`,
    `${tally}\n`,
    `Wall time **${formatDuration(report.durationMs)}** on **${report.workers}** workers (${report.shell}); ` +
      `speed-up over running one by one: **${speedUp(report).toFixed(1)}×**.\n`
  ]
  const origin = describeOrigin(report)
  if (origin !== '') parts.push(`${origin}\n`)
  if (report.haltReason !== null) {
    parts.push(`> [!WARNING]\n> Halted early: ${escapeMarkdown(report.haltReason)}.\n`)
  }
  const resolves = describeResolves(report.records)
  if (resolves !== undefined) parts.push(`🧵 ${escapeMarkdown(resolves)}\n`)
  const retries = describeRetries(report)
  if (retries !== undefined) parts.push(retries)
  return parts
}

/** Which tasks needed more than one attempt; undefined when none did. */
function describeRetries(report: RunReport): string | undefined {
  const retried = report.records.filter(record => record.attempts > 1)
  if (retried.length === 0) return undefined
  const named = retried
    .slice(0, MAX_RETRIED_NAMED)
    .map(record => `${escapeMarkdown(itemLabel(record.item, 60))} (${record.attempts} attempts)`)
  const more = retried.length > named.length ? `, and ${retried.length - named.length} more` : ''
  const count = `${retried.length} ${retried.length === 1 ? 'task needed' : 'tasks needed'}`
  return `🔁 ${count} retries: ${named.join(', ')}${more}.\n`
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
