import { ChunkSearch } from './chunk-search.js'
import { BRACKET, HASH, isLineBreak, LEGACY_PREFIX } from './command-syntax.js'
import { type GuardPolicy } from './guard-policies.js'
import { GuardOutput } from './guard-output.js'
import { LineStart, type LineKind } from './line-start.js'
import { type StopCommands } from './stop-commands.js'

const EMPTY = Buffer.alloc(0)

/** Most of one line the guard holds back while it cannot tell yet whether to neutralise it. */
export const MAX_HELD_BYTES = 64 * 1024

/** `annotations`: annotation lines act, every other line that may be a command is neutralised. */
export class AnnotationFilter implements GuardPolicy {
  private readonly output = new GuardOutput()
  private readonly search = new ChunkSearch()
  private readonly line = new LineStart()
  private chunk: Buffer = EMPTY
  private lineStart = 0

  constructor(private readonly wrap: StopCommands) {}

  get atLineStart(): boolean {
    return this.output.atLineStart
  }

  write(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return []
    this.chunk = chunk
    this.output.begin(chunk)
    this.search.reset(chunk)
    this.lineStart = 0
    const carriedHashes = this.line.state === 'ordinary' ? this.line.hashRun : 0
    if (carriedHashes > 0 && completesLegacyPrefix(chunk, carriedHashes)) this.forbidRest()
    this.readLines()
    if (this.line.isUndecided) this.holdLine(carriedHashes)
    this.output.flushTo(chunk.length)
    this.chunk = EMPTY
    return this.output.take()
  }

  end(): Buffer[] {
    this.output.begin(EMPTY)
    this.lineStart = 0
    if (this.line.isUndecided) this.decide(this.line.kindAtLineEnd())
    if (this.wrap.isOpen) this.output.emit(this.wrap.close(!this.output.atLineStart))
    this.line.reset()
    return this.output.take()
  }

  /** Holds back the undecided start of a line, or neutralises it when that would be too long. */
  private holdLine(carriedHashes: number): void {
    if (this.output.heldLength + this.chunk.length - this.lineStart > MAX_HELD_BYTES) {
      // Too long to wait for: neutralise it (when open, simply do not close for it).
      this.forbidRest()
      return
    }
    if (this.line.state === 'ordinary') this.line.hashRun = this.trailingHashes(carriedHashes)
    this.output.hold(this.lineStart)
  }

  /** Reads the chunk line by line. */
  private readLines(): void {
    // Not inlined in write(): V8 would then recompile write() at every call (decision 002).
    const n = this.chunk.length
    for (let i = 0; i < n;) i = this.advance(i)
  }

  /** Reads on from `i` as the line's state says; returns where to go on. */
  private advance(i: number): number {
    switch (this.line.state) {
      case 'pass':
        return this.passRest(i)
      case 'ordinary':
        return this.watchForLegacy(i)
      default:
        return this.leadByte(i)
    }
  }

  /** 'pass': skips to the next line. */
  private passRest(i: number): number {
    const lineBreak = this.search.nextBreak(i)
    return lineBreak < 0 ? this.chunk.length : this.startLine(lineBreak + 1)
  }

  /** 'ordinary': a "##[" before the line ends makes it forbidden, else it is plain. */
  private watchForLegacy(i: number): number {
    const lineBreak = this.search.nextBreak(i)
    const legacy = this.search.nextLegacy(i)
    if (legacy >= 0 && (lineBreak < 0 || legacy < lineBreak)) {
      this.forbidRest()
      return legacy + LEGACY_PREFIX.length
    }
    if (lineBreak < 0) return this.chunk.length
    this.decide('plain')
    return this.startLine(lineBreak + 1)
  }

  /** One byte at the start of a line: a line break decides it, else LineStart reads it. */
  private leadByte(i: number): number {
    if (isLineBreak(this.chunk[i] as number)) {
      this.decide(this.line.kindAtLineEnd())
      return this.startLine(i + 1)
    }
    const next = this.line.step(this.chunk, i, this.wrap.isOpen)
    const verdict = this.line.verdict
    if (verdict !== undefined) {
      this.line.verdict = undefined
      this.decide(verdict)
    }
    return next
  }

  /** The line is forbidden: the rest of it passes, inside a wrap. */
  private forbidRest(): void {
    this.decide('forbidden')
    this.line.state = 'pass'
  }

  /** Starts a new line at `i`; returns `i`. */
  private startLine(i: number): number {
    this.line.restart()
    this.lineStart = i
    return i
  }

  /** The current line is of `kind`: opens or closes a wrap before it if need be, releases it. */
  private decide(kind: LineKind): void {
    const wrap = this.wrap
    const change =
      kind === 'forbidden' ? !wrap.isOpen : kind === 'annotation' && wrap.isOpen && wrap.mayReopen
    if (!change && !this.output.isHolding) return
    this.output.flushTo(this.lineStart)
    if (change) this.output.emit(wrap.isOpen ? wrap.close() : wrap.open())
    this.output.releaseHeld()
  }

  /** How many '#' (up to 2) end the current line's bytes so far. */
  private trailingHashes(carried: number): number {
    const chunk = this.chunk
    let count = 0
    let p = chunk.length - 1
    while (count < 2 && p >= this.lineStart && chunk[p] === HASH) {
      count++
      p--
    }
    if (p < 0) count = Math.min(2, count + carried)
    return count
  }
}

/** Whether a chunk starts with the rest of a "##[" that the previous chunk ended with `hashes` of. */
function completesLegacyPrefix(chunk: Buffer, hashes: number): boolean {
  return (
    (hashes === 2 && chunk[0] === BRACKET) ||
    (chunk.length > 1 && chunk[0] === HASH && chunk[1] === BRACKET)
  )
}
