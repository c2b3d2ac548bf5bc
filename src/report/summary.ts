import { formatDuration } from '../model/duration.js'
import { itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { statusLabel, TaskStatus } from '../model/task-status.js'
import { BudgetedMarkdown } from './budgeted-markdown.js'
import { escapeHtml, escapeMarkdown } from './markdown-escape.js'
import { summaryCharts } from './summary-charts.js'
import { summaryHead } from './summary-head.js'

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

const DEFAULT_SUMMARY_LIMITS: SummaryLimits = {
  maxRows: 500,
  maxTails: 20,
  maxTailChars: 4000,
  maxBytes: 512 * 1024
}

/** Share of maxBytes the task table may take, so failure tails keep room. */
const TABLE_SHARE = 0.5
/** Share of maxBytes the table and the charts together may take. */
const CHARTS_SHARE = 0.7
/** Bytes kept free at the end for the notes on what was left out. */
const CLOSING_ROOM = 1024

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

/**
 * The job summary as Markdown with HTML blocks. Everything that came from items or task output
 * is HTML-escaped and kept on one line where a line break would end an HTML block.
 */
export function buildSummary(
  report: RunReport,
  limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS
): string {
  const summary = new BudgetedMarkdown()
  summary.add(...summaryHead(report))
  summary.section({
    entries: tableOrder(report.records),
    max: limits.maxRows,
    render: tableRow,
    limit: limits.maxBytes * TABLE_SHARE,
    wrap: taskTable,
    leftOut: count =>
      `\n_${count} more tasks not shown; every result is in the \`results-file\` output._\n`
  })
  summary.section({
    entries: summaryCharts(report),
    render: chart => chart,
    limit: limits.maxBytes * CHARTS_SHARE
  })
  summary.section({
    entries: report.records.filter(record => isUnsuccessful(record.status)),
    max: limits.maxTails,
    render: record => tailBlock(record, limits.maxTailChars),
    limit: limits.maxBytes - CLOSING_ROOM,
    heading: '\n### Output of failed tasks\n',
    leftOut: count => `\n_Output of ${count} more failed tasks not shown._\n`
  })
  // What tasks wrote to their own GITHUB_STEP_SUMMARY, each under its own heading.
  summary.section({
    entries: report.records.filter(record => record.summary.trim() !== ''),
    render: taskSummaryBlock,
    limit: limits.maxBytes - CLOSING_ROOM,
    heading: '\n## Task summaries\n',
    leftOut: count =>
      `\n_${count} more task summaries left out to stay within the size limit; ` +
      'each is in the `results-file` output._\n'
  })
  return summary.text()
}

/** The records in table order: input order, or failures first in long tables. */
function tableOrder(records: readonly TaskRecord[]): TaskRecord[] {
  const rows = [...records]
  if (rows.length > FAILURES_FIRST_FROM) {
    rows.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.index - b.index)
  }
  return rows
}

/** The task table around its rows. */
function taskTable(rows: readonly string[]): string {
  const head =
    '<tr><th>#</th><th>Status</th><th>Item</th><th>Exit code</th><th>Duration</th><th>Attempts</th></tr>'
  return `<table>${head}\n${rows.join('\n')}\n</table>\n`
}

/** One task's row of the table, on one line. */
function tableRow(record: TaskRecord): string {
  const duration = record.status === TaskStatus.Skipped ? '' : formatDuration(record.durationMs)
  return (
    `<tr><td>${record.index + 1}</td><td>${statusLabel(record.status)}</td>` +
    `<td><code>${escapeHtml(itemLabel(record.item, 120))}</code></td>` +
    `<td>${exitCell(record)}</td><td>${duration}</td><td>${record.attempts}</td></tr>`
  )
}

/** The exit code, with the signal that ended the process if one did. */
function exitCell(record: TaskRecord): string {
  if (record.exitCode === null) return ''
  return record.signal === null ? String(record.exitCode) : `${record.exitCode} (${record.signal})`
}

/** A failed task's error and the end of its output, collapsed under its status and item. */
function tailBlock(record: TaskRecord, maxChars: number): string {
  let tail = record.outputTail
  if (tail.length > maxChars) tail = '…' + tail.slice(tail.length - maxChars)
  const error = record.error === null ? '' : escapeHtml(record.error) + '\n'
  const body = error + escapeHtml(tail)
  return (
    `<details><summary>${statusLabel(record.status)}: <code>${escapeHtml(itemLabel(record.item, 120))}</code></summary>\n\n` +
    `<pre>${body.length > 0 ? body : '(no output)'}</pre>\n\n</details>\n`
  )
}

/** What a task wrote to its own step summary, under a heading naming it. */
function taskSummaryBlock(record: TaskRecord): string {
  const heading = `### ${record.index + 1}\\. ${escapeMarkdown(itemLabel(record.item, 120))}`
  return `\n${heading}\n\n${record.summary.trimEnd()}\n`
}
