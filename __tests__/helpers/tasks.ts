import { type RunResult } from '../../src/exec/process-runner.js'

/** Waits `ms`, or less when the signal aborts first: resolves true when it did. */
export const delay = (ms: number, signal?: AbortSignal): Promise<boolean> =>
  new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })

/** A process's result: exit code 0 and nothing else unless `fields` says so. */
export const runResult = (fields: Partial<RunResult> = {}): RunResult => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  aborted: false,
  startedAt: 0,
  endedAt: 0,
  durationMs: 0,
  ...fields
})
