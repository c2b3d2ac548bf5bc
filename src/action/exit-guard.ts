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
  events.once('exit', code => {
    if (!settled) fail(unsettledMessage(code))
  })
}

/**
 * Why the run never finished, said from the exit code: 0 means nothing the run waited for was
 * left (a bug here); any other code, that something ended the process first (an uncaught error or
 * `process.exit` in the host that loaded the bundle, whose lines come above).
 */
function unsettledMessage(code: number): string {
  if (code === 0) {
    return (
      'parallel-exec ended before its run finished: nothing the run was waiting for was left ' +
      'running, so it could never finish. This is a bug in parallel-exec; please report it with this log.'
    )
  }
  return (
    `parallel-exec ended before its run finished: the process is exiting with code ${code}, ended ` +
    'by an uncaught error or a call to process.exit (see the lines above). Outputs and the job ' +
    'summary may be missing.'
  )
}
