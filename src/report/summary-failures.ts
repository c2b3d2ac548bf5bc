import { formatDuration } from '../model/duration.js'
import { HaltKind } from '../model/halt.js'
import { commandRunName, commandRuns } from '../model/batch-runs.js'
import { distinctLabels } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { isUnsuccessful, processEnd, type TaskRecord } from '../model/task-record.js'
import { STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { counted } from '../model/words.js'
import { escapeHtml } from './markdown-escape.js'
import { htmlLine } from './summary-text.js'
import { plainText } from './terminal-text.js'
import { wholeLinesWithin } from './whole-lines.js'

/** Order of the tasks that need attention: failures and time-outs lead, skips come last. */
const STATUS_RANK: Record<TaskStatus, number> = {
  [TaskStatus.Failure]: 0,
  [TaskStatus.TimedOut]: 1,
  [TaskStatus.Cancelled]: 2,
  [TaskStatus.Skipped]: 3,
  [TaskStatus.Success]: 4,
  [TaskStatus.Reused]: 4
}

/** Most of a failure's characters its error may take; its output has the rest. */
const ERROR_SHARE = 1 / 4

/** One entry of the failures section: a task or a batch, and whether its block is shown open. */
export interface FailureEntry {
  /** The task's record, or the first of its batch's: a batch's members share what it did. */
  record: TaskRecord
  /** How many items the entry stands for: a batch's members, else 1. */
  items: number
  open: boolean
  /**
   * The task's name, with its number where another task of the run has the same name; a batch's
   * number and first items.
   */
  name: string
}

/** Most characters of a task's name in its block's first line. */
const NAME_CHARS = 120

/**
 * Whether a task failed the run: it failed, timed out or was cancelled, except cancelled by a
 * won stop-on-success race, which is that option's point.
 */
export function failsTheRun(report: RunReport): (record: TaskRecord) => boolean {
  const raceWon = report.haltKind === HaltKind.Successes
  return record =>
    isUnsuccessful(record.status) && !(raceWon && record.status === TaskStatus.Cancelled)
}

/**
 * Whether the run as a whole failed: a task failed it, or a merge has items without a result
 * or problems with its files.
 */
export function runFailed(report: RunReport): boolean {
  return (
    report.counts.total > report.records.length ||
    (report.merged?.problems.length ?? 0) > 0 ||
    report.records.some(failsTheRun(report))
  )
}

/**
 * The tasks a reader must look at, failures first: those that failed the run, and those skipped
 * because a task they need did not succeed (as the scheduler recorded it in `blockedBy`). Tasks
 * a halt or a dry run kept from starting are counted, not listed.
 */
export function tasksNeedingAttention(report: RunReport): TaskRecord[] {
  const fails = failsTheRun(report)
  return report.records
    .filter(record => fails(record) || (record.blockedBy?.length ?? 0) > 0)
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.index - b.index)
}

/**
 * The entries of the failures section, one per task or per batch (its members share one command
 * and its output, shown once): the first one is open, unless it is a skip (one line, no output).
 */
export function failureEntries(
  records: readonly TaskRecord[],
  report: Pick<RunReport, 'records' | 'merged'>
): FailureEntry[] {
  const label = distinctLabels(report.records, NAME_CHARS)
  return commandRuns(records, report).map((run, position) => {
    const record = run[0]
    return {
      record,
      items: run.length,
      open: position === 0 && record.status !== TaskStatus.Skipped,
      name: record.batch === undefined ? label(record) : commandRunName(run, NAME_CHARS)
    }
  })
}

/**
 * A task that did not succeed: a collapsible block headed by its name, status, exit code,
 * duration and attempts, holding its error and output as recorded (together cut at line
 * boundaries only past `maxTailChars`); a skipped task is one line with its reason.
 */
export function failureBlock(
  { record, items, open, name: label }: FailureEntry,
  maxTailChars: number
): string {
  const name = `<code>${escapeHtml(label)}</code>`
  const mark = STATUS_MARK[record.status]
  if (record.status === TaskStatus.Skipped) {
    // Skip reasons name what the task needed and how it ended: `test failed`, as the log says it.
    const reason =
      record.skipReason === undefined ? '' : `, because ${htmlLine(record.skipReason, 500)}`
    return `<p>${mark} ${name} ${STATUS_WORDS[record.status]}${reason}</p>\n`
  }
  // As the log's group title says it; one line, escaped (a results file may hold any signal).
  const ended = htmlLine(processEnd(record), 80)
  const facts = [
    `${mark} ${name} ${STATUS_WORDS[record.status]}${ended === '' ? '' : ` (${ended})`}`,
    ...runFacts(record),
    ...(record.batch === undefined ? [] : [counted(items, 'item')])
  ]
  // The error is capped too (a results file may hold one of any size), and the output gets the rest.
  // Test tools colour their output on runners: a page shows the codes as text, so they go.
  const error = wholeLinesWithin(
    plainText(record.error ?? ''),
    Math.floor(maxTailChars * ERROR_SHARE)
  )
  const tail = wholeLinesWithin(plainText(record.outputTail), maxTailChars - error.length)
  const body = [error, tail].filter(part => part !== '').join('\n')
  return (
    `<details${open ? ' open' : ''}><summary>${facts.join(' · ')}</summary>\n\n` +
    `<pre>${body === '' ? '(no output)' : escapeHtml(body)}</pre>\n\n</details>\n`
  )
}

/** A task's duration, and attempts past the first. */
function runFacts(record: TaskRecord): string[] {
  const facts: string[] = [formatDuration(record.durationMs)]
  if (record.attempts > 1) facts.push(`${record.attempts} attempts`)
  return facts
}
