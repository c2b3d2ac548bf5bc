/**
 * Worker slots 1..concurrency not in use. A task takes the lowest free ones, as GNU parallel
 * gives the lowest free job slot, and several when it holds more than one (not necessarily
 * adjacent: waiting for a run of adjacent slots would leave free ones idle).
 */
export class SlotPool {
  /** Descending, so pop() gives the lowest. */
  private readonly free: number[]

  constructor(concurrency: number) {
    this.free = Array.from({ length: concurrency }, (_, i) => concurrency - i)
  }

  /** How many slots are free. */
  get available(): number {
    return this.free.length
  }

  /** Takes the `count` lowest free slots, lowest first; the caller checked that enough are free. */
  take(count: number): number[] {
    const slots = new Array<number>(count)
    for (let i = 0; i < count; i++) slots[i] = this.free.pop() as number
    return slots
  }

  /** Gives slots back. */
  release(slots: readonly number[]): void {
    for (const slot of slots) {
      let at = this.free.length
      while (at > 0 && (this.free[at - 1] as number) < slot) at--
      this.free.splice(at, 0, slot)
    }
  }
}

/**
 * How many slots each of `total` items holds (1 unless given). Throws a TypeError for a count that
 * is not a whole number from 1 to `concurrency`: the inputs refuse such values first, with a
 * message for the user, so one reaching the scheduler is a bug. Items settled before the run are
 * not checked: they never start, and the concurrency counts only the slots of what runs.
 */
export function slotCounts(
  total: number,
  concurrency: number,
  slots: readonly number[] | undefined,
  settledBefore: ReadonlyMap<number, unknown> | undefined
): (index: number) => number {
  if (slots === undefined) return () => 1
  for (let index = 0; index < total; index++) {
    if (settledBefore?.has(index)) continue
    const count = slots[index] ?? 1
    if (!Number.isSafeInteger(count) || count < 1 || count > concurrency) {
      throw new TypeError(
        `Expected \`slots\` of item ${index + 1} to be a whole number from 1 to ${concurrency}, got ${String(count)}`
      )
    }
  }
  return index => slots[index] ?? 1
}
