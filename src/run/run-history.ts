import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { runIdentity } from '../action/run-identity.js'
import { type PreparedItem } from '../exec/command-task.js'
import { type ActionSettings, SkipPassed } from '../inputs/settings.js'
import {
  durationsBefore,
  historyAfter,
  recentFlakiness,
  type History,
  type HistoryFacts,
  type HistorySplit
} from '../model/history.js'
import { type RunIdentity, type RunReport } from '../model/run-report.js'
import { type ReusedFrom, type TaskRecord } from '../model/task-record.js'
import { commandDigest } from '../plan/command-digest.js'
import { loadHistory } from '../plan/history-load.js'
import { chooseReused, describeReuse } from '../plan/reuse.js'
import { type RunPlan } from '../plan/run-plan.js'
import { describeUnreadable, sourcesDigests } from '../plan/sources.js'
import { itemShares } from '../model/batch-runs.js'

/** What a run knows from earlier runs, and which workflow run attempt it is. */
export interface RunMemory {
  /** The `history` input's history (empty without one, or when it could not be used). */
  history: History
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT, or undefined outside a workflow run. */
  identity: RunIdentity | undefined
  /** Without an identity, which of the two is missing or unusable (`identityMissing`). */
  missing?: string
}

/** Reads the history and the run's identity (and, without one, what is missing of it). */
export async function rememberRun(settings: ActionSettings): Promise<RunMemory> {
  const identity = runIdentity()
  const history = await loadHistory(settings.historyPath)
  return identity === undefined
    ? { history, identity, missing: identityMissing() }
    : { history, identity }
}

/** Which of GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT keeps `runIdentity` from naming a run attempt. */
export function identityMissing(env: NodeJS.ProcessEnv = process.env): string {
  const problems = new Map<string, string[]>()
  for (const name of ['GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT']) {
    // The variable alone, beside a usable other one, by runIdentity's own rule.
    if (runIdentity({ GITHUB_RUN_ID: '1', GITHUB_RUN_ATTEMPT: '1', [name]: env[name] })) continue
    const problem = env[name] === undefined ? 'not set' : 'not a whole number from 1 up'
    problems.set(problem, [...(problems.get(problem) ?? []), name])
  }
  return [...problems]
    .map(
      ([problem, names]) => `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} ${problem}`
    )
    .join(' and ')
}

/**
 * Gives each item the digests of what it runs and of its sources, before the first task starts
 * (a task may change another's sources). Sources are hashed only when some item has them.
 */
export async function digestPlan(plan: RunPlan, settings: ActionSettings): Promise<void> {
  const { shell, workingDirectory } = settings.execution
  const withSources = plan.prepared.some(prepared => prepared.sources !== undefined)
  const sources = withSources ? await sourcesDigests(plan.prepared, workingDirectory) : undefined
  const unreadable = describeUnreadable(sources?.unreadable ?? 0)
  if (unreadable !== undefined) core.notice(unreadable)
  plan.prepared.forEach((prepared: PreparedItem, position) => {
    prepared.digests = {
      command: commandDigest(prepared, shell, workingDirectory),
      sources: sources?.digests[position]
    }
  })
}

/** Marks the plan's items whose earlier success stands (`skip-passed`), saying how many and why. */
export function reuseSuccesses(plan: RunPlan, memory: RunMemory, skipPassed: SkipPassed): void {
  if (skipPassed === SkipPassed.Never) return
  const digests = plan.prepared.map(prepared => prepared.digests ?? {})
  const reused = chooseReused(plan.keys, digests, memory.history, skipPassed, memory.identity)
  if (reused.size > 0) plan.reused = reused
  core.info(reuseLine(reused, plan.prepared.length, skipPassed, memory))
}

/**
 * The one line that says how many tasks were reused and why; outside a workflow run attempt it
 * names what is missing (nothing can then be reused from an earlier attempt).
 */
export function reuseLine(
  reused: ReadonlyMap<number, ReusedFrom>,
  total: number,
  skipPassed: Exclude<SkipPassed, SkipPassed.Never>,
  memory: RunMemory
): string {
  const line = describeReuse(reused, total, skipPassed, memory.identity) as string
  if (memory.identity !== undefined) return line
  const why = `${memory.missing ?? 'no run identity'}, so this is no attempt of a workflow run`
  if (reused.size > 0) return `${line.slice(0, -1)}; none from an earlier attempt: ${why}.`
  const sources = skipPassed === SkipPassed.Unchanged ? ', and none had unchanged sources' : ''
  return `Reused no task (${Inputs.SkipPassed}: ${skipPassed}): ${why}${sources}.`
}

/**
 * The history after the run, and what it said of the run's items before: a dry run leaves it as
 * it was; an item of a batch is recorded with its share of the batch's time (weighted by what the
 * history knew of its members). `keys` are by index in the whole input, as the records' `index`.
 */
export function recordRun(
  memory: RunMemory,
  report: RunReport,
  keys: readonly string[],
  options: { dryRun: boolean; split?: HistorySplit }
): { history: History; facts: HistoryFacts } {
  const facts = { recentlyFlaky: recentFlakiness(memory.history, keys) }
  if (options.dryRun) return { history: memory.history, facts }
  const run = { identity: memory.identity, at: Date.now(), split: options.split }
  const recordKeys = report.records.map(record => keys[record.index] as string)
  // An item of a batch is recorded with its share of the batch's time, in proportion to what
  // the history knew of its members, so that one known to be slow stays so and `auto` can keep
  // putting it apart. Without batches each record keeps its own time: nothing to share.
  const records = report.records.some(record => record.batch !== undefined)
    ? withItemShares(report, memory, keys)
    : report.records
  return { history: historyAfter(memory.history, run, records, recordKeys), facts }
}

/** The report's records, each item of a batch with its share of the batch's time. */
function withItemShares(
  report: RunReport,
  memory: RunMemory,
  keys: readonly string[]
): TaskRecord[] {
  const before = durationsBefore(memory.history, memory.identity?.id)
  const share = itemShares(report.records, report, record => before.get(keys[record.index] ?? ''))
  return report.records.map(record => ({ ...record, durationMs: share(record) }))
}
