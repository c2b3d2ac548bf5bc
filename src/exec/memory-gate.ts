import { type MemoryReader } from '../system/memory.js'
import { type StartGate } from './start-gate.js'

/** How long tasks refused for memory wait before it is read again, unless a task ends first. */
export const MEMORY_RETRY_MS = 500

/** What a memory gate needs. */
export interface MemoryGateOptions {
  /** `memfree`: the bytes that must be available for one more task to start. */
  memfree: number
  /** Reads the machine's memory afresh. */
  read: MemoryReader
  /** Called the first time a task is refused, with the bytes available then. */
  onFirstWait?: (available: number) => void
  /** Milliseconds between readings while tasks wait (MEMORY_RETRY_MS unless given). */
  retryMs?: number
}

/**
 * `memfree` as a start gate: one more task may start only while the available memory is at least
 * `memfree`, read afresh each time it is asked (memory changes by the millisecond, so a cached
 * figure would be stale by the next start). Keeps the last reading for the progress line.
 */
export class MemoryGate implements StartGate {
  readonly memfree: number
  readonly retryMs: number
  private readonly read: MemoryReader
  private readonly onFirstWait: ((available: number) => void) | undefined
  private lastAvailable: number | undefined
  private waited = false

  constructor(options: MemoryGateOptions) {
    this.memfree = options.memfree
    this.read = options.read
    this.onFirstWait = options.onFirstWait
    this.retryMs = options.retryMs ?? MEMORY_RETRY_MS
  }

  /** Whether the memory available now is at least `memfree`. */
  admits(): boolean {
    const { available } = this.read()
    this.lastAvailable = available
    if (available >= this.memfree) return true
    if (!this.waited) {
      this.waited = true
      this.onFirstWait?.(available)
    }
    return false
  }

  /** The bytes available at the last reading, or undefined before the first. */
  get available(): number | undefined {
    return this.lastAvailable
  }
}
