import { type TaskContext, type TaskReport } from './executor.js'
import { itemText, type Item } from './item.js'
import { runProcess, type RunResult } from './process-runner.js'
import { type TaskLog } from './task-log.js'
import { TaskOutput } from './task-output.js'
import { type TaskRecord } from './task-record.js'
import { TaskStatus } from './task-status.js'
import { type CommandTemplate, type RenderedCommand } from './template.js'

/** An item whose command has been rendered and checked before anything runs. */
export interface PreparedItem {
  item: Item
  /** The command rendered before the run; rendered again at start when it uses {%}. */
  command: RenderedCommand
}

export interface CommandTaskOptions {
  template: CommandTemplate
  /** Directory the commands run in. */
  cwd: string
  /** Environment every task starts from; each also gets PARALLEL_ITEM, PARALLEL_SEQ, PARALLEL_JOBSLOT. */
  env: NodeJS.ProcessEnv
  /** Per-task time limit in milliseconds. */
  timeoutMs: number | undefined
  /** Grace between SIGTERM and SIGKILL when stopping a task. */
  killGraceMs?: number
  /** Where task output is printed. */
  log: TaskLog
  /** Directory for output that does not fit in memory. */
  tempDir: string
  /** Called as each record is complete. */
  onRecord?: (record: TaskRecord) => void
}

/** Output kept per task for the summary, annotations and results file. */
const TAIL_LINES = 50
const TAIL_BYTES = 8 * 1024

/** Renders, runs and logs the command of one prepared item; the executor's task function. */
export function commandTask(
  options: CommandTaskOptions
): (prepared: PreparedItem, context: TaskContext) => Promise<TaskReport<TaskRecord>> {
  return async (prepared, context) => {
    const seq = context.index + 1
    const command = options.template.usesSlot
      ? options.template.render(prepared.item, seq, context.slot)
      : prepared.command
    const output = new TaskOutput({
      tempDir: options.tempDir,
      tailLines: TAIL_LINES,
      tailBytes: TAIL_BYTES
    })
    const result = await runProcess({
      file: command.file,
      args: command.args,
      cwd: options.cwd,
      env: {
        ...options.env,
        PARALLEL_ITEM: itemText(prepared.item),
        PARALLEL_SEQ: String(seq),
        PARALLEL_JOBSLOT: String(context.slot)
      },
      timeoutMs: options.timeoutMs,
      signal: context.signal,
      killGraceMs: options.killGraceMs,
      onOutput: chunk => {
        output.write(chunk)
        options.log.output(context.index, prepared.item, chunk)
      }
    })
    const record: TaskRecord = {
      index: context.index,
      item: prepared.item,
      status: statusOf(result),
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      attempts: 1,
      command: command.display,
      slot: context.slot,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      outputTail: output.tail().text,
      error: result.error ?? null
    }
    options.onRecord?.(record)
    // Printing is queued, not awaited: the worker slot is free as soon as the process ends.
    void options.log.end(record, output)
    return { status: record.status, value: record }
  }
}

/** How a finished process maps to a task status. */
export function statusOf(result: RunResult): TaskStatus {
  if (result.timedOut) return TaskStatus.TimedOut
  if (result.aborted) return TaskStatus.Cancelled
  return result.exitCode === 0 ? TaskStatus.Success : TaskStatus.Failure
}
