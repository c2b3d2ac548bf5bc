import { CR, LEGACY_PREFIX, LF } from './command-syntax.js'

/** A position not searched for yet; -1 means none in the rest of the chunk. */
const NOT_SEARCHED = -2

/**
 * The next line break and the next "##[" in a chunk, each searched once per chunk and position
 * rather than once per line, so that a chunk without any costs one scan.
 */
export class ChunkSearch {
  private chunk: Buffer = Buffer.alloc(0)
  private lfAt = NOT_SEARCHED
  private crAt = NOT_SEARCHED
  private legacyAt = NOT_SEARCHED

  /** Starts on a new chunk. */
  reset(chunk: Buffer): void {
    this.chunk = chunk
    this.lfAt = NOT_SEARCHED
    this.crAt = NOT_SEARCHED
    this.legacyAt = NOT_SEARCHED
  }

  /** The index of the first "\n" or "\r" from `from` on, or -1. */
  nextBreak(from: number): number {
    if (this.lfAt !== -1 && this.lfAt < from) this.lfAt = this.chunk.indexOf(LF, from)
    if (this.crAt !== -1 && this.crAt < from) this.crAt = this.chunk.indexOf(CR, from)
    if (this.lfAt < 0) return this.crAt
    if (this.crAt < 0) return this.lfAt
    return Math.min(this.lfAt, this.crAt)
  }

  /** The index of the first "##[" from `from` on, or -1. */
  nextLegacy(from: number): number {
    if (this.legacyAt !== -1 && this.legacyAt < from) {
      this.legacyAt = this.chunk.indexOf(LEGACY_PREFIX, from)
    }
    return this.legacyAt
  }
}
