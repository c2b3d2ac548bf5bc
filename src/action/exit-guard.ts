/** The part of `process` that failIfUnsettled uses. */
export interface ExitEvents {
  once(event: 'exit', listener: (code: number) => void): unknown
}

/**
 * Fails the step if `work` has not settled when Node exits. Node exits as soon as nothing keeps
 * its event loop alive, so a promise nobody can settle any more would otherwise end the step with
 * exit code 0 and no outputs. (A top-level `await` fails such a run by itself, with exit code 13,
 * but costs start-up time: see src/index.ts.) A rejection of `work` stays unhandled, so it still
 * ends the process with exit code 1 and the error.
 */
export function failIfUnsettled(
  work: Promise<unknown>,
  fail: (message: string) => void,
  events: ExitEvents = process
): void {
  let settled = false
  void work.finally(() => {
    settled = true
  })
  events.once('exit', () => {
    if (!settled) {
      fail(
        'parallel-exec ended before its run finished: nothing it was waiting for was left running. ' +
          'This is a bug; please report it with this log.'
      )
    }
  })
}
