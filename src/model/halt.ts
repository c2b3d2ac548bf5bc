/** Why a run stopped early. */
export enum HaltKind {
  /** Too many tasks did not succeed (fail-fast). */
  Failures = 'failures',
  /** Enough tasks succeeded (stop-on-success). */
  Successes = 'successes',
  /** The time budget for the whole run ran out. */
  Timeout = 'timeout',
  /** The caller's signal was aborted (e.g. the runner sent SIGTERM). */
  Cancelled = 'cancelled'
}

/** The reason a halted run's signal carries. */
export class Halt extends Error {
  constructor(
    readonly kind: HaltKind,
    message: string
  ) {
    super(message)
    this.name = 'Halt'
  }
}

/** What a halt does to tasks already running. */
export enum HaltMode {
  /** Stop them (whole process trees): GNU parallel's `--halt now`. */
  Cancel = 'cancel',
  /** Let them finish, start nothing new: GNU parallel's `--halt soon`. */
  Drain = 'drain'
}
