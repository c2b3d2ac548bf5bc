import { itemText, type Item } from './item.js'

/**
 * One line naming an item for logs and titles: control characters (newlines, escapes) shown as
 * visible symbols so an item can never start a new log line, and cut to `max` characters.
 */
export function itemLabel(item: Item, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const line = itemText(item).replace(/[\u0000-\u001f\u007f]/g, ch =>
    ch === '\n' ? '⏎' : ch === '\t' ? '⇥' : '�'
  )
  return cut(line, max)
}

/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let end = Math.max(0, max - 1)
  // Never split a surrogate pair: half of one is not a character.
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1] as string)) end--
  return text.slice(0, end) + '…'
}
