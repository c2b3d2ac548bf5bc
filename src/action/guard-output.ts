import { isLineBreak, LF } from './command-syntax.js'

const EMPTY = Buffer.alloc(0)

/**
 * The buffers one call of a guard returns: runs of the chunk as views of it, the guard's own lines,
 * and the start of a line it held back from an earlier chunk (copied).
 */
export class GuardOutput {
  private out: Buffer[] = []
  private chunk: Buffer = EMPTY
  private emitFrom = 0
  private held: Buffer[] = []
  private heldBytes = 0
  private lastByte = LF

  /** True when everything returned so far ends at a line break (or nothing was returned). */
  get atLineStart(): boolean {
    return isLineBreak(this.lastByte)
  }

  /** How many bytes are held back. */
  get heldLength(): number {
    return this.heldBytes
  }

  /** Whether any bytes are held back. */
  get isHolding(): boolean {
    return this.held.length > 0
  }

  /** Starts on a chunk, none of it emitted yet. */
  begin(chunk: Buffer): void {
    this.chunk = chunk
    this.emitFrom = 0
  }

  /** Emits the chunk from where the last run ended up to `end`, as one view (or the chunk itself). */
  flushTo(end: number): void {
    if (end <= this.emitFrom) return
    const chunk = this.chunk
    this.emit(
      this.emitFrom === 0 && end === chunk.length ? chunk : chunk.subarray(this.emitFrom, end)
    )
    this.emitFrom = end
  }

  /** Emits a buffer as it is. */
  emit(buffer: Buffer): void {
    if (buffer.length === 0) return
    this.out.push(buffer)
    this.lastByte = buffer[buffer.length - 1] as number
  }

  /** Emits the chunk up to `from`, and holds back the rest of it. */
  hold(from: number): void {
    this.flushTo(from)
    const part = this.chunk.length - from
    if (part > 0) {
      // Copied: the caller may reuse the chunk once write() returns.
      this.held.push(Buffer.from(this.chunk.subarray(from)))
      this.heldBytes += part
    }
    this.emitFrom = this.chunk.length
  }

  /** Emits what was held back. */
  releaseHeld(): void {
    for (const part of this.held) this.emit(part)
    this.held = []
    this.heldBytes = 0
  }

  /** The buffers emitted since the last call; lets go of the chunk. */
  take(): Buffer[] {
    const out = this.out
    this.out = []
    this.chunk = EMPTY
    this.emitFrom = 0
    return out
  }
}
