/** PowerShell's character classes (CharTraits.cs, tokenizer.cs), as its tokenizer uses them. */

const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
const DOUBLE_QUOTES = '"\u201c\u201d\u201e'

/** CharTraits.IsSingleQuote: ' and U+2018–U+201B. */
export function isSingleQuote(char: string | undefined): boolean {
  return char !== undefined && char.length === 1 && SINGLE_QUOTES.includes(char)
}

/** CharTraits.IsDoubleQuote: " and U+201C–U+201E. */
export function isDoubleQuote(char: string | undefined): boolean {
  return char !== undefined && char.length === 1 && DOUBLE_QUOTES.includes(char)
}

/** Either kind of quote. */
export function isQuote(char: string | undefined): boolean {
  return isSingleQuote(char) || isDoubleQuote(char)
}

/** CharExtensions.IsDash: - and the en dash, em dash and horizontal bar. */
export function isDash(char: string | undefined): boolean {
  return char === '-' || char === '\u2013' || char === '\u2014' || char === '\u2015'
}

/** CharExtensions.IsWhitespace: newlines are not whitespace. */
export function isWhitespace(char: string | undefined): boolean {
  if (char === undefined) return false
  if (' \t\v\f\u00a0\u0085'.includes(char)) return true
  // char.IsSeparator for characters above U+0100: the Unicode categories Zs, Zl and Zp.
  return char.charCodeAt(0) > 256 && /^\p{Z}$/u.test(char)
}

/** .NET char.IsWhiteSpace, used after a backtick at the start of a token. */
export function isDotnetWhitespace(char: string | undefined): boolean {
  return char !== undefined && (/^[\t\n\v\f\r \u0085\u00a0]$/.test(char) || /^\p{Z}$/u.test(char))
}

/** CharExtensions.IsNewLine: CR or LF. */
export function isNewline(char: string | undefined): boolean {
  return char === '\r' || char === '\n'
}

/** CharExtensions.ForceStartNewToken; the end of the text ends a token too. */
export function forcesNewToken(char: string | undefined): boolean {
  if (char === undefined) return true
  if (char.charCodeAt(0) < 128) return '\0\t\n\v\f\r &(),;{|}'.includes(char)
  return isWhitespace(char)
}

/** .NET char.IsLetterOrDigit, for one UTF-16 code unit. */
export function isLetterOrDigit(char: string): boolean {
  return /^[\p{L}\p{Nd}]$/u.test(char)
}

/** CharExtensions.IsVariableStart: what may follow $ in a variable name. */
export function isVariableStart(char: string | undefined): boolean {
  if (char === undefined) return false
  if (char.charCodeAt(0) < 128) return /^[A-Za-z0-9_$:?^]$/.test(char)
  return isLetterOrDigit(char)
}
