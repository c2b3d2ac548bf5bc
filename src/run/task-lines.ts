import * as core from '../action/actions-core.js'
import { type PreparedItem } from '../exec/command-task.js'
import { type Outcome } from '../exec/scheduler.js'
import { type Waiting } from '../exec/start-gate.js'
import { itemLabel } from '../model/labels.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { type Item } from '../model/item.js'
import { STATUS_MARK, STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { taskTitle } from '../log/task-title.js'
import { type MemoryFigures, type ProgressState, startProgress } from '../log/progress.js'
import { type TaskObserver } from './task-observer.js'

/** How often a progress line is printed while tasks run. */
const PROGRESS_INTERVAL_MS = 30_000

/**
 * Counts done, unsuccessful and running tasks, and prints a progress line now and then. Reused
 * tasks take no time, so they are left out of done and total: the pace is that of the tasks run.
 */
export class Progress implements TaskObserver {
  /** When the run's tasks began: the progress line's and the report's clock. */
  readonly startedAt = Date.now()
  private done = 0
  private unsuccessful = 0
  private running = 0
  /** Items of the batches done, under `batch-size`. */
  private itemsDone = 0
  /** What ready tasks wait on besides free workers, as the scheduler last said. */
  private waiting: Waiting | undefined
  /** Stops the progress lines. */
  readonly stop: () => void

  /**
   * `total` counts every task, `reused` those of them settled before the run; `batchSizes` under
   * `batch-size`: each task's items, by its index (a reused item is a task of one); `memory`
   * under `memfree`: the gate, whose last reading (taken as a task asked to start) each line says.
   */
  constructor(
    private readonly total: number,
    private readonly reused = 0,
    private readonly batchSizes?: readonly number[],
    private readonly memory?: MemoryFigures
  ) {
    this.stop = startProgress(PROGRESS_INTERVAL_MS, () => this.state(), core.info)
  }

  /** What the progress line says now. */
  state(): ProgressState {
    return {
      done: this.done,
      total: this.total - this.reused,
      failed: this.unsuccessful,
      running: this.running,
      elapsedMs: Date.now() - this.startedAt,
      reused: this.reused,
      ...(this.batchSizes === undefined ? {} : { items: this.itemCounts(this.batchSizes) }),
      ...(this.waiting === undefined ? {} : { waiting: this.waiting }),
      ...(this.memory === undefined ? {} : { memory: this.memoryNow(this.memory) })
    }
  }

  /** Keeps what ready tasks wait on (locks, slots, free memory) for the next progress line. */
  waitingOn(waiting: Waiting): void {
    this.waiting = waiting
  }

  /** The memory figures as they are now (the gate's last reading changes as tasks start). */
  private memoryNow(memory: MemoryFigures): MemoryFigures {
    return { memfree: memory.memfree, available: memory.available }
  }

  /** Items done of the items that run (every item but the reused ones). */
  private itemCounts(sizes: readonly number[]): { done: number; total: number } {
    const items = sizes.reduce((sum, size) => sum + size, 0)
    return { done: this.itemsDone, total: items - this.reused }
  }

  started(): void {
    this.running++
  }

  settled(outcome: Outcome<TaskRecord>): void {
    // A reused task was done before the run began: it is no part of this run's pace.
    if (outcome.status === TaskStatus.Reused) return
    this.done++
    this.itemsDone += this.batchSizes?.[outcome.index] ?? 1
    if (outcome.slot !== undefined) this.running--
    if (isUnsuccessful(outcome.status)) this.unsuccessful++
  }
}

/** Keeps the first task that did not succeed, for the halt reason of a fail-fast after one. */
export class FirstFailure implements TaskObserver {
  outcome: Outcome<TaskRecord> | undefined

  settled(outcome: Outcome<TaskRecord>): void {
    if (isUnsuccessful(outcome.status)) this.outcome ??= outcome
  }
}

/** Prints a line for each task skipped because tasks it needs did not succeed, naming them. */
export class SkippedLines implements TaskObserver {
  constructor(private readonly prepared: readonly PreparedItem[]) {}

  settled(outcome: Outcome<TaskRecord>): void {
    if (outcome.blockedBy === undefined) return
    const task = this.prepared[outcome.index] as PreparedItem
    core.info(skippedLine(task.index, task.item, outcome.reason ?? ''))
  }
}

/** Prints a debug line as each task starts and ends. */
export class DebugLines implements TaskObserver {
  constructor(private readonly prepared: readonly PreparedItem[]) {}

  started(index: number, slot: number): void {
    const item = itemLabel(this.prepared[index]?.item ?? '')
    core.debug(`Task ${this.numberOf(index)} started in slot ${slot}: ${item}`)
  }

  settled(outcome: Outcome<TaskRecord>): void {
    core.debug(`Task ${this.numberOf(outcome.index)} ended: ${STATUS_WORDS[outcome.status]}`)
  }

  /** Tasks are numbered by their place in the whole input, also under `shard`. */
  private numberOf(position: number): number {
    return (this.prepared[position] as PreparedItem).index + 1
  }
}

/** The log line of a task skipped for its needs: `⏭️ #3 deploy: skipped, because test failed`. */
function skippedLine(index: number, item: Item, reason: string): string {
  const mark = STATUS_MARK[TaskStatus.Skipped]
  return `${mark} ${taskTitle(index, item)}: ${STATUS_WORDS[TaskStatus.Skipped]}, because ${reason}`
}
