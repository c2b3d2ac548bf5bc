import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { types } from 'node:util'
import type { OutputFile } from './launcher-protocol.js'
import { READ_FLAGS } from '../system/plain-files.js'
import { randomUUID } from 'node:crypto'

export interface TaskOutputOptions {
  /** Bytes kept in memory before spilling the rest to a temp file (default 1 MiB). */
  memoryLimit?: number
  /** Directory for spill files (default os.tmpdir()). */
  tempDir?: string
  /** How many trailing lines tail() keeps (default 50). */
  tailLines?: number
  /** Byte cap for the text tail() returns (default 8 KiB). */
  tailBytes?: number
  /**
   * Keep every byte for replay() (default true). Without it only the tail is kept: for log modes
   * that print output as it comes or not at all, storing it whole would only fill the disk.
   */
  retain?: boolean
}

export interface OutputTail {
  /** The last lines, without the final line break, decoded as UTF-8. */
  text: string
  /** True when earlier output was left out. */
  truncated: boolean
}

const DEFAULT_MEMORY_LIMIT = 1024 * 1024
/** Output kept per task for the summary, annotations and results file: lines, and bytes. */
const DEFAULT_TAIL_LINES = 50
const DEFAULT_TAIL_BYTES = 8 * 1024

// Small outputs get small blocks; big ones stop growing here so a block is never mostly empty.
const FIRST_BLOCK_SIZE = 4 * 1024
const MAX_BLOCK_SIZE = 64 * 1024
const REPLAY_READ_SIZE = 64 * 1024
const REPLAY_YIELD_BYTES = 1024 * 1024
// The tail window holds a few bytes beyond tailBytes: a final CR LF that is dropped, the line
// break in front of the oldest kept line (to know that line is whole), and UTF-8 alignment.
const TAIL_WINDOW_SLACK = 8
const LF = 0x0a
const CR = 0x0d

/** A range of a spill file, in the order the output came. */
interface Segment {
  path: string
  start: number
  bytes: number
}

/**
 * Everything one task prints (stdout and stderr, in arrival order), with bounded memory: the
 * first `memoryLimit` bytes stay in memory, the rest goes to temp files: its own, and those a
 * launcher wrote itself (see spillTarget). The last lines are kept separately in a small ring
 * buffer so tail() never re-reads the output.
 */
export class TaskOutput {
  private readonly memoryLimit: number
  private readonly tempDir: string
  private readonly tailLines: number
  private readonly tailBytes: number
  private readonly retain: boolean

  // Chunks are copied into blocks so many tiny writes don't cost one Buffer object each.
  private readonly blocks: Buffer[] = []
  private lastBlockUsed = 0
  private memoryBytes = 0
  /** Set once output went to a file: all later output goes to files too, to keep its order. */
  private memoryClosed = false

  /** What is not in memory, in order: ranges of this object's own spill file and of targets'. */
  private readonly segments: Segment[] = []
  private spillFile: string | undefined
  private spillFd: number | undefined
  private spillFileBytes = 0
  /** Targets handed out, to remove their files. */
  private readonly targets: { path: string; mayExist: () => boolean }[] = []
  private spillFailure: Error | undefined
  private lostBytes = 0

  // Allocated on the first write: most tasks of a large run print nothing.
  private tailRingBuffer: Buffer | undefined
  private tailRingEnd = 0
  /** Bytes at the end of the last segment that the tail ring has not taken in yet. */
  private tailBehind = 0
  private totalBytes = 0
  private disposed = false

  constructor(options: TaskOutputOptions = {}) {
    this.memoryLimit = nonNegativeInteger(options.memoryLimit, DEFAULT_MEMORY_LIMIT)
    this.tempDir = options.tempDir ?? os.tmpdir()
    this.tailLines = nonNegativeInteger(options.tailLines, DEFAULT_TAIL_LINES)
    this.tailBytes = nonNegativeInteger(options.tailBytes, DEFAULT_TAIL_BYTES)
    this.retain = options.retain ?? true
  }

  /** Total bytes written, including any that could not be kept. */
  get byteLength(): number {
    return this.totalBytes
  }

  /** Path of this object's own spill file, once output went past the memory limit. */
  get spillPath(): string | undefined {
    return this.spillFd !== undefined ? this.spillFile : undefined
  }

  /**
   * A file someone else (a launcher) may append the output that comes next to, after writing
   * `after` more bytes here (at most `inMemoryAtMost`). Undefined when output is not kept.
   */
  spillTarget(inMemoryAtMost = Infinity): OutputFile | undefined {
    if (!this.retain || this.disposed) return undefined
    const path = this.newSpillPath()
    const after = Math.min(this.memoryRoom, inMemoryAtMost)
    const writtenBefore = this.totalBytes
    let counted = 0
    // Whoever writes it creates it only once `after` bytes went by: most tasks never get there.
    this.targets.push({
      path,
      mayExist: () => counted > 0 || this.totalBytes - writtenBefore >= after
    })
    const appended = (bytes: number): void => {
      if (this.disposed || bytes <= 0) return
      this.addSegment(path, counted, bytes)
      counted += bytes
      this.totalBytes += bytes
      this.tailBehind += bytes
    }
    return { path, after, appended }
  }

  /** Bytes that could not be kept because writing the spill file failed (see spillError). */
  get droppedBytes(): number {
    return this.lostBytes
  }

  /** Why the spill file could not be written, if it could not. */
  get spillError(): Error | undefined {
    return this.spillFailure
  }

  /** Appends a chunk; its bytes are copied, so the caller may reuse it. I/O errors don't throw. */
  write(chunk: Buffer): void {
    if (this.disposed) throw new Error('TaskOutput: write after dispose')
    if (chunk.length === 0) return
    this.totalBytes += chunk.length
    this.catchUpTail()
    this.appendToTail(chunk)
    if (!this.retain) return

    const memoryRoom = this.memoryRoom
    if (memoryRoom >= chunk.length) {
      this.appendToMemory(chunk)
      return
    }
    if (memoryRoom > 0) this.appendToMemory(chunk.subarray(0, memoryRoom))
    this.appendToSpill(memoryRoom > 0 ? chunk.subarray(memoryRoom) : chunk)
  }

  /**
   * Streams everything written before the call, in order, to `sink`. A chunk handed over is never
   * modified later, so the sink may keep it, unless `sinkHoldsNothing` says after the chunk (and
   * the sink's promise, if it returned one) that the sink kept no reference to it: then the next
   * read from the spill file may go into the same buffer.
   */
  async replay(
    sink: (chunk: Buffer) => void | Promise<void>,
    sinkHoldsNothing?: () => boolean
  ): Promise<void> {
    if (this.disposed) throw new Error('TaskOutput: replay after dispose')
    // What exists now is what gets replayed, whatever is written meanwhile.
    const blocks = this.blocks.slice()
    const lastBlockUsed = this.lastBlockUsed
    const segments = this.segments.map(segment => ({ ...segment }))

    for (const [index, block] of blocks.entries()) {
      await sink(block.subarray(0, index === blocks.length - 1 ? lastBlockUsed : block.length))
    }
    let buffer: Buffer | undefined
    let replayed = 0
    for (const { path: file, start, bytes } of segments) {
      // Read synchronously: the file was just written and is in the page cache, and a thread-pool
      // round trip per read took about a fifth of a large replay's time.
      // Reopened by path in a folder tasks can write to: no FIFO or link put in its place is followed.
      const fd = fs.openSync(file, READ_FLAGS)
      try {
        for (let position = start; position < start + bytes;) {
          const left = start + bytes - position
          if (buffer === undefined || sinkHoldsNothing?.() !== true) {
            buffer = Buffer.allocUnsafeSlow(Math.min(REPLAY_READ_SIZE, left))
          }
          const bytesRead = fs.readSync(fd, buffer, 0, Math.min(buffer.length, left), position)
          if (bytesRead === 0) throw new Error(`TaskOutput: spill file ${file} is truncated`)
          position += bytesRead
          replayed += bytesRead
          await sink(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead))
          // A sink that never waits would otherwise keep the event loop from other tasks'
          // output, timers and signals for the whole replay.
          if (replayed % REPLAY_YIELD_BYTES < bytesRead) await nextTurnOfEventLoop()
        }
      } finally {
        fs.closeSync(fd)
      }
    }
  }

  /** The last lines, cut to tailLines and tailBytes. Still works after dispose(). */
  tail(): OutputTail {
    this.catchUpTail()
    const window = this.tailWindow()
    const windowOffset = this.totalBytes - window.length
    if (this.tailLines === 0 || this.tailBytes === 0) {
      return { text: '', truncated: this.totalBytes > 0 }
    }

    let end = window.length
    if (end > 0 && window[end - 1] === LF) {
      end--
      if (end > 0 && window[end - 1] === CR) end--
    }

    // Walk back over whole lines while they fit both limits.
    let start = end
    let lineEnd = end
    let lines = 0
    let cutInsideLine = false
    while (lines < this.tailLines) {
      const lineBreak = lineEnd === 0 ? -1 : window.lastIndexOf(LF, lineEnd - 1)
      const lineStart = lineBreak + 1
      const lineBeginsBeforeWindow = lineBreak === -1 && windowOffset > 0
      if (end - lineStart > this.tailBytes || lineBeginsBeforeWindow) {
        // A last line too long to show whole: keep its end rather than nothing.
        if (lines === 0) {
          start = alignToCharacterStart(window, Math.max(lineStart, end - this.tailBytes), end)
          cutInsideLine = true
        }
        break
      }
      start = lineStart
      lines++
      if (lineBreak === -1) break
      lineEnd = lineBreak
    }

    const truncated = cutInsideLine || windowOffset + start > 0
    const text = window
      .subarray(start, end)
      .toString('utf8')
      .replace(/\r(?=\n)/g, '')
    return { text, truncated }
  }

  /**
   * Deletes the spill file and frees the kept output; idempotent. tail() stays available. The file
   * is removed off the main thread (removing a large file takes a while): await to know it is gone.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return
    // tail() outlives the spill file.
    this.catchUpTail()
    this.disposed = true
    this.blocks.length = 0
    this.memoryBytes = 0
    if (this.spillFd !== undefined) {
      try {
        fs.closeSync(this.spillFd)
      } catch {
        // Already unusable; deleting the file below is what matters.
      }
      this.spillFd = undefined
    }
    // A leftover process may still hold it open (EBUSY on Windows): the job's temp dir goes anyway.
    const files = this.targets.filter(target => target.mayExist()).map(target => target.path)
    if (this.spillFile !== undefined) files.push(this.spillFile)
    await Promise.all(files.map(file => fs.promises.rm(file, { force: true }).catch(() => {})))
  }

  private appendToMemory(bytes: Buffer): void {
    let offset = 0
    while (offset < bytes.length) {
      let block = this.blocks[this.blocks.length - 1]
      if (block === undefined || this.lastBlockUsed === block.length) {
        block = Buffer.allocUnsafeSlow(this.nextBlockSize())
        this.blocks.push(block)
        this.lastBlockUsed = 0
      }
      const copied = bytes.copy(block, this.lastBlockUsed, offset)
      this.lastBlockUsed += copied
      this.memoryBytes += copied
      offset += copied
    }
  }

  private nextBlockSize(): number {
    const previous = this.blocks[this.blocks.length - 1]?.length ?? FIRST_BLOCK_SIZE / 2
    return Math.min(previous * 2, MAX_BLOCK_SIZE, this.memoryLimit - this.memoryBytes)
  }

  private appendToSpill(bytes: Buffer): void {
    let offset = 0
    try {
      if (this.spillFailure !== undefined) throw this.spillFailure
      if (this.spillFd === undefined) {
        this.spillFile = this.newSpillPath()
        this.spillFd = fs.openSync(this.spillFile, 'wx', 0o600)
      }
      while (offset < bytes.length) {
        const written = fs.writeSync(this.spillFd, bytes, offset, bytes.length - offset)
        this.addSegment(this.spillFile as string, this.spillFileBytes, written)
        offset += written
        this.spillFileBytes += written
      }
    } catch (error) {
      // Output is not worth crashing the run for: keep counting and report it via spillError.
      this.spillFailure ??= types.isNativeError(error) ? error : new Error(String(error))
      this.lostBytes += bytes.length - offset
    }
  }

  private get memoryRoom(): number {
    return this.memoryClosed ? 0 : this.memoryLimit - this.memoryBytes
  }

  /** Output at `start` of `file` comes next: extends the last segment when it is the same run. */
  private addSegment(file: string, start: number, bytes: number): void {
    this.memoryClosed = true
    const last = this.segments[this.segments.length - 1]
    if (last?.path === file && last.start + last.bytes === start) last.bytes += bytes
    else this.segments.push({ path: file, start, bytes })
  }

  private newSpillPath(): string {
    // Every task asks for a path (see spillTarget): one random part per process, then a count.
    spillNamePrefix ??= `task-output-${randomUUID()}`
    return path.join(this.tempDir, `${spillNamePrefix}-${++spillNameCount}.log`)
  }

  /** Takes the end of what a target's writer appended into the tail ring. */
  private catchUpTail(): void {
    if (this.tailBehind === 0) return
    const last = this.segments[this.segments.length - 1] as Segment
    const length = Math.min(this.tailBehind, this.tailRing.length, last.bytes)
    this.tailBehind = 0
    const bytes = Buffer.allocUnsafe(length)
    let read = 0
    try {
      const fd = fs.openSync(last.path, READ_FLAGS)
      try {
        read = fs.readSync(fd, bytes, 0, length, last.start + last.bytes - length)
      } finally {
        fs.closeSync(fd)
      }
    } catch {
      // Only the tail shown in the summary suffers: the replay reports a missing file itself.
    }
    this.appendToTail(bytes.subarray(0, read))
  }

  private get tailRing(): Buffer {
    this.tailRingBuffer ??= Buffer.allocUnsafe(this.tailBytes + TAIL_WINDOW_SLACK)
    return this.tailRingBuffer
  }

  private appendToTail(chunk: Buffer): void {
    const ring = this.tailRing
    const visible = chunk.length > ring.length ? chunk.subarray(chunk.length - ring.length) : chunk
    const untilWrap = ring.length - this.tailRingEnd
    if (visible.length <= untilWrap) {
      visible.copy(ring, this.tailRingEnd)
    } else {
      visible.copy(ring, this.tailRingEnd, 0, untilWrap)
      visible.copy(ring, 0, untilWrap)
    }
    this.tailRingEnd = (this.tailRingEnd + visible.length) % ring.length
  }

  /** The last bytes of the output, oldest first. */
  private tailWindow(): Buffer {
    if (this.totalBytes === 0) return Buffer.alloc(0)
    const ring = this.tailRing
    if (this.totalBytes < ring.length) return ring.subarray(0, this.totalBytes)
    return Buffer.concat([ring.subarray(this.tailRingEnd), ring.subarray(0, this.tailRingEnd)])
  }
}

let spillNamePrefix: string | undefined
let spillNameCount = 0

function nextTurnOfEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

function nonNegativeInteger(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback
  return Math.max(0, Math.floor(value))
}

/** Moves `index` forward past UTF-8 continuation bytes so decoding doesn't start mid-character. */
function alignToCharacterStart(bytes: Buffer, index: number, end: number): number {
  let aligned = index
  // A character is at most 4 bytes; further continuation bytes are invalid and decode as U+FFFD.
  while (aligned < end && aligned - index < 3 && ((bytes[aligned] as number) & 0xc0) === 0x80) {
    aligned++
  }
  return aligned
}
