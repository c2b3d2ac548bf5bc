import { commandRunName, commandRuns } from '../model/batch-runs.js'
import { type RunReport } from '../model/run-report.js'
import { ranInThisRun, type TaskRecord } from '../model/task-record.js'
import { type TaskStatus } from '../model/task-status.js'

/** One task as drawn on a timeline. */
export interface TimelineTask {
  /** Text shown for the task (an item or task name: untrusted, any characters, any length). */
  label: string
  /** 1-based worker slot it ran in: its first (lowest) when it held several. */
  slot: number
  /** Every worker slot it held, lowest first, when more than one (a record's `slots`). */
  slots?: readonly number[]
  /** Start, in ms since the run started. */
  startMs: number
  /** End, in ms since the run started. */
  endMs: number
  status: TaskStatus
  /** The items of the batch the bar is (its one command), absent for a task run alone. */
  batchItems?: number
}

/** When a task ran on the timeline, after {@link slotTimes}. */
export interface SlotTime {
  /** Index into the tasks given. */
  index: number
  slot: number
  start: number
  end: number
}

/** Longest label of a task on a timeline (charts cut them shorter still). */
const LABEL_CHARS = 200
/** Longest name of a batch on a timeline, which names its first item: a bar's label is short. */
const BATCH_LABEL_CHARS = 30

/**
 * The tasks a timeline draws for records that ran, times counted from `originOf` each record:
 * one per command, so a batch is one bar (named by its number and first items), not one per item
 * stacked on the same slot and times.
 */
export function timelineTasks(
  ran: readonly TaskRecord[],
  report: Pick<RunReport, 'merged' | 'records'>,
  originOf: (record: TaskRecord) => number
): TimelineTask[] {
  return commandRuns(ran, report).map(run => {
    const [record] = run
    return {
      label:
        record.batch === undefined
          ? commandRunName(run, LABEL_CHARS)
          : commandRunName(run, BATCH_LABEL_CHARS),
      slot: record.slot ?? 1,
      ...(record.slots === undefined ? {} : { slots: record.slots }),
      startMs: (record.startedAt as number) - originOf(record),
      endMs: (record.endedAt as number) - originOf(record),
      status: record.status,
      ...(record.batch === undefined ? {} : { batchItems: run.length })
    }
  })
}

/** A time in ms as a finite, non-negative number. */
const time = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? ms : 0)

/** A slot as a whole number of at least 1. */
const slotOf = (slot: number): number => (Number.isFinite(slot) ? Math.max(1, Math.floor(slot)) : 1)

/** The distinct slots a task held, as whole numbers of at least 1, lowest first. */
function heldSlots(task: Pick<TimelineTask, 'slot' | 'slots'>): number[] {
  // Almost every task holds one slot: no set or sort for it.
  if (task.slots === undefined) return [slotOf(task.slot)]
  const held = new Set([task.slot, ...(task.slots ?? [])].map(slotOf))
  return [...held].sort((a, b) => a - b)
}

/**
 * When each task that ran was on each worker slot it held (one entry per slot, so a task that
 * held 3 slots is on all 3): times made finite and not negative, and no two tasks of one slot
 * overlapping. A slot runs one task at a time, so an overlap is only ever an artefact of measuring
 * (a task's end is its start plus a rounded monotonic duration, the next start is read from the
 * wall clock, and results files from other machines keep what they were given): a task's end is
 * cut back to the start of the next task on that slot. Skipped and reused tasks (they did not run
 * here) are left out. In slot order, then start order.
 */
export function slotTimes(tasks: readonly TimelineTask[]): SlotTime[] {
  const ran = tasks.flatMap((task, index): SlotTime[] => {
    if (!ranInThisRun(task.status)) return []
    const start = time(task.startMs)
    const end = Math.max(start, time(task.endMs))
    return heldSlots(task).map(slot => ({ index, slot, start, end }))
  })
  ran.sort((a, b) => a.slot - b.slot || a.start - b.start || a.index - b.index)
  for (let i = 0; i + 1 < ran.length; i++) {
    const current = ran[i] as SlotTime
    const next = ran[i + 1] as SlotTime
    if (next.slot === current.slot && current.end > next.start) current.end = next.start
  }
  return ran
}
