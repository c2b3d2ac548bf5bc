import { itemText, type Item } from '../model/item.js'
import { itemTextLabel } from '../model/labels.js'
import { type RunIdentity, type RunReport } from '../model/run-report.js'
import { itemsDigest, splitDigest } from '../plan/shard.js'
import { type ShardInfo } from '../model/shard.js'
import { type TaskRecord } from '../model/task-record.js'

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
  return `item ${index + 1}` + (item === undefined ? '' : ` '${itemTextLabel(item, 60)}'`)
}

/**
 * Names the first few items and counts the rest: `item 2 'a', item 5 'b' and 7 more`; `count`
 * is how many there are in all when `names` holds only the first of them.
 */
function itemList(names: readonly string[], count = names.length): string {
  const shown = names.slice(0, NAMED_ITEMS).join(', ')
  return count > NAMED_ITEMS ? `${shown} and ${count - NAMED_ITEMS} more` : shown
}

/**
 * The items below `total` without a record: the first few named, and how many in all. It looks
 * only at as many numbers as there are records, however large `total` is.
 */
function unanswered(total: number, answered: ReadonlySet<number>): [string[], number] {
  const below = [...answered].filter(index => index < total).length
  const names: string[] = []
  for (let index = 0; index < total && names.length < NAMED_ITEMS; index++) {
    if (!answered.has(index)) names.push(itemName(index))
  }
  return [names, total - below]
}

/**
 * The records of one file that the merge can use, and what is wrong with the others. A shard
 * must have exactly one record for each item the split gave it, for that very item, and none for
 * any other item; a plain run one record for each of its items. A record for a foreign item or
 * for another item than the split's is set aside (its item has no result); of two records for
 * one item, the first is kept. Items without a record count as without a result.
 */
export function checkRecords(file: ResultsFile): { records: TaskRecord[]; problems: string[] } {
  const { shard, counts } = file.report
  // Built from what the file holds, never from its counts: a count cannot size what is built.
  const splitItems = new Map<number, Item>(shard?.items.map(({ index, item }) => [index, item]))
  const isOwn = (index: number): boolean => (shard ? splitItems.has(index) : index < counts.total)
  const used = new Map<number, TaskRecord>()
  // By item number, so that an item named twice is listed once.
  const foreign = new Map<number, string>()
  const twice = new Map<number, string>()
  const otherItem: string[] = []
  const answered = new Set<number>()
  for (const record of file.report.records) {
    const wanted = splitItems.get(record.index)
    if (!isOwn(record.index)) {
      foreign.set(record.index, itemName(record.index, record.item))
    } else if (used.has(record.index)) {
      twice.set(record.index, itemName(record.index, wanted ?? record.item))
    } else if (wanted !== undefined && itemText(wanted) !== itemText(record.item)) {
      otherItem.push(
        `${itemName(record.index, record.item)} where the split has '${itemTextLabel(wanted, 60)}'`
      )
    } else {
      used.set(record.index, record)
    }
    answered.add(record.index)
  }
  const [missing, missingCount] = missingRecords(file, answered)
  const name = fileName(file)
  const problems = [
    missingCount > 0 ? `${name} has no record for ${itemList(missing, missingCount)}.` : '',
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
 * The file's items without a record, the first few named, and how many in all. A merge's own
 * file lacks the records of the shards it was missing, which its problems already name.
 */
function missingRecords(file: ResultsFile, answered: ReadonlySet<number>): [string[], number] {
  const { shard, counts, merged } = file.report
  if (merged !== undefined) return [[], 0]
  // A plain run's items are 0 to total − 1.
  if (shard === undefined) return unanswered(counts.total, answered)
  const names = shard.items
    .filter(({ index }) => !answered.has(index))
    .map(({ index, item }) => itemName(index, item))
  return [names, names.length]
}

/**
 * Checks the shards' item lists against each other: no item in two shards and, once every shard
 * is here, together exactly the run's items and split as every shard's digests say. A shard file
 * changed after its run cannot then pass its own items off as the split.
 */
export function checkSplit(files: readonly ResultsFile[], first: ShardInfo): string[] {
  // Keyed by the items the files hold, never sized by itemCount: a file sets that number.
  const owner = new Map<number, ResultsFile>()
  const shardOf = new Map<number, number>()
  const texts = new Map<number, string>()
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
      shardOf.set(index, shard.index)
      texts.set(index, itemText(item))
    }
  }
  if (files.length === first.total) {
    // No item is in two shards: all below itemCount are owned exactly when itemCount of them
    // are, and the first unowned is at most owner.size.
    const owned = [...owner.keys()].filter(index => index < first.itemCount).length
    if (owned < first.itemCount) {
      let unowned = 0
      while (owner.has(unowned)) unowned++
      return [`No shard has ${itemName(unowned)} among its items, of the run's ${first.itemCount}.`]
    }
    // Every item 0 to itemCount − 1 is owned: in input order, the maps list them in full.
    const inOrder = [...owner.keys()].sort((a, b) => a - b)
    const split = inOrder.map(index => shardOf.get(index) as number)
    const items = inOrder.map(index => texts.get(index) as string)
    if (splitDigest(split) !== first.splitDigest || itemsDigest(items) !== first.itemsDigest) {
      return [
        "The shards' item lists do not add up to the run's items and split (their digests differ): " +
          'a results file was changed after its run.'
      ]
    }
  }
  return []
}

/**
 * Why the files cannot be merged at all, or undefined: they must come from one workflow run (its
 * attempts may differ: a re-run attempt re-runs only some shards), and be the shards of one split
 * of one item list (the same items, the same number of shards and the same split, each shard
 * once), or all come from runs without shard.
 */
export function whyNotOneRun(ordered: readonly ResultsFile[]): string | undefined {
  const otherRun = differentRuns(ordered)
  if (otherRun !== undefined) return otherRun
  const first = ordered[0]
  const plain = ordered.find(file => file.report.shard === undefined)
  if (first === undefined || first.report.shard === undefined) {
    const shardedOne = ordered.find(file => file.report.shard !== undefined)
    return shardedOne === undefined ? undefined : mixed(plain as ResultsFile)
  }
  if (plain !== undefined) return mixed(plain)
  const { total, itemCount, itemsDigest, splitDigest } = first.report.shard
  const seen = new Map<number, string>()
  for (const file of ordered) {
    const shard = file.report.shard as ShardInfo
    if (
      shard.total !== total ||
      shard.itemCount !== itemCount ||
      shard.itemsDigest !== itemsDigest
    ) {
      return (
        `Invalid merge-results: '${file.path}' and '${first.path}' come from different runs ` +
        '(other items or another number of shards). Expected the results files of the shards of one run.'
      )
    }
    if (shard.splitDigest !== splitDigest) {
      return (
        `Invalid merge-results: '${file.path}' and '${first.path}' split the items differently, so ` +
        'some items ran twice or not at all. Expected every shard to read the same history file.'
      )
    }
    const twin = seen.get(shard.index)
    if (twin !== undefined) {
      return (
        `Invalid merge-results: shard ${shard.index}/${shard.total} appears twice, in '${twin}' and ` +
        `'${file.path}'. Expected one results file per shard.`
      )
    }
    seen.set(shard.index, file.path)
  }
  return undefined
}

/**
 * The refusal of files from different workflow runs (`GITHUB_RUN_ID`), or undefined. Files that
 * do not say their run (written outside a workflow run, or by an older version) are not compared.
 */
function differentRuns(files: readonly ResultsFile[]): string | undefined {
  const withRun = files.filter(file => file.report.run !== undefined)
  const first = withRun[0]
  const other = withRun.find(file => file.report.run?.id !== first?.report.run?.id)
  if (first === undefined || other === undefined) return undefined
  return (
    `Invalid merge-results: '${other.path}' comes from workflow run ${other.report.run?.id} and ` +
    `'${first.path}' from run ${first.report.run?.id}. Expected the results files of one run ` +
    '(of any of its attempts).'
  )
}

/**
 * The workflow run attempt of a merge: the run of its files at their latest attempt (a re-run
 * attempt of some shards merges them with the others' files from earlier attempts), or undefined
 * when no file says its run.
 */
export function mergedRun(files: readonly ResultsFile[]): RunIdentity | undefined {
  let latest: RunIdentity | undefined
  for (const { report } of files) {
    if (report.run !== undefined && report.run.attempt > (latest?.attempt ?? 0)) {
      latest = { ...report.run }
    }
  }
  return latest
}

/** The refusal of a merge of sharded and unsharded runs' files. */
function mixed(plain: ResultsFile): string {
  return (
    `Invalid merge-results: '${plain.path}' comes from a run without shard, the others from ` +
    'sharded runs. Expected the results files of the shards of one run.'
  )
}
