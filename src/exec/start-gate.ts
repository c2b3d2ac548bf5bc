/**
 * A condition outside the scheduler that decides whether one more task may start now, beyond
 * free slots and locks: the machine's free memory under `memfree`. The scheduler asks it before
 * each start; when it refuses, nothing more starts until it is asked again `retryMs` later or a
 * task ends. With nothing running the scheduler starts one task without asking, so a run can
 * never wait for ever.
 */
export interface StartGate {
  /** Whether one more task may start now. */
  admits(): boolean
  /** How long to wait after a refusal before asking again, in milliseconds. */
  readonly retryMs: number
}

/** What the tasks that are ready to start (their needs met) wait on, as the progress line says it. */
export interface Waiting {
  /** Tasks set aside until a lock they need is released (another task holds it or is next). */
  onLocks: number
  /**
   * Slots the next task needs and is waiting for: 0 when it is not waiting for slots, or needs
   * only one (waiting for a free worker is the ordinary queue).
   */
  onSlots: number
  /** Whether tasks wait because the gate refused (not enough free memory). */
  onGate: boolean
}
