import { type Item } from './item.js'

/**
 * Whether two values are equal as GitHub's expression `==` finds them: strings ignoring case
 * (ordinal), values of different types as numbers (null 0, false 0, true 1, a string by its
 * number format, '' 0, a list or a mapping NaN), NaN equal to nothing. Two lists, or two
 * mappings, are equal member by member by the same rule, where `==` would compare references:
 * a matrix never holds the same instance twice, so only their contents can be compared.
 */
export function expressionEqual(a: Item | undefined, b: Item | undefined): boolean {
  if (a === undefined || b === undefined) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((member, index) => expressionEqual(member, b[index]))
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every(key => Object.hasOwn(b, key) && expressionEqual(a[key], b[key]))
    )
  }
  if (typeof a === 'string' && typeof b === 'string') return upperCase(a) === upperCase(b)
  if (kindOf(a) === kindOf(b)) return a === b
  // NaN !== NaN: a string that is no number, a list or a mapping equals nothing of another type.
  return expressionNumber(a) === expressionNumber(b)
}

/** The value's kind as expressions tell them apart: lists and mappings are not null. */
function kindOf(value: Item): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'array' : typeof value
}

/** Whether a value is a JSON object (not null, not a list). */
export function isMapping(value: Item | undefined): value is { [key: string]: Item } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// .NET's Char.IsWhiteSpace, which String.Trim uses: JS's trim differs on U+0085 and U+FEFF.
const BLANKS = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+'
const TRIM = new RegExp(`^${BLANKS}|${BLANKS}$`, 'g')
// Double.TryParse with a leading sign, a decimal point and an exponent, ASCII digits only.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const HEX = /^0x([0-9a-fA-F]+)$/
const OCTAL = /^0o([0-7]+)$/

/**
 * A value as a number, as the runner's expressions coerce it (ExpressionUtility.ParseNumber for
 * strings): blanks around are ignored; '' is 0; decimal with sign, point and exponent; `0x…` and
 * `0o…` as 32-bit integers; anything else NaN. `Infinity` is left NaN: no matrix number is
 * infinite, so it could equal nothing either way.
 */
export function expressionNumber(value: Item): number {
  if (value === null || value === false) return 0
  if (value === true) return 1
  if (typeof value === 'number') return value
  if (typeof value !== 'string') return Number.NaN
  const text = value.replace(TRIM, '')
  if (text === '') return 0
  if (DECIMAL.test(text)) return Number(text)
  const [, hex] = HEX.exec(text) ?? []
  const [, octal] = OCTAL.exec(text) ?? []
  const whole =
    hex !== undefined ? parseInt(hex, 16) : octal !== undefined ? parseInt(octal, 8) : NaN
  // Int32 parsing of hex and octal digits: past 32 bits fails, the top bit makes it negative.
  return whole <= 0xffff_ffff ? whole | 0 : Number.NaN
}

/**
 * The text upper-cased as .NET's OrdinalIgnoreCase compares it: each character by its simple
 * (one-to-one) upper case, except ı and ſ, which stay apart from I and S. JS's toLowerCase and
 * toUpperCase differ from it: `K` (Kelvin) would equal `k`, `ß` would equal `SS`, and `ς` would
 * differ from `Σ`.
 */
export function upperCase(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toUpperCase()
  let upper = ''
  for (const char of text) upper += simpleUpper(char)
  return upper
}

/** One character's simple upper case: JS gives the full one, several characters for a few. */
function simpleUpper(char: string): string {
  if (char === 'ı' || char === 'ſ') return char
  const full = char.toUpperCase()
  if ([...full].length === 1) return full
  const code = char.codePointAt(0) as number
  // Greek small letters with ypogegrammeni: their simple upper case is the title-case letter.
  if (code >= 0x1f80 && code <= 0x1faf && (code & 0xf) < 8) return String.fromCodePoint(code + 8)
  if (code === 0x1fb3 || code === 0x1fc3 || code === 0x1ff3) return String.fromCodePoint(code + 9)
  // ß, ŉ, ǰ, the ligatures ﬀ…ﬆ and the rest have no simple upper case of their own.
  return char
}
