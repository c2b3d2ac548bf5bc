import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { types } from 'node:util'
import type { OutputFile } from './launcher-protocol.js'
import { READ_FLAGS } from '../system/plain-files.js'
import { randomUUID } from 'node:crypto'
import { OutputExcerpt, type ExcerptLimits } from './output-excerpt.js'

export interface TaskOutputOptions {
  /** Bytes kept in memory before spilling the rest to a temp file (default 1 MiB). */
  memoryLimit?: number
  /** Directory for spill files (default os.tmpdir()). */
  tempDir?: string
  /** What excerpt() keeps of the current attempt's output (DEFAULT_EXCERPT_LIMITS). */
  excerpt?: Partial<ExcerptLimits>
  /**
   * Keep every byte for replay() (default true). Without it only the excerpt is kept: for log modes
   * that print output as it comes or not at all, storing it whole would only fill the disk.
   */
  retain?: boolean
}

const DEFAULT_MEMORY_LIMIT = 1024 * 1024

// Small outputs get small blocks; big ones stop growing here so a block is never mostly empty.
const FIRST_BLOCK_SIZE = 4 * 1024
const MAX_BLOCK_SIZE = 64 * 1024
const REPLAY_READ_SIZE = 64 * 1024
const REPLAY_YIELD_BYTES = 1024 * 1024
// Bytes a launcher appended are read back for the excerpt in pieces of at most this size.
const EXCERPT_READ_SIZE = 64 * 1024

/** A range of a spill file, in the order the output came. */
interface Segment {
  path: string
  start: number
  bytes: number
}

/**
 * Everything one task prints (stdout and stderr, in arrival order), with bounded memory: the
 * first `memoryLimit` bytes stay in memory, the rest goes to temp files: its own, and those a
 * launcher wrote itself (see spillTarget). The first and last lines of the current attempt are
 * kept separately (OutputExcerpt), so excerpt() never re-reads the output.
 */
export class TaskOutput {
  private readonly memoryLimit: number
  private readonly tempDir: string
  private readonly excerptLimits: Partial<ExcerptLimits>
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

  private attemptExcerpt: OutputExcerpt
  /** Counts attempts: a target's bytes feed the excerpt only during the attempt it was made for. */
  private attempt = 0
  private totalBytes = 0
  private disposed = false

  constructor(options: TaskOutputOptions = {}) {
    this.memoryLimit = nonNegativeInteger(options.memoryLimit, DEFAULT_MEMORY_LIMIT)
    this.tempDir = options.tempDir ?? os.tmpdir()
    this.excerptLimits = options.excerpt ?? {}
    this.attemptExcerpt = new OutputExcerpt(this.excerptLimits)
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
    const attempt = this.attempt
    let counted = 0
    // Whoever writes it creates it only once `after` bytes went by: most tasks never get there.
    this.targets.push({
      path,
      mayExist: () => counted > 0 || this.totalBytes - writtenBefore >= after
    })
    const appended = (bytes: number): void => {
      if (this.disposed || bytes <= 0) return
      this.addSegment(path, counted, bytes)
      // Read now, in order with write(): a piece is at most 64 KiB, so excerpt() has nothing left
      // to read. An attempt that is over has no excerpt any more: nothing to read for it.
      if (attempt === this.attempt) this.readIntoExcerpt(path, counted, bytes)
      counted += bytes
      this.totalBytes += bytes
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
    this.attemptExcerpt.write(chunk)
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

  /**
   * The first and last lines of the current attempt's output, with the count of those left out
   * between (OutputExcerpt). Reads nothing: appended bytes were read as they were reported.
   * Still works after dispose().
   */
  excerpt(): string {
    return this.attemptExcerpt.excerpt()
  }

  /**
   * A new attempt of the command starts: the excerpt starts afresh, while replay() keeps every
   * attempt's output. What a launcher appends to an earlier attempt's file is not read for it.
   */
  startAttempt(): void {
    this.attempt++
    this.attemptExcerpt = new OutputExcerpt(this.excerptLimits)
  }

  /**
   * Deletes the spill file and frees the kept output; idempotent. excerpt() stays available. The
   * file is removed off the main thread (removing a large file takes a while): await to know it is
   * gone.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return
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

  /**
   * Feeds the excerpt a range a launcher just appended (one pipe read, at most 64 KiB), read
   * synchronously like replay(): it is in the page cache, and the excerpt must take it in order.
   * Opened each time: a task that waits for its turn in the log must not hold a descriptor.
   */
  private readIntoExcerpt(file: string, start: number, bytes: number): void {
    try {
      const fd = fs.openSync(file, READ_FLAGS)
      try {
        // One buffer for all tasks: the excerpt copies what it keeps before the next read.
        excerptReadBuffer ??= Buffer.allocUnsafe(EXCERPT_READ_SIZE)
        const buffer = excerptReadBuffer
        for (let position = start; position < start + bytes;) {
          const length = Math.min(buffer.length, start + bytes - position)
          const read = fs.readSync(fd, buffer, 0, length, position)
          if (read === 0) break
          this.attemptExcerpt.write(buffer.subarray(0, read))
          position += read
        }
      } finally {
        fs.closeSync(fd)
      }
    } catch {
      // Only the excerpt suffers: the replay reports a missing file itself.
    }
  }
}

let spillNamePrefix: string | undefined
let excerptReadBuffer: Buffer | undefined
let spillNameCount = 0

function nextTurnOfEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

function nonNegativeInteger(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback
  return Math.max(0, Math.floor(value))
}
