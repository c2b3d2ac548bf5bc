/**
 * The deepest nesting of arrays and objects items may have. Deeper JSON is refused, in inputs and
 * in files read: walking it (a scanner, JSON.stringify for `{}` and the results) would exhaust
 * the stack.
 */
export const MAX_JSON_DEPTH = 1000

/** A JSON value: what an item can be once parsed. */
export type Item = string | number | boolean | null | Item[] | { [key: string]: Item }

/** The item as one string: strings as they are, anything else as its JSON. */
export function itemText(item: Item): string {
  return typeof item === 'string' ? item : JSON.stringify(item)
}
