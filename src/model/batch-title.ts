import { type Item } from './item.js'
import { itemLabel } from './labels.js'

/** How many items a batch's title names before saying how many more there are. */
const NAMED_ITEMS = 3
/** Longest label of each item a batch's title names. */
const ITEM_CHARS = 40

/**
 * How a batch is named in the log, the summary, annotations and JUnit alike: its number and its
 * first items, `Batch 3 (a.ts, b.ts, c.ts and 47 more)`, at most three named (each cut to 40
 * characters) and fewer when the title would be longer than `max`, the last one left then cut.
 * When an item's label holds `, ` (an object item's `os=linux, node=20`), items are separated by
 * `; ` so that one item's parts do not read as several items.
 */
export function batchName(number: number, items: readonly Item[], max = 120): string {
  const separator = items.some(item => itemLabel(item, Infinity).includes(', ')) ? '; ' : ', '
  const title = (named: number, width: number): string => {
    const labels = items.slice(0, named).map(item => itemLabel(item, width))
    const more = items.length - named
    return `Batch ${number} (${labels.join(separator)}${more > 0 ? ` and ${more} more` : ''})`
  }
  let named = Math.min(NAMED_ITEMS, items.length)
  while (named > 1 && [...title(named, ITEM_CHARS)].length > max) named--
  const text = title(named, ITEM_CHARS)
  const over = [...text].length - max
  // One name left and still too long: that name gives way, never the count.
  return over > 0 ? title(named, Math.max(1, ITEM_CHARS - over)) : text
}

/** The short name of a batch that prefixes its lines in stream mode: `Batch 3`. */
export function batchShortName(number: number): string {
  return `Batch ${number}`
}
