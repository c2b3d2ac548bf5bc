import { describe, expect, it } from '@jest/globals'
import { attemptNote, earlierAttempt } from '../../src/exec/attempt-note.js'
import { type RunResult } from '../../src/exec/process-runner.js'
import { withRetries } from '../../src/exec/retry-policy.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { runResult } from '../helpers/tasks.js'

describe('attemptNote', () => {
  it('says how each earlier attempt ended in the words of the retry line between attempts', async () => {
    const results = [
      runResult({ exitCode: 1 }),
      runResult({ exitCode: null, signal: 'SIGKILL' }),
      runResult({ exitCode: 143, timedOut: true, signal: 'SIGTERM' }),
      runResult({ exitCode: null }),
      runResult({ exitCode: 0 })
    ]
    const signal = new AbortController().signal
    const ran: RunResult[] = []
    const lines: string[] = []
    await withRetries(
      async () => ran[ran.push(results[ran.length] as RunResult) - 1] as RunResult,
      {
        retries: 4,
        baseDelayMs: 0,
        signal,
        announce: line => lines.push(line)
      }
    )
    const earlier = ran.slice(0, -1).map(result => earlierAttempt(result, signal))
    const note = attemptNote(5, 5, earlier)
    expect(note).toBe(
      '── output of attempt 5 of 5; attempt 1 failed (exit code 1), attempt 2 failed (SIGKILL), ' +
        'attempt 3 timed out (SIGTERM), attempt 4 failed ──'
    )
    const said = lines.map(line => /^\n── attempt \d of 5 (.*); retrying in /.exec(line)?.[1])
    expect(said).toEqual([
      'failed (exit code 1)',
      'failed (SIGKILL)',
      'timed out (SIGTERM)',
      'failed'
    ])
  })

  it('says a run of attempts that ended alike once', () => {
    const failed = { status: TaskStatus.Failure, exitCode: 2, signal: null }
    expect(attemptNote(4, 4, [failed, failed, failed])).toBe(
      '── output of attempt 4 of 4; attempts 1 to 3 failed (exit code 2) ──'
    )
  })
})
