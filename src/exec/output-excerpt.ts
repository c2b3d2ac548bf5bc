import { leftOutLinesMark } from '../model/left-out-lines.js'
import {
  CR,
  LF,
  alignToCharacterStart,
  characterStartAtOrBefore,
  lineBreaksIn,
  lineText,
  shownBytes,
  withoutCR,
  type ShownLine
} from './excerpt-lines.js'

/** How much of a task's output its excerpt keeps: lines and bytes at each end, bytes per line. */
export interface ExcerptLimits {
  /** First lines kept (default 20). */
  headLines: number
  /** Bytes the first lines may take, cut marks included (default 2 KiB). */
  headBytes: number
  /** Last lines kept (default 50). */
  tailLines: number
  /** Bytes the last lines may take, cut marks included (default 4 KiB). */
  tailBytes: number
  /** Bytes of one line shown; a longer line is cut with a mark saying how much is left out. */
  lineBytes: number
}

export const DEFAULT_EXCERPT_LIMITS: ExcerptLimits = {
  headLines: 20,
  headBytes: 2 * 1024,
  tailLines: 50,
  tailBytes: 4 * 1024,
  lineBytes: 512
}

// The window holds a few bytes beyond tailBytes: a final CR LF that is dropped, the line break in
// front of the oldest kept line (to know that line is whole), and UTF-8 alignment.
const TAIL_WINDOW_SLACK = 8

/**
 * The first and the last lines of an output fed to it in order, with the count of the lines in
 * between, in bounded memory: the head is taken as the output streams, the end stays in a ring.
 * Lines end at LF; a CR before an LF and a final line break are not shown.
 */
export class OutputExcerpt {
  private readonly limits: ExcerptLimits
  private totalBytes = 0
  private lineBreaks = 0
  private lastByte = -1
  /** Length of the line being written, and of the last whole one (without its CR LF). */
  private currentLineBytes = 0
  private previousLineBytes = 0

  private readonly headLines: ShownLine[] = []
  private headUsed = 0
  private headClosed: boolean
  /** The start of the line being written, while the head may still take it. */
  private pending: Buffer | undefined
  private pendingKept = 0

  // Allocated on the first write: most tasks of a large run print nothing.
  private ring: Buffer | undefined
  private ringEnd = 0

  constructor(limits: Partial<ExcerptLimits> = {}) {
    const given = { ...DEFAULT_EXCERPT_LIMITS, ...limits }
    this.limits = {
      headLines: nonNegativeInteger(given.headLines),
      headBytes: nonNegativeInteger(given.headBytes),
      tailLines: nonNegativeInteger(given.tailLines),
      tailBytes: nonNegativeInteger(given.tailBytes),
      lineBytes: Math.max(1, nonNegativeInteger(given.lineBytes))
    }
    this.headClosed = this.limits.headLines === 0
  }

  /** Bytes held for the excerpt however much was written: the head, a line's start, the ring. */
  get capturedBytes(): number {
    const head = this.headLines.reduce((sum, line) => sum + line.bytes.length, 0)
    return head + (this.pending?.length ?? 0) + (this.ring?.length ?? 0)
  }

  /** Takes in the next chunk of the output. */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return
    const rest = this.headClosed ? 0 : this.takeIntoHead(chunk)
    if (rest < chunk.length) this.countLines(rest === 0 ? chunk : chunk.subarray(rest))
    this.totalBytes += chunk.length
    this.appendToRing(chunk)
  }

  /**
   * The first lines, `… N lines left out …` when some are, and the last lines, as UTF-8, of
   * everything written so far; writing may go on.
   */
  excerpt(): string {
    if (this.totalBytes === 0) return ''
    const lineCount = this.lineBreaks + (this.lastByte === LF ? 0 : 1)
    const head = this.headLines.slice()
    if (!this.headClosed && this.lastByte !== LF) {
      // The last line, still without its line break.
      const partial = this.shownFromStart(
        this.pendingBytes(this.currentLineBytes),
        this.currentLineBytes
      )
      if (this.fitsHead(head.length, this.headUsed, partial)) head.push(partial)
    }
    let tail = this.tailLinesAfter(head.length, lineCount)
    if (head.length === lineCount && (head[head.length - 1]?.cutAtEnd ?? 0) > 0) {
      // The last line, cut, is shown by its end (a progress line's latest state), when it fits.
      const byEnd = this.tailLinesAfter(head.length - 1, lineCount)
      if (byEnd.length > 0) {
        head.pop()
        tail = byEnd
      }
    }
    const leftOutLines = lineCount - head.length - tail.length
    const lines = [
      ...head.map(lineText),
      ...(leftOutLines > 0 ? [leftOutLinesMark(leftOutLines)] : []),
      ...tail.map(lineText)
    ]
    return lines.join('\n')
  }

  /** Takes lines into the head, while it is open; returns where in the chunk it stopped. */
  private takeIntoHead(chunk: Buffer): number {
    let offset = 0
    while (offset < chunk.length && !this.headClosed) {
      const lineBreak = chunk.indexOf(LF, offset)
      const end = lineBreak === -1 ? chunk.length : lineBreak
      this.keepLineStart(chunk, offset, end)
      this.currentLineBytes += end - offset
      if (lineBreak === -1) {
        this.lastByte = chunk[end - 1] as number
        return chunk.length
      }
      // The byte before this LF: in this chunk, or the last byte of an earlier one.
      const endsWithCR = (end > offset ? chunk[end - 1] : this.lastByte) === CR
      const length = this.currentLineBytes - (endsWithCR ? 1 : 0)
      this.finishHeadLine(length)
      this.previousLineBytes = length
      this.currentLineBytes = 0
      this.lineBreaks++
      this.lastByte = LF
      offset = lineBreak + 1
    }
    return offset
  }

  /** Counts the line breaks of output past the head, and the length of its last lines. */
  private countLines(chunk: Buffer): void {
    const { breaks, last, beforeLast } = lineBreaksIn(chunk)
    if (breaks > 0) {
      const length = (beforeLast === -1 ? this.currentLineBytes : 0) + last - (beforeLast + 1)
      const endsWithCR = (last > 0 ? chunk[last - 1] : this.lastByte) === CR
      this.previousLineBytes = length - (endsWithCR ? 1 : 0)
      this.currentLineBytes = 0
      this.lineBreaks += breaks
    }
    this.currentLineBytes += chunk.length - (last + 1)
    this.lastByte = chunk[chunk.length - 1] as number
  }

  /** Copies what the head may need of the line being written: its first lineBytes + 4 bytes. */
  private keepLineStart(chunk: Buffer, start: number, end: number): void {
    this.pending ??= Buffer.allocUnsafe(this.limits.lineBytes + 4)
    const room = this.pending.length - this.pendingKept
    if (room > 0) {
      this.pendingKept += chunk.copy(
        this.pending,
        this.pendingKept,
        start,
        Math.min(end, start + room)
      )
    }
  }

  /** The kept start of the line being written, up to `length` bytes. */
  private pendingBytes(length: number): Buffer {
    return (this.pending ?? Buffer.alloc(0)).subarray(0, Math.min(this.pendingKept, length))
  }

  /** A whole line went by: into the head if it fits, else the head is complete. */
  private finishHeadLine(length: number): void {
    const line = this.shownFromStart(this.pendingBytes(length), length)
    this.pendingKept = 0
    if (!this.fitsHead(this.headLines.length, this.headUsed, line)) {
      this.closeHead()
      return
    }
    this.headLines.push({ ...line, bytes: Buffer.from(line.bytes) })
    this.headUsed += (this.headLines.length > 1 ? 1 : 0) + shownBytes(line)
    if (this.headLines.length === this.limits.headLines) this.closeHead()
  }

  /** Whether one more line fits the head's line count and bytes. */
  private fitsHead(count: number, used: number, line: ShownLine): boolean {
    const separator = count > 0 ? 1 : 0
    return (
      count < this.limits.headLines && used + separator + shownBytes(line) <= this.limits.headBytes
    )
  }

  /** The head is full: later lines go only to the tail. */
  private closeHead(): void {
    this.headClosed = true
    this.pending = undefined
  }

  /** A line's start, cut at lineBytes (at a character's start) when it is longer. */
  private shownFromStart(bytes: Buffer, length: number): ShownLine {
    if (length <= this.limits.lineBytes) return { bytes, cutAtEnd: 0, cutAtStart: 0 }
    const kept = characterStartAtOrBefore(bytes, this.limits.lineBytes)
    return { bytes: bytes.subarray(0, kept), cutAtEnd: length - kept, cutAtStart: 0 }
  }

  /**
   * Walks back from the end over the lines after the head's that fit the tail's limits. The last
   * line, when cut, is shown by its end; the others by their start.
   */
  private tailLinesAfter(headCount: number, lineCount: number): ShownLine[] {
    const { tailLines, tailBytes } = this.limits
    const window = this.ringWindow()
    const windowOffset = this.totalBytes - window.length
    let lineEnd = window.length
    if (this.lastByte === LF) lineEnd = withoutCR(window, lineEnd - 1)
    const shown: ShownLine[] = []
    let used = 0
    for (let index = lineCount - 1; index >= headCount && shown.length < tailLines; index--) {
      const lineBreak = lineEnd === 0 ? -1 : window.lastIndexOf(LF, lineEnd - 1)
      const bytes = window.subarray(lineBreak + 1, lineEnd)
      const isLast = index === lineCount - 1
      let line: ShownLine
      if (lineBreak === -1 && windowOffset > 0) {
        // It began before the window: only the last line can be shown so.
        if (!isLast) break
        const length = this.lastByte === LF ? this.previousLineBytes : this.currentLineBytes
        line = this.shownFromEnd(bytes, length)
      } else {
        line = isLast
          ? this.shownFromEnd(bytes, bytes.length)
          : this.shownFromStart(bytes, bytes.length)
      }
      const needed = (shown.length > 0 ? 1 : 0) + shownBytes(line)
      if (used + needed > tailBytes) break
      shown.unshift(line)
      used += needed
      if (lineBreak === -1) break
      lineEnd = withoutCR(window, lineBreak)
    }
    return shown
  }

  /** A line's end (`bytes`, the last of its `length`), cut at lineBytes at a character's start. */
  private shownFromEnd(bytes: Buffer, length: number): ShownLine {
    if (length <= this.limits.lineBytes && bytes.length === length) {
      return { bytes, cutAtEnd: 0, cutAtStart: 0 }
    }
    const start = alignToCharacterStart(bytes, Math.max(0, bytes.length - this.limits.lineBytes))
    return {
      bytes: bytes.subarray(start),
      cutAtEnd: 0,
      cutAtStart: length - (bytes.length - start)
    }
  }

  /** Keeps the chunk's end in the ring of the output's last bytes. */
  private appendToRing(chunk: Buffer): void {
    if (this.limits.tailLines === 0 || this.limits.tailBytes === 0) return
    this.ring ??= Buffer.allocUnsafe(this.limits.tailBytes + TAIL_WINDOW_SLACK)
    const ring = this.ring
    const visible = chunk.length > ring.length ? chunk.subarray(chunk.length - ring.length) : chunk
    const untilWrap = ring.length - this.ringEnd
    visible.copy(ring, this.ringEnd, 0, Math.min(untilWrap, visible.length))
    if (visible.length > untilWrap) visible.copy(ring, 0, untilWrap)
    this.ringEnd = (this.ringEnd + visible.length) % ring.length
  }

  /** The last bytes of the output, oldest first. */
  private ringWindow(): Buffer {
    const ring = this.ring
    if (ring === undefined) return Buffer.alloc(0)
    if (this.totalBytes < ring.length) return ring.subarray(0, this.totalBytes)
    return Buffer.concat([ring.subarray(this.ringEnd), ring.subarray(0, this.ringEnd)])
  }
}

/** A limit as a whole number, 0 for anything not finite or below 0. */
function nonNegativeInteger(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0
}
