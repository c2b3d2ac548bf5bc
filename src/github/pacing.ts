/** Waits `ms`; rejects at once when the run is cancelled. */
export type Sleep = (ms: number) => Promise<void>

/** Runs at most `limit` functions at once; the others wait their turn in call order. */
export class Semaphore {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limit: number) {}

  /** Runs `fn` once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await fn()
    } finally {
      // Hand the slot straight to the next in line, so that no newcomer can jump the queue.
      const next = this.waiting.shift()
      if (next !== undefined) next()
      else this.active--
    }
  }
}

/** A pause every request waits out before it starts: a rate limit pauses all, not just one. */
export class SharedPause {
  private until = 0

  constructor(private readonly sleep: Sleep) {}

  /** Waits until the pause is over, however often it is extended meanwhile. */
  async waitOut(): Promise<void> {
    for (let wait = this.until - Date.now(); wait > 0; wait = this.until - Date.now()) {
      await this.sleep(wait)
    }
  }

  /** Makes the pause last until `ms` from now; false when it already lasts longer. */
  extend(ms: number): boolean {
    const until = Date.now() + ms
    if (until <= this.until) return false
    this.until = until
    return true
  }
}

/** Starts each function at least `intervalMs` after the previous one ended. */
export class Spacing {
  private lastEnd = 0

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: Sleep
  ) {}

  /** Runs `fn` once the interval since the last one is over (call one at a time). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const gap = this.lastEnd + this.intervalMs - Date.now()
    if (gap > 0) await this.sleep(gap)
    try {
      return await fn()
    } finally {
      this.lastEnd = Date.now()
    }
  }
}
