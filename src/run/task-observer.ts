import { type Outcome } from '../exec/scheduler.js'
import { type TaskRecord } from '../model/task-record.js'

/** Something that reacts to each task of a run: as it starts, as it settles, and once at the end. */
export interface TaskObserver {
  /** A task started in a worker slot (its first; `slots` lists every slot it holds). */
  started?(index: number, slot: number, slots: readonly number[]): void
  /** An item got its outcome (skipped ones included); `index` is its place in the plan. */
  settled?(outcome: Outcome<TaskRecord>): void
  /** The tasks have all settled: finish what is still under way (the run's report waits). */
  finished?(): Promise<void>
}

/** Runs `afterTask` for each task as it ends, while others go on; finished() waits for all. */
export class AfterEachTask implements TaskObserver {
  private readonly pending: Promise<void>[] = []

  constructor(private readonly afterTask: (record: TaskRecord) => Promise<void>) {}

  settled(outcome: Outcome<TaskRecord>): void {
    if (outcome.value !== undefined) this.pending.push(this.afterTask(outcome.value))
  }

  async finished(): Promise<void> {
    await Promise.all(this.pending)
  }
}

/** The scheduler's onStart and onSettled, calling each observer in order. */
export function notifyAll(observers: readonly TaskObserver[]): {
  onStart: (index: number, slot: number, slots: readonly number[]) => void
  onSettled: (outcome: Outcome<TaskRecord>) => void
} {
  const starting = observers.filter(observer => observer.started !== undefined)
  const settling = observers.filter(observer => observer.settled !== undefined)
  return {
    onStart: (index, slot, slots) => {
      for (const observer of starting) observer.started?.(index, slot, slots)
    },
    onSettled: outcome => {
      for (const observer of settling) observer.settled?.(outcome)
    }
  }
}

/** Waits for every observer to finish what it has under way. */
export async function finishAll(observers: readonly TaskObserver[]): Promise<void> {
  await Promise.all(observers.map(observer => observer.finished?.()))
}
