import { DEFAULT_SUMMARY_TITLE } from '../inputs/summary-title.js'
import { commandRunName, commandRuns, type CommandRun } from '../model/batch-runs.js'
import { type HistoryFacts } from '../model/history.js'
import { distinctLabels, itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { counted } from '../model/words.js'
import { BudgetedMarkdown } from './budgeted-markdown.js'
import { escapeHtml } from './markdown-escape.js'
import { summaryCharts } from './summary-charts.js'
import {
  failureBlock,
  failureEntries,
  runFailed,
  type FailureEntry,
  tasksNeedingAttention
} from './summary-failures.js'
import { flakySection } from './summary-flaky.js'
import { summaryHead } from './summary-head.js'
import { reusedSection } from './summary-reused.js'
import { EVERY_ROW_UP_TO, tablePlan, tableRow, taskTable } from './summary-table.js'

/** Longest task name in the flaky and reused lists. */
const NAME_CHARS = 80

/** Limits that keep the summary well under GitHub's 1 MiB per step (over it, all of it is dropped). */
export interface SummaryLimits {
  /** Most rows in the task table. */
  maxRows: number
  /** Most tasks that did not succeed shown with their output above the table. */
  maxFailures: number
  /** Most characters of one task's output; longer output is cut at line boundaries. */
  maxTailChars: number
  /** Most bytes of the whole summary; rows and tails past it are left out (escaping can grow text 6×). */
  maxBytes: number
}

/** What the summary says beyond the report: the history's facts, and where the run attempts are. */
export interface SummaryContext {
  /** What earlier runs say of this run's items (items flaky in recent runs). */
  history?: HistoryFacts
  /** The repository's address (`repositoryUrl`), to link reused tasks to their attempt; else no links. */
  repository?: string
}

export const DEFAULT_SUMMARY_LIMITS: SummaryLimits = {
  // A table of every task is never cut by its count, only by the byte budget.
  maxRows: EVERY_ROW_UP_TO,
  maxFailures: 20,
  maxTailChars: 16_000,
  maxBytes: 512 * 1024
}

/** Share of maxBytes the failures may take, so the table keeps room. */
const FAILURES_SHARE = 0.45
/** Share of maxBytes the failures and the table together may take. */
const TABLE_SHARE = 0.7
/** Share of maxBytes everything up to the list of reused tasks may take. */
const REUSED_SHARE = 0.8
/** Share of maxBytes everything up to the charts may take (a chart's text is at most ~45 KB). */
const CHARTS_SHARE = 0.9
/** Bytes kept free at the end for the notes on what was left out. */
const CLOSING_ROOM = 1024

/**
 * The job summary as Markdown with HTML blocks, failures first: the headline, the tasks that did
 * not succeed with their output, the flaky tasks, the table of tasks, the reused tasks
 * (collapsed), the charts, and what tasks wrote to their own summaries. Everything that came from
 * items or task output is escaped, and kept on one line where a line break would end an HTML block.
 */
export function buildSummary(
  report: RunReport,
  title: string = DEFAULT_SUMMARY_TITLE,
  limits: SummaryLimits = DEFAULT_SUMMARY_LIMITS,
  context: SummaryContext = {}
): string {
  const summary = new BudgetedMarkdown()
  summary.add(...summaryHead(report, title))
  const label = distinctLabels(report.records, NAME_CHARS)
  const failures = failureEntries(tasksNeedingAttention(report), report)
  summary.section({
    entries: failures,
    max: limits.maxFailures,
    render: entry => failureBlock(entry, limits.maxTailChars),
    limit: limits.maxBytes * FAILURES_SHARE,
    // Counted in tasks: a batch left out leaves out each of its items.
    leftOut: left => {
      const items = (entries: FailureEntry[]): number =>
        entries.reduce((sum, entry) => sum + entry.items, 0)
      const shown = failures.length - left
      return failuresLeftOut(items(failures.slice(shown)), items(failures.slice(0, shown)))
    }
  })
  summary.add(...flakySection(report.records, label, context.history, report))
  const plan = tablePlan(report, runFailed(report))
  summary.section({
    entries: plan.rows,
    max: limits.maxRows,
    render: record => tableRow(record, plan.columns, context.repository),
    limit: limits.maxBytes * TABLE_SHARE,
    wrap: rows => taskTable(plan, rows),
    leftOut: left =>
      `\n_${counted(left, 'more task')} not shown; every result is in the \`results-file\` output._\n`
  })
  summary.section(
    reusedSection(report.records, label, context.repository, limits.maxBytes * REUSED_SHARE)
  )
  summary.section({
    entries: summaryCharts(report),
    render: chart => chart,
    limit: limits.maxBytes * CHARTS_SHARE
  })
  // What tasks wrote to their own GITHUB_STEP_SUMMARY, each under its own heading.
  // A batch's is on its first member: one block named as the batch, as its failure is.
  summary.section({
    entries: commandRuns(report.records, report).filter(run =>
      run.some(record => record.summary.trim() !== '')
    ),
    render: taskSummaryBlock,
    limit: limits.maxBytes - CLOSING_ROOM,
    heading: '\n## Task summaries\n',
    leftOut: left =>
      `\n_${counted(left, 'more task summary', 'more task summaries')} left out to stay within the size limit; ` +
      'each is in the `results-file` output._\n'
  })
  return summary.text()
}

/**
 * The note on the tasks that did not succeed and are not shown with their output: how many, and
 * where they are (the table may be cut too, so only the results file is sure to hold them).
 */
function failuresLeftOut(left: number, shown: number): string {
  const which = counted(left, shown === 0 ? 'task' : 'more task')
  const their = left === 1 ? 'its' : 'their'
  return (
    `\n_${which} did not succeed; ${their} output is not shown here. ` +
    'Every result is in the `results-file` output._\n'
  )
}

/**
 * What a task or a batch wrote to its own step summary, under a heading naming it (HTML: no
 * Markdown in it): a task by its number and label, a batch by its name.
 */
function taskSummaryBlock(run: CommandRun): string {
  const [first] = run
  const name =
    first.batch === undefined
      ? `${first.index + 1}. ${itemLabel(first.item, 120)}`
      : commandRunName(run)
  const text = run
    .map(record => record.summary.trimEnd())
    .filter(summary => summary.trim() !== '')
    .join('\n\n')
  return `\n<h3>${escapeHtml(name)}</h3>\n\n${text}\n`
}
