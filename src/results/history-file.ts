import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  bounded,
  emptyHistory,
  historyAfter,
  historyKeys,
  HISTORY_LIMITS,
  type History,
  type HistoryEntry,
  type HistoryRecord,
  type HistoryRun
} from '../model/history.js'
import { itemShares } from '../model/batch-runs.js'
import { itemTextLabel } from '../model/labels.js'
import { type MergeInfo, type RunIdentity } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { createAfresh } from '../system/plain-files.js'
import { shownJson } from './json-shown.js'
import {
  FieldError,
  isoTime,
  jsonValue,
  milliseconds,
  nullable,
  objectOf,
  oneOf,
  optional,
  whole
} from './field-formats.js'
import {
  HISTORY_ENTRY,
  HISTORY_KIND,
  HISTORY_RUN,
  HISTORY_VERSION,
  readEntry,
  readRun
} from './history-format.js'
import { RECORDS_KEY, RUN_NUMBER, SHA256 } from './report-format.js'

/** Name of the history file a run writes for the next one. */
export const HISTORY_FILE = 'history.json'

/** The largest history file read: far above the bounds a history keeps (~1 MB per 1,000 items). */
export const MAX_HISTORY_BYTES = 64 * 1024 * 1024

/**
 * A history read from an earlier run's file. `problem` says why the file gave nothing (the run
 * goes on as a first run); `leftOut` says which of its entries could not be used.
 */
export interface HistoryRead {
  history: History
  problem?: string
  leftOut?: string
}

/**
 * Reads the history an earlier run wrote, or its timings file or results file as history. Never
 * throws: a missing, unreadable, oversized, foreign or newer file gives an empty history and the
 * reason, since a stale cache should slow a run down, not fail it. Bad entries are left out one
 * by one.
 */
export async function readHistory(path: string): Promise<HistoryRead> {
  const none = (problem: string): HistoryRead => ({ history: emptyHistory(), problem })
  let content: string
  let modified: number
  try {
    const stats = await stat(path)
    if (stats.isDirectory()) return none(`'${path}' is a directory`)
    if (!stats.isFile()) return none(`'${path}' is not a regular file`)
    if (stats.size > MAX_HISTORY_BYTES) {
      return none(`'${path}' holds ${stats.size} bytes, over the 64 MiB a history may have`)
    }
    modified = stats.mtimeMs
    content = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return none(`no file at '${path}' (a first run or a cache miss)`)
    return none(`'${path}' cannot be read (${code ?? String(error)})`)
  }
  let json: unknown
  try {
    json = JSON.parse(content)
  } catch {
    return none(`'${path}' is not JSON`)
  }
  let read: FromJson | string
  try {
    read = historyFromJson(json, Math.round(modified))
  } catch (error) {
    // Whatever the file holds, it may slow the run down but never fail it.
    return none(`'${path}' cannot be used (${itemTextLabel(String(error), 100)})`)
  }
  if (typeof read === 'string') return none(`'${path}' ${read}`)
  const { history, left, of, first } = read
  if (left === 0) return { history }
  const leftOut = `${left} of ${of} entries of '${path}' are unusable and left out (first: ${first})`
  return { history, leftOut }
}

/** What a file gave: its history and the entries left out, or why it gave none. */
interface FromJson {
  history: History
  left: number
  of: number
  first: string
}

/** A history from a parsed history, timings or results file; a string says why there is none. */
function historyFromJson(json: unknown, modified: number): FromJson | string {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return 'holds neither a history, timings nor results'
  }
  const file = json as Record<string, unknown>
  if (file.kind === HISTORY_KIND) return historyOf(file)
  if (isObject(file.timings)) return fromTimings(file.timings, modified)
  if (Array.isArray(file[RECORDS_KEY])) return fromResults(file, modified)
  return 'holds neither a history, timings nor results'
}

/** Whether a JSON value is an object (not null, not an array). */
function isObject(json: unknown): json is Record<string, unknown> {
  return json !== null && typeof json === 'object' && !Array.isArray(json)
}

/** Counts the entries left out, and keeps the first one's reason. */
class LeftOut {
  left = 0
  of = 0
  first = ''

  /** Reads one entry with `read`, or counts it as left out, whatever it throws. */
  take<T>(where: string, read: () => T): T | undefined {
    this.of++
    try {
      return read()
    } catch (error) {
      if (this.left++ === 0) {
        const why =
          error instanceof FieldError
            ? error.within(where).message
            : `'${where}' cannot be read (${String(error)})`
        this.first = itemTextLabel(why, 200)
      }
      return undefined
    }
  }

  /** The history with the counts. */
  with(history: History): FromJson {
    return { history, left: this.left, of: this.of, first: this.first }
  }
}

/** A history file's history, or why it cannot be read. */
function historyOf(file: Record<string, unknown>): FromJson | string {
  const { version } = file
  if (typeof version === 'number' && version > HISTORY_VERSION) {
    return `was written by a newer parallel-exec (history version ${version}; this one reads ${HISTORY_VERSION})`
  }
  if (version !== HISTORY_VERSION)
    return `has history version ${version === undefined ? 'none' : shownJson(version, 20)}, not ${HISTORY_VERSION}`
  if (!Array.isArray(file.runs) || !isObject(file.items)) {
    return "is not a history: it needs a 'runs' array and an 'items' object"
  }
  const left = new LeftOut()
  const runs: HistoryRun[] = []
  file.runs.forEach((json, position) => {
    const run = left.take(`runs[${position}]`, () => {
      const one = readRun(json)
      if (runs.some(other => other.seq === one.seq)) {
        throw new FieldError('seq', `is ${one.seq}, as another run's. Expected each run its own`)
      }
      return one
    })
    if (run !== undefined) runs.push(run)
  })
  const newest = runs.reduce((highest, run) => Math.max(highest, run.seq), 0)
  const items = new Map<string, HistoryEntry>()
  for (const [key, json] of Object.entries(file.items)) {
    const entry = left.take(`items[${shownJson(key, 40)}]`, () => readEntry(json, newest))
    if (entry !== undefined) items.set(key, entry)
  }
  // The file's own limits say what its writer kept: this version keeps to its own.
  return left.with(bounded({ limits: { ...HISTORY_LIMITS }, runs, items }))
}

/** A timings file (`{"timings": {item: ms}}`) as a history of one run with no identity. */
function fromTimings(timings: Record<string, unknown>, modified: number): FromJson {
  const left = new LeftOut()
  const keys: string[] = []
  const records: HistoryRecord[] = []
  for (const [key, ms] of Object.entries(timings)) {
    const durationMs = left.take(`timings[${shownJson(key, 40)}]`, () => milliseconds.read(ms))
    if (durationMs === undefined) continue
    keys.push(key)
    // It ran to an end: a timings file keeps successes and failures alike, and does not say which.
    records.push({ item: key, status: TaskStatus.Success, durationMs, endedAt: null })
  }
  return left.with(historyAfter(emptyHistory(), { at: modified }, records, keys))
}

/** The fields of a results file's record that a history takes; any may be anything. */
const RECORD_FIELDS = {
  item: jsonValue,
  status: oneOf(TaskStatus),
  durationMs: milliseconds,
  endedAt: optional(nullable(isoTime)),
  batch: optional(whole(1)),
  slot: optional(nullable(whole(1))),
  commandDigest: optional(SHA256),
  sourcesDigest: optional(SHA256)
}

/**
 * A results file as the history of its run: its records' statuses and durations, under the
 * file's `run` when it has one (only then can its successes be reused).
 */
function fromResults(file: Record<string, unknown>, modified: number): FromJson {
  const left = new LeftOut()
  const read: PlacedRecord[] = []
  const merge = isObject(file.merged) ? file.merged : undefined
  const filesOf = merge === undefined ? undefined : numbersOf(merge.recordFiles)
  const recordFiles: number[] = []
  ;(file[RECORDS_KEY] as unknown[]).forEach((json, position) => {
    const record = left.take(`${RECORDS_KEY}[${position}]`, () => recordOf(json))
    if (record === undefined) return
    // Known by position: the file of a merge's record is at its position in recordFiles.
    read.push({ ...record, index: position })
    recordFiles.push(filesOf?.[position] ?? -1)
  })
  // Per item: each member of a batch had the whole batch's time (a merge's by file). A results
  // file holds no earlier durations to weigh the members by: they get even shares.
  const merged =
    merge === undefined
      ? undefined
      : {
          slotsPerFile: numbersOf(merge.slotsPerFile),
          ...(filesOf === undefined ? {} : { recordFiles })
        }
  const share = itemShares(read, { merged: merged as MergeInfo | undefined, records: read })
  const records: HistoryRecord[] = read.map(({ batch, slot, index, ...record }) => ({
    ...record,
    durationMs: share({ batch, slot, index, durationMs: record.durationMs })
  }))
  let identity: RunIdentity | undefined
  try {
    identity = objectOf({ id: RUN_NUMBER, attempt: RUN_NUMBER }).read(file.run)
  } catch {
    identity = undefined
  }
  // Keys over the file's records: right for a whole run's or a merge's file. A shard's file
  // holds only some items, so an item repeated in the input may be numbered as another shard's.
  const keys = historyKeys(records.map(record => record.item))
  const ended = records.reduce((latest, record) => Math.max(latest, record.endedAt ?? 0), 0)
  const at = ended > 0 ? ended : modified
  return left.with(historyAfter(emptyHistory(), { identity, at }, records, keys))
}

/** A merge's list of numbers (slots per file, files per record), when the file holds one. */
function numbersOf(json: unknown): number[] | undefined {
  return Array.isArray(json) && json.every(Number.isSafeInteger) ? (json as number[]) : undefined
}

/** A results file's record as a history takes it, with what tells its batch. */
type ResultRecord = HistoryRecord & Pick<TaskRecord, 'batch' | 'slot'>

/** A results file's record as read, numbered by its position in the file. */
type PlacedRecord = ResultRecord & Pick<TaskRecord, 'index'>

/** The part of a results file's record that a history takes. */
function recordOf(json: unknown): ResultRecord {
  if (!isObject(json)) throw new FieldError('', 'is not an object. Expected a result')
  const read = <T>(key: keyof typeof RECORD_FIELDS, field: { read(json: unknown): T }): T => {
    try {
      return field.read(json[key])
    } catch (error) {
      throw error instanceof FieldError ? error.within(key) : error
    }
  }
  const record: ResultRecord = {
    item: read('item', RECORD_FIELDS.item),
    status: read('status', RECORD_FIELDS.status),
    durationMs: read('durationMs', RECORD_FIELDS.durationMs),
    endedAt: read('endedAt', RECORD_FIELDS.endedAt) ?? null,
    batch: read('batch', RECORD_FIELDS.batch),
    slot: read('slot', RECORD_FIELDS.slot) ?? null
  }
  if (json.flaky === true) record.flaky = true
  const commandDigest = read('commandDigest', RECORD_FIELDS.commandDigest)
  const sourcesDigest = read('sourcesDigest', RECORD_FIELDS.sourcesDigest)
  if (commandDigest !== undefined) record.commandDigest = commandDigest
  if (sourcesDigest !== undefined) record.sourcesDigest = sourcesDigest
  return record
}

/**
 * The JSON text of a history file: compact, as it is read by programs and kept in a cache. Never
 * over `maxBytes` (what readHistory reads) while the runs alone fit: when the items do not all
 * fit, those seen least recently are left out until the rest fits.
 */
export function historyFileText(history: History, maxBytes = MAX_HISTORY_BYTES): string {
  const head = JSON.stringify({
    version: HISTORY_VERSION,
    kind: HISTORY_KIND,
    limits: history.limits,
    runs: history.runs.map(run => HISTORY_RUN.write(run))
  })
  // Each item as `"key":{…}`; JSON.stringify quotes a key such as __proto__ as any other.
  const items = [...history.items].map(([key, entry]) => ({
    seen: entry.seen,
    text: `${JSON.stringify(key)}:${JSON.stringify(HISTORY_ENTRY.write(entry))}`
  }))
  const bytes = (text: string): number => Buffer.byteLength(text) + 1
  // `{…,"items":{` and `}}` plus a newline, and a comma or brace per item.
  let room = maxBytes - bytes(head) - '"items":{}'.length - 1
  const kept = new Set<number>()
  const byRecency = items.map((_, position) => position)
  byRecency.sort((a, b) => (items[b]?.seen as number) - (items[a]?.seen as number) || a - b)
  for (const position of byRecency) {
    const size = bytes((items[position] as { text: string }).text)
    if (size > room) break
    room -= size
    kept.add(position)
  }
  const written = items.filter((_, position) => kept.has(position)).map(item => item.text)
  return `${head.slice(0, -1)},"items":{${written.join(',')}}}\n`
}

/** Writes the history for the next run into `directory`, and returns its path. */
export async function writeHistory(directory: string, history: History): Promise<string> {
  const path = join(directory, HISTORY_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, historyFileText(history))
  return path
}
