import { fileOfSlot } from '../model/batch-runs.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { FieldError } from './field-formats.js'
import { shownJson } from './json-shown.js'
import { RECORDS_KEY } from './report-format.js'

// What a results file's records must agree on about the worker slots and locks they held.

/** Names a field of the record being checked, as `results[3].slots`. */
type FieldName = (name: string) => string

/**
 * Every record's worker slot is one of the run's workers, and so is each of its `slots` (see
 * checkHeldSlots); a record's `locks` name each lock once.
 */
export function checkSlots(report: RunReport): void {
  const fileOf = fileOfSlot(report.merged?.slotsPerFile ?? [report.workers])
  report.records.forEach((record, position) => {
    const field = (name: string): string => `${RECORDS_KEY}[${position}].${name}`
    if (record.slot !== null && record.slot > report.workers) {
      throw new FieldError(
        field('slot'),
        `is ${record.slot}. Expected at most the ${report.workers} workers of the run`
      )
    }
    if (record.slots !== undefined) checkHeldSlots(record, report, fileOf, field)
    if (record.locks !== undefined) checkLocks(record.locks, field)
  })
}

/**
 * `slots` lists every slot a task held when it held more than one: only with a `slot`, which is
 * its first, then ascending, each once, each one of the run's workers, and in a merge all of one
 * merged file's (a task runs in one job).
 */
function checkHeldSlots(
  record: TaskRecord,
  report: RunReport,
  fileOf: (slot: number) => number,
  field: FieldName
): void {
  const { slot, slots = [] } = record
  if (slot === null) {
    throw new FieldError(
      field('slots'),
      `is ${shownJson(slots)}, but slot is null. Expected slots only on a result that ran`
    )
  }
  if (slots.length < 2) {
    throw new FieldError(
      field('slots'),
      `is ${shownJson(slots)}. Expected every slot the task held when more than one, else no slots`
    )
  }
  slots.forEach((held, k) => {
    const at = `${field('slots')}[${k}]`
    if (k === 0 && held !== slot) {
      throw new FieldError(at, `is ${held}. Expected the result's slot, ${slot}, first`)
    }
    if (k > 0 && held <= (slots[k - 1] as number)) {
      throw new FieldError(at, `is ${held}. Expected slot numbers in ascending order, each once`)
    }
    if (held > report.workers) {
      throw new FieldError(
        at,
        `is ${held}. Expected at most the ${report.workers} workers of the run`
      )
    }
    if (fileOf(held) !== fileOf(slot)) {
      throw new FieldError(
        at,
        `is ${held}, a slot of merged file ${fileOf(held)}. ` +
          `Expected the slots of one file, that of slot ${slot} (file ${fileOf(slot)})`
      )
    }
  })
}

/**
 * `locks` names the locks a task held, each once and none empty; absent for none. Errors name
 * positions, never a lock's name (see lock-names.ts).
 */
function checkLocks(locks: readonly string[], field: FieldName): void {
  if (locks.length === 0) {
    throw new FieldError(field('locks'), 'is []. Expected the locks the task held, else no locks')
  }
  const firstAt = new Map<string, number>()
  locks.forEach((name, k) => {
    const at = `${field('locks')}[${k}]`
    if (name === '') throw new FieldError(at, 'is "". Expected a lock name, not empty')
    const first = firstAt.get(name)
    if (first !== undefined) {
      throw new FieldError(at, `repeats locks[${first}]. Expected each lock once`)
    }
    firstAt.set(name, k)
  })
}
