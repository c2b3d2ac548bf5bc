import { SkipPassed } from '../inputs/settings.js'
import { type History, type LastResult } from '../model/history.js'
import { type RunIdentity } from '../model/run-report.js'
import { type ReusedFrom } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { count, counted } from '../model/words.js'

/** What an item runs with this time, as the history compares it. */
export interface ReuseDigests {
  /** SHA-256 of its shell, rendered command, and a task's env and directory. */
  command?: string
  /** SHA-256 of the files its sources match; undefined without sources or when one is unreadable. */
  sources?: string
}

/**
 * The items (by position in `keys`) that `skip-passed` does not run again, each with the run
 * attempt whose success stands for it. An item is reused only when its last result that ran to an
 * end is a success with the same command digest, and either it was in an earlier attempt of this
 * workflow run (`rerun` and `unchanged`), or its sources digest is the same too (`unchanged`).
 */
export function chooseReused(
  keys: readonly string[],
  digests: readonly (ReuseDigests | undefined)[],
  history: History,
  mode: SkipPassed,
  run?: RunIdentity
): Map<number, ReusedFrom> {
  const reused = new Map<number, ReusedFrom>()
  if (mode === SkipPassed.Never) return reused
  keys.forEach((key, position) => {
    const last = history.items.get(key)?.last
    const from = reusedFrom(last, digests[position] ?? {}, mode, run)
    if (from !== undefined) reused.set(position, from)
  })
  return reused
}

/** The run attempt whose success stands for an item under `mode`, or undefined: it runs. */
function reusedFrom(
  last: LastResult | undefined,
  digests: ReuseDigests,
  mode: SkipPassed,
  run: RunIdentity | undefined
): ReusedFrom | undefined {
  if (last?.status !== TaskStatus.Success || last.runId === null || last.attempt === null) {
    return undefined
  }
  // An unknown digest is never equal: what cannot be compared runs.
  if (digests.command === undefined || last.commandDigest !== digests.command) return undefined
  const from = { runId: last.runId, attempt: last.attempt, at: last.at }
  if (run !== undefined && last.runId === run.id && last.attempt < run.attempt) return from
  const unchanged =
    mode === SkipPassed.Unchanged &&
    digests.sources !== undefined &&
    last.sourcesDigest === digests.sources
  return unchanged ? from : undefined
}

/**
 * The one log line that says how many of `total` tasks were reused and why, or why none were;
 * undefined under `skip-passed: never`.
 */
export function describeReuse(
  reused: ReadonlyMap<number, ReusedFrom>,
  total: number,
  mode: SkipPassed,
  run?: RunIdentity
): string | undefined {
  if (mode === SkipPassed.Never) return undefined
  if (reused.size === 0) return `Reused no task (skip-passed: ${mode}): ${whyNone(mode, run)}.`
  const attempts = new Map<number, number>()
  let otherRuns = 0
  for (const from of reused.values()) {
    if (from.runId === run?.id) attempts.set(from.attempt, (attempts.get(from.attempt) ?? 0) + 1)
    else otherRuns++
  }
  const where = [...attempts]
    .sort(([a], [b]) => a - b)
    .map(([attempt, reusedThere]) => `${count(reusedThere)} in attempt ${attempt}`)
  if (where.length > 0) where[where.length - 1] += ' of this run'
  if (otherRuns > 0) where.push(`${count(otherRuns)} in earlier runs, with unchanged sources`)
  return (
    `Reused ${count(reused.size)} of ${counted(total, 'task')} that succeeded before with the ` +
    `same command: ${where.join(', ')}; running ${count(total - reused.size)}.`
  )
}

/** Why no task was reused. */
function whyNone(mode: SkipPassed, run: RunIdentity | undefined): string {
  const sources = mode === SkipPassed.Unchanged ? ', and none with unchanged sources' : ''
  if (run === undefined) {
    return `not in a workflow run (no GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT)${sources}`
  }
  if (run.attempt === 1) return `this is the first attempt of run ${run.id}${sources}`
  return `none succeeded with the same command in an earlier attempt of run ${run.id}${sources}`
}
