import { batchKey } from '../model/batch-runs.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { FieldError } from './field-formats.js'
import { shownJson } from './json-shown.js'
import { RECORDS_KEY } from './report-format.js'

/** The fields every member of a batch has from the batch's one command. */
const BATCH_FIELDS = [
  'status',
  'exitCode',
  'signal',
  'slot',
  'startedAt',
  'endedAt',
  'durationMs',
  'attempts'
] as const

/** The first record of a batch seen, where it is, and how many members were seen so far. */
interface BatchSeen {
  record: TaskRecord
  position: number
  members: number
}

/**
 * A batch's members share what its one command did: status, exit, signal, slot (and slots), times
 * and attempts. A run has batches only with `batchSize`, numbers them 1, 2, … without a gap, and a
 * batch of a whole-number batchSize holds at most that many items. A merge keeps each file's
 * numbers: there a batch is known by its file and number (see batchKey).
 */
export function checkBatches(report: RunReport): void {
  const keyOf = batchKey(report)
  const seen = new Map<string, BatchSeen>()
  const field = (position: number, name: string): string => `${RECORDS_KEY}[${position}].${name}`
  report.records.forEach((record, position) => {
    const key = keyOf(record)
    if (key === undefined) return
    if (report.merged === undefined && report.batchSize === undefined) {
      throw new FieldError(
        field(position, 'batch'),
        `is ${record.batch}, but the run has no batchSize. Expected a batch only when items ran in batches`
      )
    }
    const first = seen.get(key)
    if (first === undefined) {
      seen.set(key, { record, position, members: 1 })
      return
    }
    first.members++
    const differs = BATCH_FIELDS.find(name => record[name] !== first.record[name])
    if (differs !== undefined) {
      throw new FieldError(
        field(position, differs),
        `is ${String(record[differs])}, but item ${first.record.index + 1} of batch ${record.batch} ` +
          `has ${String(first.record[differs])}. Expected the members of a batch to share its ${differs}`
      )
    }
    // The slots its command held: the timeline draws a batch from its first member's.
    if (String(record.slots) !== String(first.record.slots)) {
      const shown = (slots: readonly number[] | undefined, none: string): string =>
        slots === undefined ? none : shownJson(slots)
      throw new FieldError(
        field(position, 'slots'),
        `is ${shown(record.slots, 'missing')}, but item ${first.record.index + 1} of batch ` +
          `${record.batch} has ${shown(first.record.slots, 'none')}. ` +
          'Expected the members of a batch to share its slots'
      )
    }
    const size = report.batchSize
    if (typeof size === 'number' && report.merged === undefined && first.members > size) {
      throw new FieldError(
        field(position, 'batch'),
        `is ${record.batch}, a batch of more than the batchSize of ${size} items. ` +
          `Expected at most ${size} items per batch`
      )
    }
  })
  if (report.merged === undefined) checkNumbers(seen, field)
}

/** A run's batch numbers are 1 to the number of batches, each used: none is above that number. */
function checkNumbers(
  seen: ReadonlyMap<string, BatchSeen>,
  field: (position: number, name: string) => string
): void {
  for (const { record, position } of seen.values()) {
    if ((record.batch as number) > seen.size) {
      throw new FieldError(
        field(position, 'batch'),
        `is ${record.batch}, but the results hold ${seen.size} batches. ` +
          `Expected batch numbers 1 to ${seen.size}, each used`
      )
    }
  }
}
