import {
  historyAfter,
  historyKeys,
  type History,
  type HistoryRecord,
  type RunToRecord
} from '../../src/model/history.js'
import { type Item } from '../../src/model/item.js'
import { type RunReport, countStatuses } from '../../src/model/run-report.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'

/** A finished task's record with plausible defaults. */
export function record(
  index: number,
  item: Item,
  status: TaskStatus,
  extra: Partial<TaskRecord> = {}
): TaskRecord {
  // Skipped and reused tasks did not run here: no process, no times, no slot.
  const ran = status !== TaskStatus.Skipped && status !== TaskStatus.Reused
  return {
    index,
    item,
    status,
    exitCode: !ran ? null : status === TaskStatus.Success ? 0 : 1,
    signal: null,
    durationMs: ran ? 1000 : 0,
    attempts: ran ? 1 : 0,
    // Not String(item): an object item may have a key `toString` that is not a function.
    command: `echo ${typeof item === 'string' ? item : JSON.stringify(item)}`,
    slot: ran ? 1 : null,
    startedAt: ran ? 1_700_000_000_000 : null,
    endedAt: ran ? 1_700_000_001_000 : null,
    outputTail: '',
    error: null,
    outputs: {},
    summary: '',
    ...extra
  }
}

/**
 * The records of one batch, one per member (`[index, item]`, in input order), as a run writes
 * them: each has the batch's status, exit code, times, slot, attempts and output, and `batch`;
 * the command, and what it wrote to its step files, are on the first member only.
 */
export function batchRecords(
  batch: number,
  members: readonly (readonly [number, Item])[],
  status: TaskStatus,
  extra: Partial<TaskRecord> = {}
): TaskRecord[] {
  const [first] = members
  if (first === undefined) throw new Error('A batch has at least one item.')
  const texts = members.map(([, item]) => (typeof item === 'string' ? item : JSON.stringify(item)))
  const shared = record(first[0], first[1], status, {
    command: `echo ${texts.join(' ')}`,
    ...extra
  })
  return members.map(([index, item], position) => ({
    ...shared,
    index,
    item,
    batch,
    command: position === 0 ? shared.command : '',
    outputs: position === 0 ? shared.outputs : {},
    summary: position === 0 ? shared.summary : ''
  }))
}

/** A run report over the given records. */
export function report(records: TaskRecord[], extra: Partial<RunReport> = {}): RunReport {
  return {
    records,
    counts: countStatuses(records),
    durationMs: 2000,
    workers: 2,
    shell: 'bash',
    haltReason: null,
    haltKind: null,
    ...extra
  }
}

/**
 * historyAfter for records that are a whole run's input, in input order: keyed by historyKeys of
 * their items, as a merge's records are.
 */
export function historyAfterAll(
  previous: History,
  run: RunToRecord,
  records: readonly HistoryRecord[]
): History {
  return historyAfter(previous, run, records, historyKeys(records.map(one => one.item)))
}
