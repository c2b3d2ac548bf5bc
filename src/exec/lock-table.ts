import { RankHeap } from './rank-heap.js'

/**
 * Which item holds each lock, and the items set aside until it is released. An item takes all its
 * locks at once as it starts and releases them as it settles, so it never holds some while
 * waiting for others (no deadlock). An item whose lock is held leaves the ready queue (no
 * head-of-line blocking) and waits on that one lock; when the lock is released, the first-ranked
 * item waiting on it goes back among the ready ones (the lock is "offered" to it). If that item
 * leaves the ready queue again without taking the lock (another of its locks is held), the lock
 * goes to the next one, so a free lock always has its first-ranked waiter among the ready items.
 * Each release puts back one item per lock, not all of them: nothing is scanned again in vain.
 */
export class LockTable {
  /** Each item's lock names, each once. */
  private readonly locksOf: (readonly string[])[]
  private readonly holders = new Map<string, number>()
  private readonly waiters = new Map<string, RankHeap>()
  /** For a free lock with waiters: the waiter put back among the ready items for it. */
  private readonly offered = new Map<string, number>()
  private waiting = 0

  /**
   * `before(a, b)`: whether item a ranks before item b among ready items. Items settled before the
   * run never start: their locks are neither checked nor kept, as slotCounts skips their slots.
   */
  constructor(
    total: number,
    locks: readonly (readonly string[])[],
    private readonly before: (a: number, b: number) => boolean,
    settledBefore?: ReadonlyMap<number, unknown>
  ) {
    this.locksOf = Array.from({ length: total }, (_, index) =>
      settledBefore?.has(index) ? [] : lockNames(index, locks[index])
    )
  }

  /** How many items are set aside, waiting on a lock. */
  get setAsideCount(): number {
    return this.waiting
  }

  /** A lock of the item that another item holds now, if any. */
  heldLockOf(index: number): string | undefined {
    for (const lock of this.locksOf[index] as readonly string[]) {
      if (this.holders.has(lock)) return lock
    }
    return undefined
  }

  /** Sets a ready item aside until `lock` is released; `requeue` puts items back as ready. */
  setAside(index: number, lock: string, requeue: (index: number) => void): void {
    let waiters = this.waiters.get(lock)
    if (waiters === undefined) {
      waiters = new RankHeap(this.before)
      this.waiters.set(lock, waiters)
    }
    waiters.push(index)
    this.waiting++
    this.left(index, requeue)
  }

  /** The item starts: it holds all its locks until release. */
  take(index: number): void {
    for (const lock of this.locksOf[index] as readonly string[]) {
      this.holders.set(lock, index)
      this.offered.delete(lock)
    }
  }

  /** The item settled: its locks are free, and each goes to the first item waiting on it. */
  release(index: number, requeue: (index: number) => void): void {
    for (const lock of this.locksOf[index] as readonly string[]) {
      this.holders.delete(lock)
      this.offer(lock, requeue)
    }
  }

  /** The item left the ready queue without taking its locks: a free lock offered to it moves on. */
  left(index: number, requeue: (index: number) => void): void {
    for (const lock of this.locksOf[index] as readonly string[]) {
      if (this.offered.get(lock) !== index) continue
      this.offered.delete(lock)
      if (!this.holders.has(lock)) this.offer(lock, requeue)
    }
  }

  /** Puts the first item waiting on a free lock back among the ready ones. */
  private offer(lock: string, requeue: (index: number) => void): void {
    const next = this.waiters.get(lock)?.pop()
    if (next === undefined) return
    this.waiting--
    this.offered.set(lock, next)
    requeue(next)
  }
}

/**
 * An item's lock names, each once. Throws a TypeError for anything but a list of non-empty
 * strings: the inputs refuse such values first, with a message for the user.
 */
function lockNames(index: number, names: readonly string[] | undefined): readonly string[] {
  if (names === undefined) return []
  const valid =
    Array.isArray(names) && names.every(name => typeof name === 'string' && name.length > 0)
  if (!valid) {
    throw new TypeError(
      `Expected \`locks\` of item ${index + 1} to be a list of non-empty names, got ${JSON.stringify(names)}`
    )
  }
  return names.length > 1 ? [...new Set(names)] : names
}
