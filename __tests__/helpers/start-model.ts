/** What the model needs to know of each task. */
export interface ModelTask {
  slots: number
  locks: readonly string[]
}

/** A start the model expects: the item and every slot it holds, lowest first. */
export interface ExpectedStart {
  index: number
  slots: number[]
}

/**
 * The start rules as documented (decision 022), over plain sorted lists that are scanned: which
 * ready task starts at each round, which are set aside on a lock and which lock each waits on, the
 * slots a head task waits for, and whether the gate refused. A test runs it beside the scheduler,
 * one round for each of the scheduler's, and compares every start and every count it is told.
 */
export class StartModel {
  /** Ready items in rank order. */
  private readonly queue: number[] = []
  private readonly waiters = new Map<string, number[]>()
  private readonly offered = new Map<string, number>()
  private readonly holders = new Map<string, number>()
  private readonly entered = new Set<number>()
  /** Free slots, ascending. */
  private readonly free: number[]
  /** Starts decided and not yet seen from the scheduler, in order. */
  readonly expected: ExpectedStart[] = []
  setAside = 0
  slotsWanted = 0
  gateRefused = false

  constructor(
    concurrency: number,
    private readonly tasks: readonly ModelTask[],
    private readonly before: (a: number, b: number) => boolean,
    /** Whether the gate admits one more task while `running` run; undefined: no gate. */
    private readonly gateAdmits: ((running: number) => boolean) | undefined
  ) {
    this.free = Array.from({ length: concurrency }, (_, i) => i + 1)
  }

  /** One round of starts with `running` tasks running; `ready` lists every item ready by now. */
  launch(running: number, ready: readonly number[]): void {
    for (const index of ready) {
      if (this.entered.has(index)) continue
      this.entered.add(index)
      this.insert(this.queue, index)
    }
    this.slotsWanted = 0
    this.gateRefused = false
    for (;;) {
      const index = this.queue[0]
      if (index === undefined) return
      const held = this.locksOf(index).find(lock => this.holders.has(lock))
      if (held !== undefined) {
        this.queue.shift()
        if (!this.waiters.has(held)) this.waiters.set(held, [])
        this.insert(this.waiters.get(held) as number[], index)
        this.setAside++
        this.left(index)
        continue
      }
      const wanted = (this.tasks[index] as ModelTask).slots
      if (wanted > this.free.length) {
        this.slotsWanted = wanted
        return
      }
      if (running > 0 && this.gateAdmits !== undefined && !this.gateAdmits(running)) {
        this.gateRefused = true
        return
      }
      this.queue.shift()
      for (const lock of this.locksOf(index)) {
        this.holders.set(lock, index)
        this.offered.delete(lock)
      }
      this.expected.push({ index, slots: this.free.splice(0, wanted) })
      running++
    }
  }

  /** A task settled: its slots are free, and each of its locks goes to its first waiter. */
  release(index: number, slots: readonly number[]): void {
    this.free.push(...slots)
    this.free.sort((a, b) => a - b)
    for (const lock of this.locksOf(index)) {
      this.holders.delete(lock)
      this.offer(lock)
    }
  }

  private offer(lock: string): void {
    const next = this.waiters.get(lock)?.shift()
    if (next === undefined) return
    this.setAside--
    this.offered.set(lock, next)
    this.insert(this.queue, next)
  }

  /** The item left the queue without its locks: a free lock offered to it moves on. */
  private left(index: number): void {
    for (const lock of this.locksOf(index)) {
      if (this.offered.get(lock) !== index) continue
      this.offered.delete(lock)
      if (!this.holders.has(lock)) this.offer(lock)
    }
  }

  private locksOf(index: number): string[] {
    return [...new Set((this.tasks[index] as ModelTask).locks)]
  }

  private insert(list: number[], index: number): void {
    const at = list.findIndex(other => this.before(index, other))
    list.splice(at < 0 ? list.length : at, 0, index)
  }
}
