import { formatDuration } from '../model/duration.js'
import { itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { ranInThisRun, type TaskRecord } from '../model/task-record.js'
import { satisfiesNeeds, STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { count, counted } from '../model/words.js'
import { escapeHtml } from './markdown-escape.js'
import { reusedCell } from './summary-reused.js'
import { htmlLine, middleCut } from './summary-text.js'

/** Runs with more tasks than this list only those that did not succeed: a collapsed table of more
 * rows than this is too long to look through, and would take much of the summary's size budget. */
export const EVERY_ROW_UP_TO = 500
/** Longest task name in a row: a longer one would make the table scroll sideways, hiding columns. */
const NAME_CHARS = 80
/** Tables with more rows than this are collapsed, so what comes after them stays in view. */
const OPEN_ROWS_UP_TO = 20

/** What the task table shows: which rows, which optional columns, and whether it starts open. */
export interface TablePlan {
  rows: TaskRecord[]
  /**
   * Whether any row has an exit code worth showing (not 0), or attempts past the first; and
   * whether items ran in batches (the batch column).
   */
  columns: { exit: boolean; attempts: boolean; batch: boolean }
  open: boolean
  /** What the collapsed table is called. */
  caption: string
  /** Tasks that succeeded and are not listed, in a run past EVERY_ROW_UP_TO. */
  unlisted: number
}

/**
 * The table's plan: every task in input order, or past EVERY_ROW_UP_TO tasks only those that did
 * not succeed. It is open only when it is short and the run failed.
 */
export function tablePlan(report: RunReport, failed: boolean): TablePlan {
  const { records } = report
  const everyRow = records.length <= EVERY_ROW_UP_TO
  // A merge may lack records for some items: the caption says of how many the table is.
  const missing = report.counts.total - records.length
  const ofTotal = missing > 0 ? ` with a result, of ${count(report.counts.total)}` : ''
  // A reused task succeeded before: past EVERY_ROW_UP_TO it is unlisted like one that succeeded now.
  const rows = everyRow ? [...records] : records.filter(r => !satisfiesNeeds(r.status))
  return {
    rows,
    columns: {
      exit: rows.some(record => exitCell(record) !== ''),
      attempts: rows.some(record => record.attempts > 1),
      batch: records.some(record => record.batch !== undefined)
    },
    open: failed && rows.length <= OPEN_ROWS_UP_TO,
    caption: everyRow
      ? everyRowCaption(rows.length, missing, ofTotal)
      : `The ${counted(rows.length, 'task')} that did not succeed${ofTotal}`,
    unlisted: records.length - rows.length
  }
}

/** The table around the rows kept, collapsed unless the plan opens it, and the note on the rest. */
export function taskTable(plan: TablePlan, rows: readonly string[]): string {
  const unlisted =
    plan.unlisted === 0
      ? ''
      : `\n_The ${counted(plan.unlisted, 'task')} that succeeded ${plan.unlisted === 1 ? 'is' : 'are'} not listed; ` +
        'every result is in the `results-file` output._\n'
  if (rows.length === 0) return unlisted
  const head =
    '<tr><th>#</th><th>Status</th><th>Task</th>' +
    (plan.columns.batch ? '<th>Batch</th>' : '') +
    (plan.columns.exit ? '<th>Exit code</th>' : '') +
    '<th>Duration</th>' +
    (plan.columns.attempts ? '<th>Attempts</th>' : '')
  return (
    `<details${plan.open ? ' open' : ''}><summary>${plan.caption}</summary>\n\n` +
    `<table>${head}</tr>\n${rows.join('\n')}\n</table>\n\n</details>\n${unlisted}`
  )
}

/**
 * One task's row, on one line. Defaults are left empty (exit code 0, one attempt); the status is
 * its mark alone, with its words as the cell's title, so the cell never wraps; a reused task's
 * mark links to the run attempt it succeeded in. Tasks that did not run here show no duration.
 */
export function tableRow(
  record: TaskRecord,
  columns: TablePlan['columns'],
  repository?: string
): string {
  const duration = ranInThisRun(record.status) ? formatDuration(record.durationMs) : ''
  const status =
    record.status === TaskStatus.Reused
      ? reusedCell(record, repository)
      : `<td title="${STATUS_WORDS[record.status]}">${STATUS_MARK[record.status]}</td>`
  return (
    `<tr><td>${record.index + 1}</td>` +
    status +
    `<td><code>${escapeHtml(middleCut(itemLabel(record.item, Infinity), NAME_CHARS))}</code></td>` +
    (columns.batch ? `<td>${record.batch ?? ''}</td>` : '') +
    (columns.exit ? `<td>${exitCell(record)}</td>` : '') +
    `<td>${duration}</td>` +
    (columns.attempts ? `<td>${record.attempts > 1 ? record.attempts : ''}</td>` : '') +
    '</tr>'
  )
}

/**
 * The exit code when it says something (not 0), after the signal that ended the process, in the
 * log's order: `SIGTERM, 143`.
 */
function exitCell(record: TaskRecord): string {
  if (record.signal !== null) {
    const signal = htmlLine(record.signal, 40)
    return record.exitCode === null ? signal : `${signal}, ${record.exitCode}`
  }
  return record.exitCode === null || record.exitCode === 0 ? '' : String(record.exitCode)
}

/** The caption of a table of every task: `All 12 tasks`, `The task`, `The 3 tasks with a result, of 5`. */
function everyRowCaption(rows: number, missing: number, ofTotal: string): string {
  if (missing > 0) return `The ${counted(rows, 'task')}${ofTotal}`
  return rows === 1 ? 'The task' : `All ${counted(rows, 'task')}`
}
