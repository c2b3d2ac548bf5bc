import { itemTextLabel } from '../model/labels.js'

// Values read from a file are untrusted: an error describes them within bounds of depth and
// length, since JSON.stringify of a value nested thousands deep overflows the stack.

/** How deep `shownJson` looks into arrays and objects before it writes `…`. */
const SHOWN_DEPTH = 4

/** A short, one-line picture of a JSON value for an error message, at most `max` characters. */
export function shownJson(json: unknown, max = 60): string {
  if (json === undefined) return 'missing'
  let text = ''
  /** Appends the picture of `value`; false once the text is past `max`, to stop walking. */
  const walk = (value: unknown, depth: number): boolean => {
    if (value === null || typeof value !== 'object') {
      // Only a string can be long: cut before quoting, so a huge one costs nothing.
      const short = typeof value === 'string' ? value.slice(0, max + 1) : value
      text += JSON.stringify(short) ?? String(value)
      return text.length <= max
    }
    const isArray = Array.isArray(value)
    if (depth >= SHOWN_DEPTH) {
      text += isArray ? '[…]' : '{…}'
      return text.length <= max
    }
    text += isArray ? '[' : '{'
    let first = true
    for (const [key, inner] of Object.entries(value)) {
      if (!first) text += ','
      first = false
      if (!isArray) text += `${JSON.stringify(key.slice(0, max + 1))}:`
      if (text.length > max || !walk(inner, depth + 1)) return false
    }
    text += isArray ? ']' : '}'
    return text.length <= max
  }
  walk(json, 0)
  return itemTextLabel(text, max)
}

/**
 * Whether arrays and objects in `json` nest deeper than `limit` levels (a top-level array is one
 * level). Walks without recursion, so any depth JSON.parse accepts is measured safely.
 */
export function nestedDeeperThan(json: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[json, 0]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next
    if (value === null || typeof value !== 'object') continue
    if (depth + 1 > limit) return true
    for (const inner of Object.values(value)) pending.push([inner, depth + 1])
  }
  return false
}
