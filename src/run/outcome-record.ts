import { type PreparedItem } from '../exec/command-task.js'
import { type Outcome } from '../exec/scheduler.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'

/** The record of an item that never produced one: skipped, or its task threw. */
export function recordOf(
  outcome: Outcome<TaskRecord>,
  prepared: readonly PreparedItem[]
): TaskRecord {
  const item = prepared[outcome.index] as PreparedItem
  return {
    index: item.index,
    item: item.item,
    status: outcome.status,
    exitCode: null,
    signal: null,
    durationMs: 0,
    attempts: outcome.status === TaskStatus.Skipped ? 0 : 1,
    command: item.command.display,
    slot: outcome.slot ?? null,
    startedAt: null,
    endedAt: null,
    outputTail: '',
    error: outcome.error === undefined ? null : String(outcome.error),
    outputs: {},
    summary: '',
    needs: item.needs,
    skipReason: outcome.reason,
    // The needs by their items' indexes: in a shard, the scheduler numbers only the shard's items.
    blockedBy: outcome.blockedBy?.map(need => (prepared[need.index] as PreparedItem).index)
  }
}
