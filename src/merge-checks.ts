import { itemText, type Item } from './item.js'
import { itemLabel } from './labels.js'
import { type RunReport } from './results.js'
import { itemsDigest, splitDigest, type ShardInfo } from './shard.js'
import { type TaskRecord } from './task-record.js'

/** One results file as read for a merge. */
export interface ResultsFile {
  path: string
  report: RunReport
}

/** How many items a problem names before saying how many more there are. */
const NAMED_ITEMS = 3

/** How a problem names a file: its shard and path, or its path. */
export function fileName(file: ResultsFile): string {
  const shard = file.report.shard
  return shard ? `Shard ${shard.index}/${shard.total} (${file.path})` : `'${file.path}'`
}

/** An item as messages name it: its number among all the items, and its text when known. */
function itemName(index: number, item?: Item): string {
  return `item ${index + 1}` + (item === undefined ? '' : ` '${itemLabel(item, 60)}'`)
}

/** Names the first few items and counts the rest: `item 2 'a', item 5 'b' and 7 more`. */
function itemList(names: readonly string[]): string {
  const shown = names.slice(0, NAMED_ITEMS).join(', ')
  return names.length > NAMED_ITEMS ? `${shown} and ${names.length - NAMED_ITEMS} more` : shown
}

/**
 * The records of one file that the merge can use, and what is wrong with the others. A shard
 * must have exactly one record for each item the split gave it, for that very item, and none for
 * any other item; a plain run one record for each of its items. A record for a foreign item or
 * for another item than the split's is set aside (its item has no result); of two records for
 * one item, the first is kept. Items without a record count as without a result.
 */
export function checkRecords(file: ResultsFile): { records: TaskRecord[]; problems: string[] } {
  const { shard, counts, merged } = file.report
  const expected = new Map<number, Item | undefined>(
    shard
      ? shard.items.map(({ index, item }) => [index, item])
      : Array.from({ length: counts.total }, (_, index) => [index, undefined])
  )
  const used = new Map<number, TaskRecord>()
  // By item number, so that an item named twice is listed once.
  const foreign = new Map<number, string>()
  const twice = new Map<number, string>()
  const otherItem: string[] = []
  const answered = new Set<number>()
  for (const record of file.report.records) {
    const wanted = expected.get(record.index)
    if (!expected.has(record.index)) {
      foreign.set(record.index, itemName(record.index, record.item))
    } else if (used.has(record.index)) {
      twice.set(record.index, itemName(record.index, wanted ?? record.item))
    } else if (wanted !== undefined && itemText(wanted) !== itemText(record.item)) {
      otherItem.push(
        `${itemName(record.index, record.item)} where the split has '${itemLabel(wanted, 60)}'`
      )
    } else {
      used.set(record.index, record)
    }
    answered.add(record.index)
  }
  // A merge's own results file lacks the records of the shards it was missing: not new news.
  const missing =
    merged !== undefined
      ? []
      : [...expected]
          .filter(([index]) => !answered.has(index))
          .map(([index, item]) => itemName(index, item))
  const name = fileName(file)
  const problems = [
    missing.length > 0 ? `${name} has no record for ${itemList(missing)}.` : '',
    twice.size > 0
      ? `${name} has more than one record for ${itemList([...twice.values()])}; the first is kept.`
      : '',
    foreign.size > 0
      ? `${name} has records for items that are not its own: ${itemList([...foreign.values()])}.`
      : '',
    otherItem.length > 0
      ? `${name} has records for other items than the split's: ${itemList(otherItem)}.`
      : ''
  ].filter(Boolean)
  return { records: [...used.values()], problems }
}

/**
 * Checks the shards' item lists against each other: no item in two shards and, once every shard
 * is here, together exactly the run's items and split as every shard's digests say. A shard file
 * changed after its run cannot then pass its own items off as the split.
 */
export function checkSplit(files: readonly ResultsFile[], first: ShardInfo): string[] {
  const shardOf = new Array<number>(first.itemCount).fill(-1)
  const texts = new Array<string>(first.itemCount)
  const owner = new Map<number, ResultsFile>()
  for (const file of files) {
    const shard = file.report.shard as ShardInfo
    for (const { index, item } of shard.items) {
      const other = owner.get(index)
      if (other !== undefined) {
        return [
          `${fileName(file)} and ${fileName(other)} both have ${itemName(index, item)} among their items; ` +
            'the split gives each item to one shard.'
        ]
      }
      owner.set(index, file)
      shardOf[index] = shard.index
      texts[index] = itemText(item)
    }
  }
  if (files.length === first.total) {
    const unowned = shardOf.indexOf(-1)
    if (unowned !== -1) {
      return [`No shard has ${itemName(unowned)} among its items, of the run's ${first.itemCount}.`]
    }
    if (splitDigest(shardOf) !== first.splitDigest || itemsDigest(texts) !== first.itemsDigest) {
      return [
        "The shards' item lists do not add up to the run's items and split (their digests differ): " +
          'a results file was changed after its run.'
      ]
    }
  }
  return []
}
