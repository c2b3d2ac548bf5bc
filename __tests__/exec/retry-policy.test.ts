import { describe, expect, it } from '@jest/globals'
import { type RunResult } from '../../src/exec/process-runner.js'
import { withRetries } from '../../src/exec/retry-policy.js'
import { Halt, HaltKind } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { runResult } from '../helpers/tasks.js'

const ended = (exitCode: number, more: Partial<RunResult> = {}): RunResult =>
  runResult({ exitCode, ...more })

describe('withRetries', () => {
  it('runs again after a failure or a timeout until one succeeds, saying so between attempts', async () => {
    const results = [ended(1), ended(143, { timedOut: true, signal: 'SIGTERM' }), ended(0)]
    const lines: string[] = []
    const attempted = await withRetries(async () => results.shift() as RunResult, {
      retries: 5,
      baseDelayMs: 10,
      signal: new AbortController().signal,
      random: () => 0.5,
      announce: line => lines.push(line)
    })
    expect(attempted.status).toBe(TaskStatus.Success)
    expect(attempted.attempts).toBe(3)
    expect(lines).toEqual([
      '\n── attempt 1 of 6 failed (exit code 1); retrying in 8ms ──\n',
      '\n── attempt 2 of 6 timed out (SIGTERM); retrying in 15ms ──\n'
    ])
  })

  it('stops when the retries run out', async () => {
    let runs = 0
    const attempted = await withRetries(async () => (runs++, ended(2)), {
      retries: 2,
      baseDelayMs: 0,
      signal: new AbortController().signal,
      announce: () => undefined
    })
    expect([attempted.status, attempted.attempts, runs]).toEqual([TaskStatus.Failure, 3, 3])
  })

  it('does not wait for a retry once the run halts: the task reports the halt', async () => {
    const controller = new AbortController()
    const started = Date.now()
    const waiting = withRetries(async () => ended(1), {
      retries: 3,
      baseDelayMs: 10_000,
      signal: controller.signal,
      announce: () => controller.abort(new Halt(HaltKind.Timeout, 'total-timeout of 5 ms ran out'))
    })
    const attempted = await waiting
    expect(attempted.status).toBe(TaskStatus.TimedOut)
    expect(attempted.attempts).toBe(1)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
