import * as core from '../action/actions-core.js'
import { Outputs } from '../action/action-yml.js'
import { NoItemsBehavior } from '../inputs/settings.js'
import { HaltKind } from '../model/halt.js'
import { emptyReport, type RunReport } from '../model/run-report.js'
import { durationsBefore, type History, type HistoryFacts } from '../model/history.js'
import { writeHistory } from '../results/history-file.js'
import { writeTimings } from '../results/timings-file.js'
import { writeResultsFile } from '../results/results-file.js'
import { writeJunitFile } from './junit.js'
import { mergeProblemsMessage } from './merge.js'
import {
  annotateFailures,
  annotateFlaky,
  failureMessage,
  setOutputs,
  writeSummary
} from './outputs.js'
import { describeResolves } from './results.js'

/** What running a step gave: its report, and what the outputs point at. */
export interface StepOutcome {
  report: RunReport
  /** Path of the job log, when tasks ran (a merge, a dry run or an empty shard has none). */
  jobLog: string | undefined
  /** The `history` input's history updated with this run, for the history-file output. */
  history: History
  /** What the history said of this run's items before it, for the job summary. */
  historyFacts?: HistoryFacts
  /** Why there was nothing to run, when there was nothing. */
  noItems: string | undefined
}

/**
 * Writes to the runner's files that may fail (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY): a failure
 * becomes a problem that fails the step at the end, once everything else that can be written is.
 */
export class RunnerFileProblems {
  private readonly problems: string[] = []

  /** Runs a write; its error is kept instead of stopping the rest of the reporting. */
  async attempt(write: () => unknown): Promise<void> {
    try {
      await write()
    } catch (error) {
      this.problems.push(error instanceof Error ? error.message : String(error))
    }
  }

  /** Fails the step with each kept problem. */
  failStep(): void {
    for (const problem of this.problems) core.setFailed(problem)
  }
}

/** Writes the results, JUnit, history and timings files and sets every output. */
export async function publishOutputs(
  outcome: StepOutcome,
  workDirectory: string,
  files: RunnerFileProblems
): Promise<void> {
  const { report } = outcome
  const resultsFile = await writeResultsFile(workDirectory, report).catch((error: unknown) => {
    core.warning(`Could not write the results file: ${String(error)}`)
    return ''
  })
  // The JUnit file is the results file's: written wherever that one is.
  const junitFile =
    resultsFile === ''
      ? ''
      : await writeJunitFile(workDirectory, report).catch((error: unknown) => {
          core.warning(`Could not write the JUnit file: ${String(error)}`)
          return ''
        })
  const historyFile = await writeHistory(workDirectory, outcome.history).catch((error: unknown) => {
    core.warning(`Could not write the history file: ${String(error)}`)
    return ''
  })
  // The older timings file, for a `timings` input of a version before `history`: this run's
  // records too, since a merge leaves files written outside a workflow run out of the history.
  const durations = durationsBefore(outcome.history)
  const timingsFile = await writeTimings(workDirectory, durations, report.records, report).catch(
    () => ''
  )
  await files.attempt(() => {
    setOutputs(report, resultsFile)
    core.setOutput(Outputs.JunitFile, junitFile)
    core.setOutput(Outputs.JobLog, outcome.jobLog ?? '')
    core.setOutput(Outputs.Shard, report.shard ? `${report.shard.index}/${report.shard.total}` : '')
    core.setOutput(Outputs.TimingsFile, timingsFile)
    core.setOutput(Outputs.HistoryFile, historyFile)
  })
}

/** Sets the outputs of a step that failed before it had a report, so a later step sees them. */
export async function publishEmptyOutputs(files: RunnerFileProblems): Promise<void> {
  await files.attempt(() => {
    setOutputs(emptyReport(''), '')
    core.setOutput(Outputs.JunitFile, '')
    core.setOutput(Outputs.HistoryFile, '')
  })
}

/** Says how the step went: no items, or the summary, annotations and the message that fails it. */
export async function concludeStep(
  outcome: StepOutcome,
  options: { summary: boolean; summaryTitle: string; ifNoItems: NoItemsBehavior },
  files: RunnerFileProblems
): Promise<void> {
  if (outcome.noItems !== undefined) return reportNoItems(options.ifNoItems, outcome.noItems)
  const { report } = outcome
  if (options.summary) {
    await files.attempt(() => writeSummary(report, options.summaryTitle, outcome.historyFacts))
  }
  annotateFailures(report)
  annotateFlaky(report)
  const resolves = describeResolves(report.records)
  if (resolves !== undefined) core.info(resolves)
  const unresolved = report.records.some(record => record.resolve?.resolved === false)
  // A merge's problems first: they say why items have no result.
  const failure = [mergeProblemsMessage(report), failureMessage(report), unresolved ? resolves : '']
    .filter(Boolean)
    .join(' ')
    .trim()
  if (report.haltKind === HaltKind.Cancelled) {
    core.setFailed(`Cancelled: ${report.haltReason}. ${failure}`.trim())
  } else if (failure !== '') {
    core.setFailed(failure)
  }
}

/** An empty run, as `if-no-items` asks: a failure, a warning or a line of the log. */
function reportNoItems(behavior: NoItemsBehavior, message: string): void {
  if (behavior === NoItemsBehavior.Error) core.setFailed(message)
  else if (behavior === NoItemsBehavior.Warn) core.warning(message)
  else core.info(message)
}
