import { itemLabel } from '../model/labels.js'
import { escapeHtml } from './markdown-escape.js'

/**
 * Text for one line of an HTML block: escaped, with line breaks and control characters shown as
 * symbols (a blank line would end the block and let Markdown in), cut to `max` characters. Any
 * text a results file carries may be anything, a signal's name included.
 */
export function htmlLine(text: string, max: number): string {
  return escapeHtml(itemLabel(text, max))
}

/**
 * Text cut to at most `max` characters by leaving out its middle, marked `…`: both ends stay, as
 * names often differ only at the end (`tests/test_api.py::test_get[case-17]`). No surrogate pair
 * is split.
 */
export function middleCut(text: string, max: number): string {
  if (text.length <= max) return text
  const kept = Math.max(0, max - 1)
  let headEnd = Math.ceil(kept / 2)
  let tailStart = text.length - (kept - headEnd)
  if (headEnd > 0 && /[\ud800-\udbff]/.test(text[headEnd - 1] as string)) headEnd--
  if (tailStart < text.length && /[\udc00-\udfff]/.test(text[tailStart] as string)) tailStart++
  return text.slice(0, headEnd) + '…' + text.slice(tailStart)
}
