import { satisfiesNeeds, type TaskStatus } from '../model/task-status.js'
import { RankHeap } from './rank-heap.js'
import { type UnmetNeed } from './skip-reason.js'

/**
 * Items ready to start, in rank order: highest priority first, then lowest index. Without
 * priorities items become ready in index order, so pushes append and this is a plain FIFO. Items
 * put back after waiting on a lock go to a heap of their own, made at the first one, so that
 * putting one back never walks the queue and a run without locks has no heap to look at.
 */
export class ReadyQueue {
  private readonly queue: number[] = []
  private head = 0
  private back: RankHeap | undefined
  /** Whether item a ranks before item b. */
  readonly before = (a: number, b: number): boolean => {
    const rankA = this.priority(a)
    const rankB = this.priority(b)
    return rankA > rankB || (rankA === rankB && a < b)
  }

  constructor(private readonly priority: (index: number) => number) {}

  /** Adds an item that has just become ready, walking back past those ranked after it. */
  push(index: number): void {
    const rank = this.priority(index)
    let at = this.queue.length
    while (at > this.head) {
      const other = this.queue[at - 1] as number
      const otherRank = this.priority(other)
      if (rank < otherRank || (rank === otherRank && index > other)) break
      at--
    }
    this.queue.splice(at, 0, index)
  }

  /** Puts back an item that was set aside (on a lock), in its rank. */
  putBack(index: number): void {
    this.back ??= new RankHeap(this.before)
    this.back.push(index)
  }

  /** The first-ranked item, left in place; undefined when there is none. */
  peek(): number | undefined {
    const first = this.head < this.queue.length ? this.queue[this.head] : undefined
    const putBack = this.back?.peek()
    if (putBack === undefined) return first
    return first === undefined || this.before(putBack, first) ? putBack : first
  }

  /** Takes out the first-ranked item; undefined when there is none. */
  pop(): number | undefined {
    const index = this.peek()
    if (index === undefined) return undefined
    if (this.back !== undefined && index === this.back.peek()) return this.back.pop()
    this.head++
    // Drop the consumed front now and then, so a long run does not keep it all.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    return index
  }
}

/**
 * Which items wait for which. An item is decided once every item it needs has settled: ready when
 * all succeeded, blocked when any did not (as GitHub decides a job with `needs`), so its skip
 * reason can name every need that did not succeed.
 */
export class Needs {
  /** How many of each item's needs have not settled yet. */
  private readonly waitingOn: number[]
  /** dependents[i] lists the items that need i. */
  private readonly dependents: number[][]
  /** The needs of each item that settled other than successfully, as they settled. */
  private readonly unmet = new Map<number, UnmetNeed[]>()

  constructor(total: number, needs: readonly (readonly number[])[] | undefined) {
    this.waitingOn = new Array<number>(total).fill(0)
    this.dependents = Array.from({ length: total }, () => [])
    needs?.forEach((itemNeeds, index) => {
      this.waitingOn[index] = itemNeeds.length
      for (const need of itemNeeds) this.dependents[need]?.push(index)
    })
  }

  /** Whether the item needs nothing that has not succeeded yet. */
  isReady(index: number): boolean {
    return this.waitingOn[index] === 0 && !this.unmet.has(index)
  }

  /**
   * Records how `index` settled; for each item that now waits on nothing, calls `ready` when all
   * its needs succeeded, else `blocked` with those that did not.
   */
  settled(
    index: number,
    status: TaskStatus,
    ready: (dependent: number) => void,
    blocked: (dependent: number, unmet: readonly UnmetNeed[]) => void
  ): void {
    for (const dependent of this.dependents[index] ?? []) {
      if (!satisfiesNeeds(status)) this.addUnmet(dependent, { index, status })
      if (--(this.waitingOn[dependent] as number) > 0) continue
      const unmet = this.unmet.get(dependent)
      if (unmet === undefined) ready(dependent)
      else blocked(dependent, unmet)
    }
  }

  private addUnmet(dependent: number, need: UnmetNeed): void {
    const unmet = this.unmet.get(dependent)
    if (unmet === undefined) this.unmet.set(dependent, [need])
    else unmet.push(need)
  }

  /** The needs of `index` that settled other than successfully so far. */
  unmetOf(index: number): readonly UnmetNeed[] {
    return this.unmet.get(index) ?? []
  }
}

/** Where an item is in its one pass through a run; it only ever moves forward. */
export enum ItemState {
  /** Some need has not settled yet, or it has not been queued yet. */
  Waiting = 'waiting',
  /** In the ready queue, or set aside until a lock it needs is released. */
  Queued = 'queued',
  /** Started, in a slot. */
  Running = 'running',
  /** Has its one outcome. */
  Settled = 'settled'
}

/**
 * Each item's state. The transitions are the invariant the scheduler rests on: only a waiting item
 * is queued, only a queued item starts, and an item settles exactly once, so an item whose outcome
 * is known (settled before the run, or skipped) can never start.
 */
export class ItemStates {
  private readonly states: ItemState[]

  constructor(total: number) {
    this.states = new Array<ItemState>(total).fill(ItemState.Waiting)
  }

  /** Whether the item is in the given state. */
  is(index: number, state: ItemState): boolean {
    return this.states[index] === state
  }

  /** Queues a waiting item; false (and nothing changes) for any other. */
  queue(index: number): boolean {
    return this.move(index, ItemState.Waiting, ItemState.Queued)
  }

  /** Starts a queued item; false (and nothing changes) for any other, such as one settled since. */
  start(index: number): boolean {
    return this.move(index, ItemState.Queued, ItemState.Running)
  }

  /** Settles an item; throws for one that has settled already, as that is a scheduler bug. */
  settle(index: number): void {
    const state = this.states[index]
    if (state === undefined || state === ItemState.Settled) {
      throw new Error(`Internal error: item ${index + 1} would settle twice`)
    }
    this.states[index] = ItemState.Settled
  }

  private move(index: number, from: ItemState, to: ItemState): boolean {
    if (this.states[index] !== from) return false
    this.states[index] = to
    return true
  }
}
