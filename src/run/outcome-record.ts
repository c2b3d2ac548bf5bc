import { digestFields, type PreparedItem } from '../exec/command-task.js'
import { type Outcome, type TaskReport } from '../exec/scheduler.js'
import { type ReusedFrom, type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** The record of an item that never produced one: skipped, or its task threw. */
export function recordOf(
  outcome: Outcome<TaskRecord>,
  prepared: readonly PreparedItem[]
): TaskRecord {
  const item = prepared[outcome.index] as PreparedItem
  return {
    ...notRun(item, outcome.status),
    attempts: outcome.status === TaskStatus.Skipped ? 0 : 1,
    slot: outcome.slot ?? null,
    ...heldBy(outcome, item),
    error: outcome.error === undefined ? null : String(outcome.error),
    skipReason: outcome.reason,
    // The needs by their items' indexes: in a shard, the scheduler numbers only the shard's items.
    blockedBy: outcome.blockedBy?.map(need => (prepared[need.index] as PreparedItem).index)
  }
}

/** Every slot (when more than one) and lock held by a task that started, as its record keeps them. */
function heldBy(
  outcome: Outcome<TaskRecord>,
  item: PreparedItem
): Pick<TaskRecord, 'slots' | 'locks'> {
  if (outcome.slot === undefined) return {}
  return {
    ...(outcome.slots !== undefined && outcome.slots.length > 1
      ? { slots: [...outcome.slots] }
      : {}),
    ...(item.locks === undefined ? {} : { locks: [...item.locks] })
  }
}

/** The record of an item not run because its success in an earlier attempt or run stands. */
export function reusedRecord(item: PreparedItem, reusedFrom: ReusedFrom): TaskRecord {
  return { ...notRun(item, TaskStatus.Reused), reusedFrom }
}

/** What the scheduler settles before the run for each reused item, by its place in the plan. */
export function reusedReports(
  prepared: readonly PreparedItem[],
  reused: ReadonlyMap<number, ReusedFrom> | undefined
): Map<number, TaskReport<TaskRecord>> {
  const reports = new Map<number, TaskReport<TaskRecord>>()
  for (const [position, from] of reused ?? []) {
    const item = prepared[position]
    if (item === undefined) continue
    reports.set(position, { status: TaskStatus.Reused, value: reusedRecord(item, from) })
  }
  return reports
}

/** The fields of a record whose process never ran (or never got that far). */
function notRun(item: PreparedItem, status: TaskStatus): TaskRecord {
  return {
    index: item.index,
    item: item.item,
    status,
    exitCode: null,
    signal: null,
    durationMs: 0,
    ...(item.batch === undefined ? {} : { batch: item.batch.number }),
    attempts: 0,
    command: item.command.display,
    slot: null,
    startedAt: null,
    endedAt: null,
    outputTail: '',
    error: null,
    outputs: {},
    summary: '',
    needs: item.needs,
    ...digestFields(item.digests)
  }
}
