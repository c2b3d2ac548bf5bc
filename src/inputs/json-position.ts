import { MAX_JSON_DEPTH } from '../model/item.js'

export { MAX_JSON_DEPTH }

/** What a strict JSON scan of a text found. */
export interface JsonAnalysis {
  /** Where parsing first fails, and whether because nesting passes MAX_JSON_DEPTH. */
  error?: { offset: number; tooDeep: boolean }
  /**
   * The first number JavaScript cannot keep exactly: an integer beyond ±2^53 (IDs such as
   * 12345678901234567890 would silently become another ID) or one that overflows to Infinity.
   * Fractions such as 0.1 are not flagged: their nearest double prints back the same.
   */
  inexact?: { offset: number; literal: string }
}

/** Scans `text` as strict JSON once: its first error (or too deep a nesting) and inexact number. */
export function analyzeJson(text: string): JsonAnalysis {
  const analysis: JsonAnalysis = {}
  const outcome = scanJson(text, (start, end) => {
    if (analysis.inexact) return
    const literal = text.slice(start, end)
    const value = Number(literal)
    const integer = /^-?\d+$/.test(literal)
    if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
      analysis.inexact = { offset: start, literal }
    }
  })
  if (outcome.offset !== -1) analysis.error = outcome
  return analysis
}

/** Scans strict JSON, reporting each number's span; returns the offset of the first error or -1. */
function scanJson(
  text: string,
  onNumber: (start: number, end: number) => void
): { offset: number; tooDeep: boolean } {
  const scanner = new JsonScanner(text, onNumber)
  try {
    scanner.value()
    scanner.space()
    return { offset: scanner.pos < text.length ? scanner.pos : -1, tooDeep: false }
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error
    return { offset: error.offset, tooDeep: error.tooDeep }
  }
}

/** Where a scan stopped. */
class JsonScanError {
  constructor(
    readonly offset: number,
    readonly tooDeep: boolean
  ) {}
}

/** A recursive-descent reader of strict JSON that keeps only positions. */
class JsonScanner {
  pos = 0
  private depth = 0

  constructor(
    private readonly text: string,
    private readonly onNumber: (start: number, end: number) => void
  ) {}

  /** One JSON value, after any white space. */
  value(): void {
    this.space()
    const ch = this.text[this.pos]
    if (ch === '{') return this.container('}', () => this.member())
    if (ch === '[') return this.container(']', () => this.value())
    if (ch === '"') return this.string()
    if (ch === 't') return this.literal('true')
    if (ch === 'f') return this.literal('false')
    if (ch === 'n') return this.literal('null')
    return this.number()
  }

  /** JSON's white space. */
  space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) {
      this.pos++
    }
  }

  /** An object or array: entries separated by commas up to its closing bracket. */
  private container(close: string, entry: () => void): void {
    this.enter()
    this.pos++
    this.space()
    if (this.text[this.pos] === close) return this.leave()
    for (;;) {
      entry()
      this.space()
      if (this.text[this.pos] === ',') this.pos++
      else if (this.text[this.pos] === close) return this.leave()
      else this.fail()
    }
  }

  /** One `"key": value` of an object. */
  private member(): void {
    this.space()
    if (this.text[this.pos] !== '"') this.fail()
    this.string()
    this.space()
    this.literal(':')
    this.value()
  }

  /** A string with its escapes; control characters are not allowed raw. */
  private string(): void {
    this.pos++
    for (;;) {
      const ch = this.text[this.pos]
      if (ch === undefined || ch < ' ') this.fail()
      if (ch === '"') return void this.pos++
      if (ch === '\\') {
        this.pos++
        const escape = this.text[this.pos]
        if (escape === 'u') {
          this.unicodeEscape()
          continue
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) this.fail()
      }
      this.pos++
    }
  }

  /** The four hex digits after `\u`, failing at the first that is not one. */
  private unicodeEscape(): void {
    for (let i = 1; i <= 4; i++) {
      if (!/[0-9a-fA-F]/.test(this.text[this.pos + i] ?? '')) {
        this.pos += i
        this.fail()
      }
    }
    this.pos += 5
  }

  /** A number, reported to onNumber. */
  private number(): void {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    match.lastIndex = this.pos
    if (!match.exec(this.text)) this.fail()
    this.onNumber(this.pos, match.lastIndex)
    this.pos = match.lastIndex
  }

  /** Exactly `word`. */
  private literal(word: string): void {
    for (const ch of word) {
      if (this.text[this.pos] !== ch) this.fail()
      this.pos++
    }
  }

  /** One level deeper, checked first so the scan's own recursion stays within the limit. */
  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) throw new JsonScanError(this.pos, true)
  }

  /** Past a closing bracket, one level up. */
  private leave(): void {
    this.pos++
    this.depth--
  }

  /** Stops the scan at the current position. */
  private fail(): never {
    throw new JsonScanError(this.pos, false)
  }
}

/** Line and column (both 1-based) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
