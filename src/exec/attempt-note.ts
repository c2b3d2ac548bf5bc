import { type TaskStatus } from '../model/task-status.js'
import { type RunResult } from './process-runner.js'
import { endedWords } from './retry-policy.js'
import { statusOf } from './run-status.js'

/** How an earlier attempt ended, as the note says it. */
export interface EarlierAttempt {
  status: TaskStatus
  exitCode: number | null
  signal: string | null
}

/** How an attempt of the command ended, read from its result. */
export function earlierAttempt(result: RunResult, halt: AbortSignal): EarlierAttempt {
  return { status: statusOf(result, halt), exitCode: result.exitCode, signal: result.signal }
}

/**
 * The first line of a retried task's excerpt: which attempt the output is from and how the
 * earlier ones ended, in the words of the log's retry line, e.g.
 * `── output of attempt 3 of 3; attempts 1 and 2 failed (exit code 1) ──`. Runs of attempts that
 * ended alike are said once.
 */
export function attemptNote(attempt: number, of: number, earlier: EarlierAttempt[]): string {
  const runs: { first: number; last: number; words: string }[] = []
  earlier.forEach((ended, index) => {
    const words = endedWords(ended.status, ended)
    const run = runs[runs.length - 1]
    if (run?.words === words) run.last = index + 1
    else runs.push({ first: index + 1, last: index + 1, words })
  })
  const said = runs.map(({ first, last, words }) => `${attemptNumbers(first, last)} ${words}`)
  return `── output of attempt ${attempt} of ${of}; ${said.join(', ')} ──`
}

/** `attempt 1`, `attempts 1 and 2`, `attempts 1 to 4`. */
function attemptNumbers(first: number, last: number): string {
  if (first === last) return `attempt ${first}`
  return `attempts ${first} ${last === first + 1 ? 'and' : 'to'} ${last}`
}
