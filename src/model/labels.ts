import { itemText, type Item } from './item.js'

/**
 * One line naming an item for logs and titles: its readable name (see itemName), control
 * characters (newlines, escapes) shown as visible symbols so an item can never start a new log
 * line, and cut to `max` characters. For display only: commands, outputs and files use itemText.
 */
export function itemLabel(item: Item, max = 80): string {
  return oneLine(itemName(item), max)
}

/** Something of a run that names an item: a task's record, say. */
interface Numbered {
  /** Position in the whole input, from 0. */
  index: number
  item: Item
}

/**
 * Names items as itemLabel does, but where two items of the run share a name (two review threads
 * on one line, two objects with one `name`) adds each one's number: `src/b.ts:3 (#2)`.
 */
export function distinctLabels(run: readonly Numbered[], max = 80): (named: Numbered) => string {
  const labels = new Map<number, string>()
  const uses = new Map<string, number>()
  for (const { index, item } of run) {
    const label = itemLabel(item, max)
    labels.set(index, label)
    uses.set(label, (uses.get(label) ?? 0) + 1)
  }
  return ({ index, item }) => {
    const label = labels.get(index) ?? itemLabel(item, max)
    return (uses.get(label) ?? 0) > 1 ? `${label} (#${index + 1})` : label
  }
}

/** The item's whole text (JSON for objects) on one line, cut to `max`: where items are compared. */
export function itemTextLabel(item: Item, max = 80): string {
  return oneLine(itemText(item), max)
}

/**
 * Text with control characters shown as visible symbols, cut to `max` characters. C1 controls,
 * line and paragraph separators and bidirectional-text controls count as control characters: a
 * name from a pull request must not break a line or read backwards.
 */
function oneLine(text: string, max: number): string {
  const line = text.replace(UNSHOWABLE, ch => (ch === '\n' ? '⏎' : ch === '\t' ? '⇥' : '�'))
  return cut(line, max)
}

// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * What an item is called: an object's non-blank string `name`; else its place, `path:line`
 * (`path:startLine-line` for a range, `path` alone without a line), for an object with a non-blank
 * string `path` such as a review thread; else its fields, `os=linux, node=20`, as a matrix
 * combination reads; else the item's text (strings as they are, JSON).
 */
function itemName(item: Item): string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return itemText(item)
  const name = nameOf(item)
  if (name !== undefined) return name
  const path = ownField(item, 'path')
  if (typeof path === 'string' && path.trim() !== '') {
    return path + linePart(ownField(item, 'startLine'), ownField(item, 'line'))
  }
  const fields = Object.entries(item)
  if (fields.length === 0) return itemText(item)
  return fields.map(([key, value]) => `${key}=${fieldName(value)}`).join(', ')
}

/** A field's value in a label: text as it is, an object by its name or JSON, the rest as JSON. */
function fieldName(value: Item): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return itemText(value)
  return nameOf(value) ?? itemText(value)
}

/** An object's non-blank string `name`, if it has one. */
function nameOf(item: { [key: string]: Item }): string | undefined {
  const name = ownField(item, 'name')
  return typeof name === 'string' && name.trim() !== '' ? name : undefined
}

/** `:line`, `:start-line` for a range that starts before it, or nothing when there is no line. */
function linePart(startLine: Item | undefined, line: Item | undefined): string {
  if (typeof line !== 'number') return ''
  const range = typeof startLine === 'number' && startLine < line
  return range ? `:${startLine}-${line}` : `:${line}`
}

/** A field the object holds itself (never one inherited from Object.prototype). */
function ownField(item: { [key: string]: Item }, key: string): Item | undefined {
  return Object.hasOwn(item, key) ? item[key] : undefined
}

/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let end = Math.max(0, max - 1)
  // Never split a surrogate pair: half of one is not a character.
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1] as string)) end--
  return text.slice(0, end) + '…'
}
