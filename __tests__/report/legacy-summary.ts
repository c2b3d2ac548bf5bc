// The summary writer before the budgeted writer replaced its loops: kept only to compare outputs.
import { formatDuration } from '../../src/model/duration.js'
import { dependencyFlowchart, ganttChart } from './legacy-mermaid.js'
import { itemText } from '../../src/model/item.js'
import { itemLabel } from '../../src/model/labels.js'
import { describeResolves, speedUp } from '../../src/report/results.js'
import { type RunReport } from '../../src/model/run-report.js'
import { isUnsuccessful, type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'

/** Limits that keep the summary well under GitHub's 1 MiB per step (over it, all of it is dropped). */
export interface SummaryLimits {
  /** Most rows in the task table. */
  maxRows: number
  /** Most failed tasks whose output tail is shown. */
  maxTails: number
  /** Most characters of one output tail. */
  maxTailChars: number
  /** Most bytes of the whole summary; rows and tails past it are left out (escaping can grow text 6×). */
  maxBytes: number
}

export const DEFAULT_SUMMARY_LIMITS: SummaryLimits = {
  maxRows: 500,
  maxTails: 20,
  maxTailChars: 4000,
  maxBytes: 512 * 1024
}

/** Share of maxBytes the task table may take, so failure tails keep room. */
const TABLE_SHARE = 0.5
/** Share of maxBytes the table and the charts together may take. */
const CHARTS_SHARE = 0.7
/** Runs with at most this many tasks show their charts open; larger ones collapse them. */
const OPEN_CHARTS_UP_TO = 20

const STATUS_LABEL: Record<TaskStatus, string> = {
  [TaskStatus.Success]: '✅ success',
  [TaskStatus.Failure]: '❌ failure',
  [TaskStatus.TimedOut]: '⏱️ timed-out',
  [TaskStatus.Cancelled]: '⛔ cancelled',
  [TaskStatus.Skipped]: '⏭️ skipped'
}

/** Order of the table when failures come first: the statuses that need attention lead. */
const STATUS_RANK: Record<TaskStatus, number> = {
  [TaskStatus.Failure]: 0,
  [TaskStatus.TimedOut]: 1,
  [TaskStatus.Cancelled]: 2,
  [TaskStatus.Skipped]: 3,
  [TaskStatus.Success]: 4
}

/** Tables longer than this list failures first, so they are not lost among successes. */
const FAILURES_FIRST_FROM = 20

/** Most problems of a merge listed in the summary. */
const MAX_MERGE_PROBLEMS = 20

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

/**
 * The job summary as Markdown with HTML blocks. Everything that came from items or task output
 * is HTML-escaped and kept on one line where a line break would end an HTML block.
 */
export function legacyBuildSummary(
  report: RunReport,
  limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS
): string {
  const { counts } = report
  const parts: string[] = []
  // Items a merge has no record for (missing shards, refused records) count against the run.
  const missing = counts.total - report.records.length
  const failedCount = counts.failed + counts.timedOut + counts.cancelled + missing
  // A merge's problems fail the step even when no item is left without a result.
  const failing = failedCount > 0 || (report.merged?.problems.length ?? 0) > 0
  parts.push(
    `## ${failing ? '❌' : '✅'} parallel-exec: ${counts.succeeded} of ${counts.total} succeeded\n`
  )
  const tally = [
    `**${counts.succeeded}** succeeded`,
    `**${counts.failed}** failed`,
    `**${counts.timedOut}** timed out`,
    `**${counts.cancelled}** cancelled`,
    `**${counts.skipped}** skipped`,
    ...(missing > 0 ? [`**${missing}** without a result`] : [])
  ].join(' · ')
  parts.push(`${tally}\n`)
  parts.push(
    `Wall time **${formatDuration(report.durationMs)}** on **${report.workers}** workers (${report.shell}); ` +
      `speed-up over running one by one: **${speedUp(report).toFixed(1)}×**.\n`
  )
  const origin = describeOrigin(report)
  if (origin !== '') parts.push(`${origin}\n`)
  if (report.haltReason !== null) {
    parts.push(`> [!WARNING]\n> Halted early: ${escapeMarkdown(report.haltReason)}.\n`)
  }
  const resolves = describeResolves(report.records)
  if (resolves !== undefined) parts.push(`🧵 ${escapeMarkdown(resolves)}\n`)
  const retried = report.records.filter(record => record.attempts > 1)
  if (retried.length > 0) {
    const named = retried
      .slice(0, 10)
      .map(record => `${escapeMarkdown(itemLabel(record.item, 60))} (${record.attempts} attempts)`)
    const more = retried.length > named.length ? `, and ${retried.length - named.length} more` : ''
    const count = `${retried.length} ${retried.length === 1 ? 'task needed' : 'tasks needed'}`
    parts.push(`🔁 ${count} retries: ${named.join(', ')}${more}.\n`)
  }

  const rows = [...report.records]
  if (rows.length > FAILURES_FIRST_FROM) {
    rows.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.index - b.index)
  }
  let bytes = parts.reduce((sum, part) => sum + Buffer.byteLength(part) + 1, 0)
  const tableRows: string[] = []
  for (const record of rows.slice(0, limits.maxRows)) {
    const row = tableRow(record)
    bytes += Buffer.byteLength(row) + 1
    if (bytes > limits.maxBytes * TABLE_SHARE) break
    tableRows.push(row)
  }
  parts.push(taskTable(tableRows))
  if (rows.length > tableRows.length) {
    parts.push(
      `\n_${rows.length - tableRows.length} more tasks not shown; every result is in the \`results-file\` output._\n`
    )
  }

  for (const chart of charts(report)) {
    bytes += Buffer.byteLength(chart) + 1
    if (bytes > limits.maxBytes * CHARTS_SHARE) break
    parts.push(chart)
  }

  const failures = report.records.filter(record => isUnsuccessful(record.status))
  const tails: string[] = []
  for (const record of failures.slice(0, limits.maxTails)) {
    const block = tailBlock(record, limits.maxTailChars)
    bytes += Buffer.byteLength(block) + 1
    // Room is kept for the closing note below.
    if (bytes > limits.maxBytes - 1024) break
    tails.push(block)
  }
  if (tails.length > 0) parts.push('\n### Output of failed tasks\n', ...tails)
  if (failures.length > tails.length) {
    parts.push(`\n_Output of ${failures.length - tails.length} more failed tasks not shown._\n`)
  }

  // What tasks wrote to their own GITHUB_STEP_SUMMARY, each under its own heading.
  const withSummary = report.records.filter(record => record.summary.trim() !== '')
  const summaries: string[] = []
  for (const record of withSummary) {
    const heading = `### ${record.index + 1}\\. ${escapeMarkdown(itemLabel(record.item, 120))}`
    const block = `\n${heading}\n\n${record.summary.trimEnd()}\n`
    bytes += Buffer.byteLength(block) + 1
    if (bytes > limits.maxBytes - 1024) break
    summaries.push(block)
  }
  if (summaries.length > 0) parts.push('\n## Task summaries\n', ...summaries)
  if (withSummary.length > summaries.length) {
    parts.push(
      `\n_${withSummary.length - summaries.length} more task summaries left out to stay within the size limit; ` +
        'each is in the `results-file` output._\n'
    )
  }
  return parts.join('\n')
}

function taskTable(rows: readonly string[]): string {
  const head =
    '<tr><th>#</th><th>Status</th><th>Item</th><th>Exit code</th><th>Duration</th><th>Attempts</th></tr>'
  return `<table>${head}\n${rows.join('\n')}\n</table>\n`
}

function tableRow(record: TaskRecord): string {
  const duration = record.status === TaskStatus.Skipped ? '' : formatDuration(record.durationMs)
  return (
    `<tr><td>${record.index + 1}</td><td>${STATUS_LABEL[record.status]}</td>` +
    `<td><code>${escapeHtml(itemLabel(record.item, 120))}</code></td>` +
    `<td>${exitCell(record)}</td><td>${duration}</td><td>${record.attempts}</td></tr>`
  )
}

function exitCell(record: TaskRecord): string {
  if (record.exitCode === null) return ''
  return record.signal === null ? String(record.exitCode) : `${record.exitCode} (${record.signal})`
}

function tailBlock(record: TaskRecord, maxChars: number): string {
  let tail = record.outputTail
  if (tail.length > maxChars) tail = '…' + tail.slice(tail.length - maxChars)
  const error = record.error === null ? '' : escapeHtml(record.error) + '\n'
  const body = error + escapeHtml(tail)
  return (
    `<details><summary>${STATUS_LABEL[record.status]}: <code>${escapeHtml(itemLabel(record.item, 120))}</code></summary>\n\n` +
    `<pre>${body.length > 0 ? body : '(no output)'}</pre>\n\n</details>\n`
  )
}

/**
 * Escapes text for a Markdown paragraph or heading: HTML-escaped, and Markdown's punctuation
 * backslash-escaped, so an item cannot become a link, an image (a tracking pixel) or emphasis.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text).replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
}

/** Escapes text for HTML (and so for Markdown inside HTML blocks). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * The run as pictures: a timeline of which task ran when on which worker, and for named tasks a
 * graph of their needs coloured by status. GitHub renders Mermaid blocks in job summaries.
 */
function charts(report: RunReport): string[] {
  const ran = report.records.filter(record => record.startedAt !== null && record.endedAt !== null)
  const blocks: string[] = []
  const open = report.records.length <= OPEN_CHARTS_UP_TO ? ' open' : ''
  if (ran.length > 0) {
    const origin = Math.min(...ran.map(record => record.startedAt as number))
    const gantt = ganttChart(
      ran.map(record => ({
        label: itemLabel(record.item, 200),
        slot: record.slot ?? 1,
        startMs: (record.startedAt as number) - origin,
        endMs: (record.endedAt as number) - origin,
        status: record.status
      }))
    )
    const note = gantt.omitted > 0 ? `, ${gantt.omitted} more not drawn` : ''
    blocks.push(
      mermaidBlock(
        `Timeline: ${ran.length} tasks on ${report.workers} workers${note}`,
        gantt.text,
        open
      )
    )
  }
  if (report.records.some(record => record.needs !== undefined)) {
    const graph = dependencyFlowchart(
      report.records.map(record => ({
        // Needs name tasks exactly, so the node names must be the exact task names.
        name: itemText(record.item),
        needs: record.needs ?? [],
        status: record.status,
        reason: record.skipReason
      }))
    )
    const note = graph.omitted > 0 ? `, ${graph.omitted} more not drawn` : ''
    blocks.push(mermaidBlock(`Task graph${note}`, graph.text, open))
  }
  return blocks
}

function mermaidBlock(title: string, chart: string, open: string): string {
  return `<details${open}><summary>${escapeHtml(title)}</summary>\n\n\`\`\`mermaid\n${chart}\n\`\`\`\n\n</details>\n`
}
