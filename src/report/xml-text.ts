/**
 * What XML 1.0 cannot hold at all (outside its `Char` production, not even as a character
 * reference): C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF (as a class's
 * ranges), and a surrogate not in a pair.
 */
const NOT_XML_RANGES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff'
const LONE_SURROGATE =
  '[\\ud800-\\udbff](?![\\udc00-\\udfff])|[\\udc00-\\udfff](?<![\\ud800-\\udbff][\\udc00-\\udfff])'

/** What stands for a character XML cannot hold: U+FFFD, as for bytes that are not UTF-8. */
const XML_REPLACEMENT = '\ufffd'

/** Markup characters as references; CR, tab and LF too, which a parser would turn into others. */
const REFERENCE: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;'
}

/** In element content: markup, CR, and what XML cannot hold, found in one pass. */
const TEXT_SPECIAL = new RegExp(`[&<>\\r${NOT_XML_RANGES}]|${LONE_SURROGATE}`, 'g')
/** In an attribute value: the same, and the quote, tab and LF. */
const ATTRIBUTE_SPECIAL = new RegExp(`[&<>"\\t\\n\\r${NOT_XML_RANGES}]|${LONE_SURROGATE}`, 'g')

/** A special character's reference, or U+FFFD for one XML cannot hold. */
const escaped = (ch: string): string => REFERENCE[ch] ?? XML_REPLACEMENT

/**
 * Text as element content that a parser reads back as the text with every character XML cannot
 * hold replaced by U+FFFD: `>` is escaped too, so `]]>` never appears, and CR as a reference,
 * which a parser would otherwise turn into LF.
 */
export function xmlText(text: string): string {
  return text.replace(TEXT_SPECIAL, escaped)
}

/**
 * Text as a double-quoted attribute value that a parser reads back as the text with every
 * character XML cannot hold replaced by U+FFFD: tab, LF and CR as references, since attribute
 * normalisation turns them into spaces.
 */
export function xmlAttribute(text: string): string {
  return text.replace(ATTRIBUTE_SPECIAL, escaped)
}
