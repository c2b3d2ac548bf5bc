import { type BatchOf, digestFields, type PreparedItem } from '../exec/command-task.js'
import { type TaskRecord } from '../model/task-record.js'
import { type RunPlan } from '../plan/run-plan.js'

/**
 * A batch's record as one record per member, in the batch's order: each carries the batch's
 * status, exit code, signal, duration, attempts, command, slot (and every slot and lock it held),
 * times, error, output tail and `flaky`, and `batch`; its own item, index and digests. The
 * batch's command, what it wrote to GITHUB_OUTPUT and GITHUB_STEP_SUMMARY go to its first member
 * only (the others get '', `{}`, ''): nothing is shown twice, and results grow with the items,
 * not with their square.
 */
export function memberRecords(
  record: TaskRecord,
  batch: BatchOf,
  preparedOf: (index: number) => PreparedItem | undefined
): TaskRecord[] {
  return batch.members.map(({ item, index }, position): TaskRecord => {
    const first = position === 0
    return {
      index,
      item,
      status: record.status,
      exitCode: record.exitCode,
      signal: record.signal,
      durationMs: record.durationMs,
      batch: batch.number,
      attempts: record.attempts,
      command: first ? record.command : '',
      slot: record.slot,
      ...(record.slots === undefined ? {} : { slots: record.slots }),
      ...(record.locks === undefined ? {} : { locks: record.locks }),
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      outputTail: record.outputTail,
      error: record.error,
      outputs: first ? record.outputs : {},
      summary: first ? record.summary : '',
      ...(record.skipReason === undefined ? {} : { skipReason: record.skipReason }),
      ...(record.flaky === undefined ? {} : { flaky: record.flaky }),
      // Digests stay each item's own, from it rendered alone: not its batch's.
      ...digestFields(preparedOf(index)?.digests)
    }
  })
}

/** Turns the records of a run's batches into records of their items; others pass as they are. */
export class BatchRecords {
  private readonly batches = new Map<number, BatchOf>()
  private readonly prepared = new Map<number, PreparedItem>()
  /** Each batch record's members, made once: the job log asks as it settles, the report after. */
  private readonly members = new WeakMap<TaskRecord, TaskRecord[]>()

  constructor(plan: RunPlan) {
    // Without batches every record passes as it is: nothing to look up.
    if (plan.batches === undefined) return
    for (const unit of plan.batches) {
      if (unit.batch !== undefined) this.batches.set(unit.batch.number, unit.batch)
    }
    for (const item of plan.prepared) this.prepared.set(item.index, item)
  }

  /** One record per item: a batch's record becomes its members' (memberRecords). */
  expand(record: TaskRecord): TaskRecord[] {
    const batch = record.batch === undefined ? undefined : this.batches.get(record.batch)
    if (batch === undefined) return [record]
    const known = this.members.get(record)
    if (known !== undefined) return known
    const members = memberRecords(record, batch, index => this.prepared.get(index))
    this.members.set(record, members)
    return members
  }

  /** Every item's record, in input order, from the records of batches and reused items. */
  expandAll(records: readonly TaskRecord[]): TaskRecord[] {
    return records.flatMap(record => this.expand(record)).sort((a, b) => a.index - b.index)
  }
}

/**
 * What the scheduler runs: the plan itself, or under `batch-size` one task per batch (by
 * `batchPriorities`) and then each reused item, settled before the run as without batches.
 */
export function schedulerUnits(plan: RunPlan): RunPlan {
  if (plan.batches === undefined) return plan
  const batches = plan.batches
  const reusedItems = [...(plan.reused ?? [])].sort(([a], [b]) => a - b)
  const prepared = [
    ...batches,
    ...reusedItems.map(([position]) => plan.prepared[position] as PreparedItem)
  ]
  const reused = new Map(reusedItems.map(([, from], offset) => [batches.length + offset, from]))
  const positionOf = new Map(plan.prepared.map((item, position) => [item.index, position]))
  return {
    template: plan.template,
    prepared,
    needs: undefined,
    priorities: [...(plan.batchPriorities ?? batches.map(() => 0)), ...reusedItems.map(() => 0)],
    // A batch is known by its first item, as in the log.
    keys: prepared.map(unit => plan.keys[positionOf.get(unit.index) as number] as string),
    shard: plan.shard,
    reused,
    batches
  }
}
