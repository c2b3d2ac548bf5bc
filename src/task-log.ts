import { LogMode } from './constants.js'
import { formatDuration } from './duration.js'
import { itemLabel } from './labels.js'
import { type TaskOutput } from './task-output.js'
import { isUnsuccessful, type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'

/** Where log text goes: the action's stdout, which the runner shows as the step's log. */
export type LogSink = (data: string | Buffer) => void

const STATUS_ICON: Record<TaskStatus, string> = {
  [TaskStatus.Success]: '✅',
  [TaskStatus.Failure]: '❌',
  [TaskStatus.TimedOut]: '⏱️',
  [TaskStatus.Cancelled]: '⛔',
  [TaskStatus.Skipped]: '⏭️'
}

/** Longest line fragment a stream-mode task may hold back while waiting for its newline. */
const MAX_PENDING_LINE = 64 * 1024

/** The one line that says how a task ended: used as a group title and in the failures log. */
export function taskHeadline(record: TaskRecord, total: number): string {
  const how =
    record.status === TaskStatus.Success
      ? `succeeded in ${formatDuration(record.durationMs)}`
      : record.status === TaskStatus.Skipped
        ? 'skipped'
        : `${record.status}${exitDetail(record)} after ${formatDuration(record.durationMs)}`
  const retried = record.attempts > 1 ? ` (attempt ${record.attempts})` : ''
  return `${STATUS_ICON[record.status]} [${record.index + 1}/${total}] ${itemLabel(record.item)}: ${how}${retried}`
}

function exitDetail(record: TaskRecord): string {
  if (record.signal !== null) return ` (${record.signal}, exit code ${record.exitCode})`
  if (record.exitCode !== null) return ` (exit code ${record.exitCode})`
  return ''
}

/**
 * Prints task output according to the log mode. Grouped output is printed whole when a task
 * ends, one task at a time, so groups never interleave; stream output is printed line by line
 * with a prefix, holding back only a task's unfinished line.
 */
export class TaskLog {
  private printing: Promise<void> = Promise.resolve()
  private readonly pendingLines = new Map<number, Buffer>()

  constructor(
    private readonly mode: LogMode,
    private readonly total: number,
    private readonly sink: LogSink
  ) {}

  /** True when the output of a task has to be kept whole until it ends. */
  get replaysOutput(): boolean {
    return this.mode === LogMode.Grouped || this.mode === LogMode.Failures
  }

  /** A chunk of a running task's output (stream mode prints it; other modes wait for the end). */
  output(index: number, item: TaskRecord['item'], chunk: Buffer): void {
    if (this.mode !== LogMode.Stream) return
    const prefix = `[${index + 1} ${itemLabel(item, 40)}] `
    let pending = this.pendingLines.get(index)
    let data = pending ? Buffer.concat([pending, chunk]) : chunk
    let start = 0
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      this.sink(prefix)
      this.sink(data.subarray(start, newline + 1))
      start = newline + 1
    }
    pending = data.subarray(start)
    if (pending.length > MAX_PENDING_LINE) {
      // A very long line is printed in pieces rather than held without bound.
      this.sink(prefix)
      this.sink(pending)
      this.sink('\n')
      pending = Buffer.alloc(0)
    }
    data = pending
    if (data.length > 0) this.pendingLines.set(index, Buffer.from(data))
    else this.pendingLines.delete(index)
  }

  /**
   * A task has ended: print what the mode asks for, then dispose of its output. Resolves once
   * printed; calls are printed in the order they are made.
   */
  end(record: TaskRecord, output: TaskOutput): Promise<void> {
    this.printing = this.printing.then(() =>
      this.print(record, output).catch((error: unknown) => {
        this.sink(`Could not print the output of task ${record.index + 1}: ${String(error)}\n`)
      })
    )
    return this.printing
  }

  /** Resolves when everything handed to end() has been printed. */
  flushed(): Promise<void> {
    return this.printing
  }

  private async print(record: TaskRecord, output: TaskOutput): Promise<void> {
    try {
      const headline = taskHeadline(record, this.total)
      switch (this.mode) {
        case LogMode.Grouped:
          await this.printGroup(headline, record, output)
          break
        case LogMode.Failures:
          if (isUnsuccessful(record.status)) await this.printGroup(headline, record, output)
          else this.sink(`${headline}\n`)
          break
        case LogMode.Stream: {
          const pending = this.pendingLines.get(record.index)
          if (pending) {
            this.sink(`[${record.index + 1} ${itemLabel(record.item, 40)}] `)
            this.sink(pending)
            this.sink('\n')
            this.pendingLines.delete(record.index)
          }
          this.sink(`${headline}\n`)
          break
        }
        case LogMode.None:
          break
      }
    } finally {
      await output.dispose()
    }
  }

  private async printGroup(
    headline: string,
    record: TaskRecord,
    output: TaskOutput
  ): Promise<void> {
    this.sink(`::group::${escapeCommandData(headline)}\n`)
    if (record.error !== null) this.sink(`${record.error}\n`)
    let last = 10
    await output.replay(chunk => {
      if (chunk.length === 0) return
      last = chunk[chunk.length - 1] as number
      this.sink(chunk)
    })
    // ::endgroup:: only counts at the start of a line.
    if (last !== 10) this.sink('\n')
    this.sink('::endgroup::\n')
  }
}

/** Escapes the data part of a workflow command, as @actions/core does. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
