/**
 * What XML 1.0 cannot hold at all (outside its `Char` production, not even as a character
 * reference): C0 controls other than tab, LF and CR; U+FFFE and U+FFFF; a surrogate not in a pair.
 */
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** What stands for a character XML cannot hold: U+FFFD, as for bytes that are not UTF-8. */
const XML_REPLACEMENT = '\ufffd'

/** Markup characters as references. CR, tab and LF too: a parser would turn them into others. */
const REFERENCE: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;'
}

/** The text with every character XML 1.0 cannot hold replaced by U+FFFD. */
function xmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, XML_REPLACEMENT)
}

/**
 * Text as element content that a parser reads back as exactly `xmlChars(text)`: `>` is escaped
 * too, so `]]>` never appears, and CR as a reference, which a parser would otherwise turn into LF.
 */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/[&<>\r]/g, ch => REFERENCE[ch] as string)
}

/**
 * Text as a double-quoted attribute value that a parser reads back as exactly `xmlChars(text)`:
 * tab, LF and CR as references, since attribute normalisation turns them into spaces.
 */
export function xmlAttribute(text: string): string {
  return xmlChars(text).replace(/[&<>"\t\n\r]/g, ch => REFERENCE[ch] as string)
}
