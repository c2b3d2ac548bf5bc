import { commandRunName, commandRuns } from '../model/batch-runs.js'
import { type HistoryFacts } from '../model/history.js'
import { type RunReport } from '../model/run-report.js'
import { isFlaky, type TaskRecord } from '../model/task-record.js'
import { count, counted } from '../model/words.js'
import { nameList } from './summary-head.js'

/** Most tasks named in each list of the section; the others are counted. */
const MAX_NAMED = 20

/**
 * The "🔁 Flaky" section, or nothing: the tasks that failed and then succeeded on a retry in this
 * run, with their attempts (a batch as one entry, its items counted), and the other tasks of this run that the history saw flaky in recent
 * runs (whatever they did here), with how often. HTML blocks, one per line, names escaped.
 */
export function flakySection(
  records: readonly TaskRecord[],
  label: (record: TaskRecord) => string,
  history: HistoryFacts | undefined,
  report: Pick<RunReport, 'records' | 'merged'>
): string[] {
  const flakyNow = records.filter(isFlaky)
  const recent = history?.recentlyFlaky ?? new Map<number, { flaky: number; of: number }>()
  const before = records.filter(record => recent.has(record.index) && !isFlaky(record))
  if (flakyNow.length === 0 && before.length === 0) return []
  const parts = [`<h3>🔁 Flaky</h3>\n`]
  if (flakyNow.length > 0) {
    // A batch retried as one command: one entry named as the batch, its items counted.
    const runs = commandRuns(flakyNow, report)
    const names = new Map(
      runs.map(run => [run[0], run[0].batch === undefined ? label(run[0]) : commandRunName(run)])
    )
    const attempts = (record: TaskRecord): string => ` (${record.attempts} attempts)`
    parts.push(
      `<p>${counted(flakyNow.length, 'task')} failed, then succeeded on a retry: ` +
        `${nameList(
          runs.map(([first]) => first),
          first => names.get(first) as string,
          attempts,
          MAX_NAMED
        )}.</p>\n`
    )
  }
  if (before.length > 0) {
    const often = (record: TaskRecord): string => {
      const { flaky, of } = recent.get(record.index) as { flaky: number; of: number }
      return of === 1
        ? ' (flaky in its last run)'
        : ` (flaky in ${count(flaky)} of its last ${count(of)} runs)`
    }
    parts.push(`<p>Flaky in recent runs: ${nameList(before, label, often, MAX_NAMED)}.</p>\n`)
  }
  return parts
}
