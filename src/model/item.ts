/** A JSON value: what an item can be once parsed. */
export type Item = string | number | boolean | null | Item[] | { [key: string]: Item }

/** The item as one string: strings as they are, anything else as its JSON. */
export function itemText(item: Item): string {
  return typeof item === 'string' ? item : JSON.stringify(item)
}
