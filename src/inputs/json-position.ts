/**
 * Finds where strict JSON parsing of `text` first fails, as an offset. JSON.parse's own messages
 * only sometimes carry a position (it depends on the Node version and the error), and a user
 * fixing a hand-written list of items needs the line and column.
 */
export function jsonErrorOffset(text: string): number {
  return analyzeJson(text).error?.offset ?? -1
}

/**
 * The deepest nesting of arrays and objects items may have. Deeper JSON is refused: walking it
 * (this scanner, JSON.stringify for `{}` and the results) would exhaust the stack.
 */
export const MAX_JSON_DEPTH = 1000

/** What a strict JSON scan of a text found. */
export interface JsonAnalysis {
  /** Where parsing first fails, and whether because nesting passes MAX_JSON_DEPTH. */
  error?: { offset: number; tooDeep: boolean }
  /** The first number JavaScript cannot keep exactly (see inexactNumber). */
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

/**
 * The first number in valid JSON that JavaScript cannot keep exactly: an integer beyond ±2^53
 * (IDs such as 12345678901234567890 would silently become another ID) or one that overflows to
 * Infinity. Fractions such as 0.1 are not flagged: their nearest double prints back the same.
 */
export function inexactNumber(text: string): { offset: number; literal: string } | undefined {
  return analyzeJson(text).inexact
}

/** Scans strict JSON, reporting each number's span; returns the offset of the first error or -1. */
function scanJson(
  text: string,
  onNumber: (start: number, end: number) => void
): { offset: number; tooDeep: boolean } {
  let pos = 0
  let depth = 0
  let tooDeep = false
  // Checked before going a level deeper, so the scan's own recursion stays within the limit.
  const enter = (): void => {
    if (++depth <= MAX_JSON_DEPTH) return
    tooDeep = true
    fail()
  }
  const fail = (): never => {
    throw pos
  }
  const space = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos++
  }
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[pos] !== ch) fail()
      pos++
    }
  }
  const string = (): void => {
    pos++
    for (;;) {
      const ch = text[pos]
      if (ch === undefined || ch < ' ') fail()
      if (ch === '"') return void pos++
      if (ch === '\\') {
        pos++
        const esc = text[pos]
        if (esc === 'u') {
          for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[pos + i] ?? '')) {
              pos += i
              fail()
            }
          }
          pos += 5
          continue
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) fail()
      }
      pos++
    }
  }
  const number = (): void => {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    match.lastIndex = pos
    if (!match.exec(text)) fail()
    onNumber(pos, match.lastIndex)
    pos = match.lastIndex
  }
  const value = (): void => {
    space()
    const ch = text[pos]
    if (ch === '{') {
      enter()
      pos++
      space()
      if (text[pos] === '}') return void (pos++, depth--)
      for (;;) {
        space()
        if (text[pos] !== '"') fail()
        string()
        space()
        literal(':')
        value()
        space()
        if (text[pos] === ',') pos++
        else if (text[pos] === '}') return void (pos++, depth--)
        else fail()
      }
    }
    if (ch === '[') {
      enter()
      pos++
      space()
      if (text[pos] === ']') return void (pos++, depth--)
      for (;;) {
        value()
        space()
        if (text[pos] === ',') pos++
        else if (text[pos] === ']') return void (pos++, depth--)
        else fail()
      }
    }
    if (ch === '"') return string()
    if (ch === 't') return literal('true')
    if (ch === 'f') return literal('false')
    if (ch === 'n') return literal('null')
    return number()
  }
  try {
    value()
    space()
    return { offset: pos < text.length ? pos : -1, tooDeep }
  } catch (at) {
    return { offset: at as number, tooDeep }
  }
}

/** Line and column (both 1-based) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
