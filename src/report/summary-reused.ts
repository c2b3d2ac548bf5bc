import { type TaskRecord } from '../model/task-record.js'
import { STATUS_MARK, TaskStatus } from '../model/task-status.js'
import { counted } from '../model/words.js'
import { type BudgetedSection } from './budgeted-markdown.js'
import { escapeHtml } from './markdown-escape.js'
import { attemptName, attemptUrl, utcMinute } from './run-links.js'

/**
 * The section of reused tasks, for BudgetedMarkdown: one collapsed `<details>` listing them by
 * the run attempt they succeeded in, each group headed by a link to that attempt (plain text
 * without a repository address), its tasks named on one paragraph. The entries are the tasks,
 * each rendered with its group's heading when it opens one, so the budget counts every byte of
 * the list; those that do not fit are counted in a note. One HTML block: no blank line inside.
 */
export function reusedSection(
  records: readonly TaskRecord[],
  label: (record: TaskRecord) => string,
  repository: string | undefined,
  limit: number
): BudgetedSection<TaskRecord> {
  const reused = records
    .filter(record => record.status === TaskStatus.Reused)
    .sort((a, b) => compareFrom(a, b) || a.index - b.index)
  const groupSize = new Map<string, number>()
  for (const record of reused)
    groupSize.set(groupKey(record), (groupSize.get(groupKey(record)) ?? 0) + 1)
  const opens = new Set(
    reused.filter(
      (record, at) => at === 0 || groupKey(reused[at - 1] as TaskRecord) !== groupKey(record)
    )
  )
  return {
    entries: reused,
    render: record => {
      const name = `<code>${escapeHtml(label(record))}</code>`
      if (!opens.has(record)) return `, ${name}`
      const close = record === reused[0] ? '' : '</p>\n'
      return `${close}<p>${groupHeading(record, groupSize.get(groupKey(record)) ?? 0, repository)}: ${name}`
    },
    limit,
    wrap: kept =>
      kept.length === 0
        ? ''
        : `<details><summary>${STATUS_MARK[TaskStatus.Reused]} ${counted(reused.length, 'task')} reused: ` +
          `succeeded before with the same command, not run again</summary>\n${kept.join('')}</p>\n</details>\n`,
    leftOut: left =>
      `\n_${counted(left, leftOutNoun(reused.length, left))} not listed to stay within the size limit; ` +
      'every result is in the `results-file` output._\n'
  }
}

/** The noun of the left-out note: `reused task` when none is listed, else `more reused task`. */
function leftOutNoun(total: number, left: number): string {
  return left === total ? 'reused task' : 'more reused task'
}

/** A group's heading: the attempt (linked when possible), when it was, and how many tasks. */
function groupHeading(record: TaskRecord, size: number, repository: string | undefined): string {
  const from = record.reusedFrom
  if (from === undefined) return `Earlier (${counted(size, 'task')})`
  const url = attemptUrl(repository, from)
  const name = `Succeeded in ${attemptName(from)}`
  const linked = url === undefined ? name : `<a href="${escapeHtml(url)}">${name}</a>`
  const when = utcMinute(from.at)
  return `${linked}${when === '' ? '' : `, ${when}`} (${counted(size, 'task')})`
}

/** The group of a reused task: the attempt it succeeded in. */
function groupKey(record: TaskRecord): string {
  const from = record.reusedFrom
  return from === undefined ? '' : `${from.runId}/${from.attempt}`
}

/** Newest attempt first (the one a re-run usually stands on), tasks without one last. */
function compareFrom(a: TaskRecord, b: TaskRecord): number {
  const [x, y] = [a.reusedFrom, b.reusedFrom]
  if (x === undefined || y === undefined) return Number(x === undefined) - Number(y === undefined)
  return y.runId - x.runId || y.attempt - x.attempt
}

/** The status cell of a reused task's row: its mark, linked to the attempt it succeeded in. */
export function reusedCell(record: TaskRecord, repository: string | undefined): string {
  const from = record.reusedFrom
  const mark = STATUS_MARK[TaskStatus.Reused]
  if (from === undefined) return `<td title="reused">${mark}</td>`
  const title = `reused: succeeded in ${attemptName(from)}`
  const url = attemptUrl(repository, from)
  return url === undefined
    ? `<td title="${title}">${mark}</td>`
    : `<td title="${title}"><a href="${escapeHtml(url)}">${mark}</a></td>`
}
