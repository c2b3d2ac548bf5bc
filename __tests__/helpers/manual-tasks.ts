import { type TaskContext, type TaskReport } from '../../src/exec/scheduler.js'
import { TaskStatus } from '../../src/model/task-status.js'

/** Lets the scheduler react to what just happened: every promise job and timer due now. */
export const settleDown = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/** One start of a task, as the task saw it. */
export interface Started {
  index: number
  slot: number
  slots: readonly number[]
}

/**
 * Tasks that end when the test says so (`end`), or cancelled when the run's signal aborts: the
 * test decides every moment of the run. Keeps what each task was given as it started.
 */
export class ManualTasks {
  readonly starts: Started[] = []
  private readonly running = new Map<number, (report: TaskReport<number>) => void>()

  /** The task function to hand to runTasks. */
  readonly task = (_item: unknown, context: TaskContext): Promise<TaskReport<number>> => {
    const { index, slot, slots, signal } = context
    this.starts.push({ index, slot, slots: [...slots] })
    return new Promise(resolve => {
      this.running.set(index, resolve)
      signal.addEventListener('abort', () => this.finish(index, TaskStatus.Cancelled))
    })
  }

  /** Indexes of the tasks started, in start order. */
  get started(): number[] {
    return this.starts.map(start => start.index)
  }

  /** Indexes of the tasks running now, lowest first. */
  get runningNow(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b)
  }

  /** Ends a running task and lets the scheduler react. */
  async end(index: number, status: TaskStatus = TaskStatus.Success): Promise<void> {
    if (!this.running.has(index)) throw new Error(`task ${index} is not running`)
    this.finish(index, status)
    await settleDown()
  }

  private finish(index: number, status: TaskStatus): void {
    const resolve = this.running.get(index)
    this.running.delete(index)
    resolve?.({ status, value: index })
  }
}
