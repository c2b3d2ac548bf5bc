import { Inputs } from '../action/action-yml.js'
import { type Item } from '../model/item.js'
import { itemLabel, itemTextLabel } from '../model/labels.js'

/** What a task or object item holds while it runs: its `slots` and `locks` fields, when given. */
export interface Resources {
  /** Worker slots it holds, from 2 to max-workers; absent for 1. */
  slots?: number
  /** Names of the resources it holds exclusively, each once, in order given; absent for none. */
  locks?: string[]
}

/**
 * What an object item's field is read as, said when its value is refused: an item's fields are
 * its own data, and one may mean something else by `slots` or `locks`.
 */
const ITEM_FIELD_NOTES = {
  slots:
    "An object item's 'slots' field is how many worker slots it holds: " +
    'rename the field if it means something else.',
  locks:
    "An object item's 'locks' field names the locks it holds while it runs: " +
    'rename the field if it means something else.'
} as const

/**
 * Reads `slots`: a whole number from 1 to `maxWorkers` (the number `max-workers` resolves to),
 * refused otherwise with an error that starts with `where` (`Invalid tasks: task 'e2e'`) and
 * ends with `note` when given.
 */
export function parseSlots(where: string, value: unknown, maxWorkers: number, note = ''): number {
  const expected = expectedSlots(maxWorkers) + (note === '' ? '' : ` ${note}`)
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${where} has slots ${shown(value)}. ${expected}`)
  }
  if (value > maxWorkers) {
    throw new Error(
      `${where} has slots ${value}, more than ${Inputs.MaxWorkers} (${maxWorkers}). ${expected}`
    )
  }
  return value
}

/** What a refused `slots` is told to be: one number alone reads as itself, not as a range. */
function expectedSlots(maxWorkers: number): string {
  return maxWorkers === 1
    ? `Expected 1, as ${Inputs.MaxWorkers} is 1.`
    : `Expected a whole number from 1 to ${maxWorkers}.`
}

/**
 * Reads `locks`: a name or a list of names; a name is non-empty text, or a number taken as its
 * text. Each name is kept once, in the order given; an empty list is none. A refusal ends with
 * `note` when given.
 */
export function parseLocks(where: string, value: unknown, note = ''): string[] {
  const list: unknown[] = Array.isArray(value) ? value : [value]
  const names = list.map(name =>
    typeof name === 'number' && Number.isFinite(name) ? String(name) : name
  )
  if (!names.every(name => typeof name === 'string' && name !== '')) {
    throw new Error(
      `${where} has locks ${shown(value)}. ` +
        'Expected a name or a list of names, such as db or [db, port-5432].' +
        (note === '' ? '' : ` ${note}`)
    )
  }
  return [...new Set(names as string[])]
}

/**
 * The `slots` and `locks` fields of an object item (from `items`, `items-file` or `matrix`), read
 * as a task's; an item that is not an object, or has neither field, holds one slot and no lock.
 * `where` names the item for errors (`Invalid items: item 3 (api)`), which say what the field is
 * read as.
 */
export function itemResources(item: Item, where: () => string, maxWorkers: number): Resources {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return {}
  const resources: Resources = {}
  if (Object.hasOwn(item, 'slots')) {
    const slots = parseSlots(where(), item.slots, maxWorkers, ITEM_FIELD_NOTES.slots)
    if (slots > 1) resources.slots = slots
  }
  if (Object.hasOwn(item, 'locks')) {
    const locks = parseLocks(where(), item.locks, ITEM_FIELD_NOTES.locks)
    if (locks.length > 0) resources.locks = locks
  }
  return resources
}

/** A value as an error shows it, on one line: text quoted, anything else as its JSON. */
function shown(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'string') return `'${itemTextLabel(value, 60)}'`
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return itemTextLabel(value as Item, 60)
}

/**
 * The resources of each item of `items` (an items input, named as `input` is in errors), or
 * undefined when no item holds more than one slot or any lock.
 */
export function itemsResources(
  items: readonly Item[],
  input: string,
  maxWorkers: number
): Resources[] | undefined {
  let any = false
  const resources = items.map((item, index) => {
    const where = (): string => `Invalid ${input}: item ${index + 1} (${itemLabel(item, 40)})`
    const found = itemResources(item, where, maxWorkers)
    any ||= found.slots !== undefined || found.locks !== undefined
    return found
  })
  return any ? resources : undefined
}

/**
 * The highest worker slot `count` units can use, `held` giving the slots of some (the others hold
 * one each): all their slots at once, at most `maxWorkers`, at least 1.
 */
export function highestSlot(
  count: number,
  held: readonly { slots?: number }[],
  maxWorkers: number
): number {
  let sum = count
  for (const unit of held) {
    sum += (unit.slots ?? 1) - 1
    if (sum >= maxWorkers) return maxWorkers
  }
  return Math.max(1, Math.min(sum, maxWorkers))
}
