import { LockTable } from './lock-table.js'
import { type ReadyQueue } from './scheduler-queues.js'
import { SlotPool, slotCounts } from './slot-pool.js'
import { type StartGate, type Waiting } from './start-gate.js'

/** What a run's start rules need: the items' slots and locks, the gate, who hears of waits. */
export interface StartRulesOptions {
  concurrency: number
  slots?: readonly number[]
  locks?: readonly (readonly string[])[]
  gate?: StartGate
  onWaiting?: (waiting: Waiting) => void
  /** Items that never start (their slots and locks are not checked). */
  settledBefore?: ReadonlyMap<number, unknown>
}

/** A task allowed to start now: its item and every slot it holds, lowest first. */
export interface Start {
  index: number
  slots: number[]
}

/**
 * Which ready item starts next, and when: the first in rank order whose locks are all free, once
 * enough slots are free for it and the gate admits one more task. An item whose lock is held is
 * set aside (the ones after it may start); the first one that needs more slots than are free
 * waits, and nothing ranked after it starts until it fits, so small tasks cannot keep taking the
 * slots it needs. Without slots, locks or a gate each start costs what a plain worker pool's
 * does: nothing is scanned.
 */
export class StartRules {
  private readonly pool: SlotPool
  private readonly slotsOf: (index: number) => number
  private readonly locks: LockTable | undefined
  private readonly requeue = (index: number): void => this.ready.putBack(index)
  private retry: ReturnType<typeof setTimeout> | undefined
  private slotsWanted = 0
  private gateRefused = false
  private told: Waiting = { onLocks: 0, onSlots: 0, onGate: false }

  /** Throws a TypeError for slots or locks the scheduler cannot take (slotCounts, LockTable). */
  constructor(
    total: number,
    private readonly ready: ReadyQueue,
    private readonly options: StartRulesOptions,
    /** Whether the item is still to start (not skipped by a halt meanwhile). */
    private readonly isQueued: (index: number) => boolean,
    /** Called when the gate may admit again, to try once more. */
    private readonly retryStart: () => void
  ) {
    this.pool = new SlotPool(options.concurrency)
    this.slotsOf = slotCounts(total, options.concurrency, options.slots, options.settledBefore)
    this.locks =
      options.locks === undefined
        ? undefined
        : new LockTable(total, options.locks, ready.before, options.settledBefore)
  }

  /**
   * Takes the next item that may start now out of the ready queue, with its slots and locks;
   * undefined when none may start yet. With nothing running the gate is not asked, so a run
   * never waits for ever.
   */
  next(running: number): Start | undefined {
    this.slotsWanted = 0
    this.gateRefused = false
    for (;;) {
      const index = this.ready.peek()
      if (index === undefined) return undefined
      if (!this.isQueued(index)) {
        this.ready.pop()
        this.locks?.left(index, this.requeue)
        continue
      }
      const held = this.locks?.heldLockOf(index)
      if (held !== undefined) {
        this.ready.pop()
        this.locks?.setAside(index, held, this.requeue)
        continue
      }
      const wanted = this.slotsOf(index)
      if (wanted > this.pool.available) {
        this.slotsWanted = wanted
        return undefined
      }
      if (running > 0 && this.options.gate !== undefined && !this.options.gate.admits()) {
        this.gateRefused = true
        this.retryLater(this.options.gate.retryMs)
        return undefined
      }
      this.ready.pop()
      this.locks?.take(index)
      return { index, slots: this.pool.take(wanted) }
    }
  }

  /** A task settled: its slots and locks are free again. */
  release(index: number, slots: readonly number[]): void {
    this.pool.release(slots)
    this.locks?.release(index, this.requeue)
  }

  /**
   * Tells onWaiting what ready items wait on, when that changed since it was last told: after a
   * halt, nothing. Waiting for one free worker is not waiting for slots (the queue says that).
   */
  tellWaiting(halted: boolean): void {
    const onLocks = halted ? 0 : (this.locks?.setAsideCount ?? 0)
    const onSlots = !halted && this.slotsWanted > 1 ? this.slotsWanted : 0
    const onGate = !halted && this.gateRefused
    const told = this.told
    if (told.onLocks === onLocks && told.onSlots === onSlots && told.onGate === onGate) return
    this.told = { onLocks, onSlots, onGate }
    this.options.onWaiting?.(this.told)
  }

  /** Clears the gate's retry timer: the run halted or finished. */
  stop(): void {
    clearTimeout(this.retry)
    this.retry = undefined
  }

  /** Asks again `ms` from now, unless a retry is already due. */
  private retryLater(ms: number): void {
    if (this.retry !== undefined) return
    this.retry = setTimeout(() => {
      this.retry = undefined
      this.retryStart()
    }, ms)
  }
}
