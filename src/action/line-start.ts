import { ANNOTATION_NAMES, BRACKET, COLON, CR, HASH, LF, SPACE } from './command-syntax.js'

// Neither exported nor imported: skipBlanks reads them for every byte of leading white space, and
// V8 reads an exported or imported binding through a cell every time (decision 002).
/** What a byte at the start of a line (before any other character) can be. */
const OTHER = 0
/** White space for .NET in every encoding: \t \v \f and space. */
const BLANK = 1
/**
 * Possibly white space or ignorable for the runner: other controls, DEL and every byte >= 0x80
 * (UTF-8 encodes the Unicode spaces with them; code pages have NBSP, NEL, ideographic space...).
 */
const MAYBE_BLANK = 2
/** A line break. */
const BREAK = 3

/** The class (OTHER, BLANK, MAYBE_BLANK or BREAK) of each byte at the start of a line. */
const LEAD_CLASS = new Uint8Array(256)
for (let b = 0; b < 256; b++) {
  if (b === LF || b === CR) LEAD_CLASS[b] = BREAK
  else if (b === 0x09 || b === 0x0b || b === 0x0c || b === SPACE) LEAD_CLASS[b] = BLANK
  else if (b < SPACE || b >= 0x7f) LEAD_CLASS[b] = MAYBE_BLANK
  else LEAD_CLASS[b] = OTHER
}

/**
 * Where the current line stands. Lines are classified as they arrive, byte by byte only for their
 * first few bytes; the rest is found with indexOf.
 * - start: at the start of a line, nothing of it seen;
 * - blanks: only white space so far;
 * - colon1: white space then one ':';
 * - name: "::" then the first `nameLength` letters of an annotation name;
 * - name-colon: "::" + a whole annotation name + ':';
 * - await-separator: "::" + annotation name + ' ': an annotation if "::" follows, else maybe a
 *   legacy command;
 * - ordinary: not a V2 command; (with no neutralisation open) watching for "##[" until the line
 *   ends;
 * - pass: decided, the rest of the line goes out as it is.
 */
export type LineState =
  'start' | 'blanks' | 'colon1' | 'name' | 'name-colon' | 'await-separator' | 'ordinary' | 'pass'

/**
 * What a line is to the runner: `annotation`, an annotation (or debug) command it would act on;
 * `forbidden`, maybe some other command, which must be inside stop-commands; `plain`, nothing it
 * acts on, fine either way.
 */
export type LineKind = 'annotation' | 'forbidden' | 'plain'

/** Where the white space at the start of `line` ends; bytes that may be white space count when `uncertain`. */
export function leadingBlanks(line: Buffer, uncertain: boolean): number {
  let i = 0
  while (i < line.length) {
    const lead = LEAD_CLASS[line[i] as number]
    if (lead === BLANK || (lead === MAYBE_BLANK && uncertain)) i++
    else break
  }
  return i
}

/** Reads the first bytes of a line until it can tell whether the runner would act on it. */
export class LineStart {
  state: LineState = 'start'
  /** '#' (up to 2) that ended what was read of the line, for a "##[" split across chunks. */
  hashRun = 0
  /** What the last step found the line to be; the caller acts on it and resets it. */
  verdict: LineKind | undefined = undefined
  private uncertainBlank = false
  private nameIndex = 0
  private nameLength = 0
  private previousColon = false
  private sawLegacy = false

  /** Starts reading a new line. */
  restart(): void {
    this.state = 'start'
    this.uncertainBlank = false
  }

  /** Forgets the line: what the start of a stream needs. */
  reset(): void {
    this.restart()
    this.hashRun = 0
  }

  /** Whether the line is being read and not decided yet. */
  get isUndecided(): boolean {
    return this.state !== 'start' && this.state !== 'pass'
  }

  /** Reads byte `i` of `chunk`, not a line break; returns where to go on (`i` to read it again). */
  step(chunk: Buffer, i: number, open: boolean): number {
    const b = chunk[i] as number
    switch (this.state) {
      case 'start':
      case 'blanks':
        return this.atLead(chunk, b, i, open)
      case 'colon1':
        return this.afterColon(b, i, open)
      case 'name':
        return this.inName(b, i)
      case 'name-colon':
        return this.decided(b === COLON ? 'annotation' : 'forbidden', i + 1)
      case 'await-separator':
        return this.beforeSeparator(b, i)
      default:
        throw new Error(`CommandGuard: unexpected state ${this.state}`)
    }
  }

  /** What the line is if it ends here, undecided. */
  kindAtLineEnd(): LineKind {
    switch (this.state) {
      case 'name':
      case 'name-colon':
        // "::" and then no annotation: possibly a command, cheap to neutralise.
        return 'forbidden'
      case 'await-separator':
        // No "::" after the name, so TryParseV2 fails and the legacy form decides.
        return this.sawLegacy ? 'forbidden' : 'plain'
      default:
        return 'plain'
    }
  }

  /** 'start', 'blanks': white space, or the first ':' of a V2 command, or neither. */
  private atLead(chunk: Buffer, b: number, i: number, open: boolean): number {
    if (!open) {
      const j = this.skipBlanks(chunk, b, i)
      if (j > i) return j
    }
    const lead = LEAD_CLASS[b] as number
    if (lead === BLANK) {
      this.state = 'blanks'
      return i + 1
    }
    if (lead === MAYBE_BLANK) {
      // Such a line is never let through as an annotation.
      if (open) return this.decided('plain', i + 1)
      this.uncertainBlank = true
      this.state = 'blanks'
      return i + 1
    }
    if (b === COLON) {
      this.state = 'colon1'
      return i + 1
    }
    return this.notV2(i, open)
  }

  /** Skips the white space from byte `i` (value `b`) on; returns where it ends. */
  private skipBlanks(chunk: Buffer, b: number, i: number): number {
    // A tight loop: text in non-Latin scripts is all bytes >= 0x80, possible white space to the
    // runner, so a whole line can be walked here.
    const n = chunk.length
    let j = i
    let lead = LEAD_CLASS[b] as number
    while (lead === BLANK || lead === MAYBE_BLANK) {
      if (lead === MAYBE_BLANK) this.uncertainBlank = true
      this.state = 'blanks'
      if (++j === n) return j
      lead = LEAD_CLASS[chunk[j] as number] as number
    }
    return j
  }

  /** 'colon1': a second ':' starts a V2 command, an annotation only after certain white space. */
  private afterColon(b: number, i: number, open: boolean): number {
    if (b !== COLON) return this.notV2(i, open)
    if (this.uncertainBlank) return this.decided('forbidden', i + 1)
    this.state = 'name'
    this.nameLength = 0
    return i + 1
  }

  /** 'name': the next letter of an annotation name, in either case. */
  private inName(b: number, i: number): number {
    const lower = b | 0x20
    if (this.nameLength === 0) {
      const index = ANNOTATION_NAMES.findIndex(name => name[0] === lower)
      if (index < 0) return this.decided('forbidden', i + 1)
      this.nameIndex = index
    } else {
      const name = ANNOTATION_NAMES[this.nameIndex] as Buffer
      if (this.nameLength === name.length) return this.afterName(b, i)
      // `b | 0x20` equals a lower-case letter only for that letter and its capital.
      if (name[this.nameLength] !== lower) return this.decided('forbidden', i + 1)
    }
    this.nameLength++
    return i + 1
  }

  /** The byte after a whole annotation name: ' ' (command info follows) or ':'. */
  private afterName(b: number, i: number): number {
    if (b === SPACE) {
      this.state = 'await-separator'
      this.previousColon = false
      this.hashRun = 0
      this.sawLegacy = false
      return i + 1
    }
    if (b === COLON) {
      this.state = 'name-colon'
      return i + 1
    }
    return this.decided('forbidden', i + 1)
  }

  /** 'await-separator': "::" ends the command info; a "##[" on the way counts at the line end. */
  private beforeSeparator(b: number, i: number): number {
    if (b === COLON) {
      if (this.previousColon) return this.decided('annotation', i + 1)
      this.previousColon = true
      this.hashRun = 0
      return i + 1
    }
    this.previousColon = false
    if (b === HASH) {
      if (this.hashRun < 2) this.hashRun++
    } else {
      if (b === BRACKET && this.hashRun === 2) this.sawLegacy = true
      this.hashRun = 0
    }
    return i + 1
  }

  /** The line cannot be a V2 command (it does not start with "::"). */
  private notV2(i: number, open: boolean): number {
    // Already neutralised, and no annotation: nothing to look for until the line ends.
    if (open) return this.decided('plain', i)
    this.state = 'ordinary'
    return i
  }

  /** The line is of `kind`: the rest of it passes; returns `next`. */
  private decided(kind: LineKind, next: number): number {
    this.verdict = kind
    this.state = 'pass'
    return next
  }
}
