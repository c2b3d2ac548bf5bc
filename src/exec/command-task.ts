import { type TaskContext, type TaskReport } from './scheduler.js'
import { Halt, HaltKind } from '../model/halt.js'
import { formatDuration } from '../model/duration.js'
import { itemText, type Item } from '../model/item.js'
import { runProcess, type RunResult } from './process-runner.js'
import { resolveProgram } from '../system/shell-path.js'
import { fitsOneString, stringBytes } from '../system/spawn-limits.js'
import { type StepFiles } from './step-files.js'
import { TaskFiles } from './task-files.js'
import { TaskOutput } from './task-output.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { type CommandTemplate, type RenderedCommand } from '../template/template.js'

/** An item whose command has been rendered and checked before anything runs. */
export interface PreparedItem {
  item: Item
  /** 0-based position in the whole input (under `shard` too, where the run holds only some items). */
  index: number
  /** The command rendered before the run; rendered again at start when it uses {%}. */
  command: RenderedCommand
  /** Names of the tasks it needs (named tasks only). */
  needs?: string[]
  /** Settings of its own that override the step's (named tasks only). */
  overrides?: {
    timeoutMs?: number
    retries?: number
    env?: Record<string, string>
    cwd?: string
  }
  /**
   * Bytes left for PARALLEL_ITEM once the task's arguments and the rest of its environment are
   * counted against the system's limit; undefined where that limit is not checked.
   */
  spawnRoom?: number
}

/** Where a command task's output goes: the few log methods it needs. */
export interface TaskOutputLog {
  /** Whether the log prints a task's output again when it ends (so it must be kept). */
  readonly replaysOutput: boolean
  /** Output as it comes; a promise holds the task back while the log catches up. */
  output(index: number, item: Item, chunk: Buffer): Promise<void> | void
  /** The task has ended: print what is left of it. */
  end(record: TaskRecord, output: TaskOutput): Promise<void>
}

export interface CommandTaskOptions {
  template: CommandTemplate
  /** Directory the commands run in. */
  cwd: string
  /**
   * Environment every task starts from; each also gets PARALLEL_ITEM (where it fits) and/or
   * PARALLEL_ITEM_FILE, PARALLEL_SEQ, PARALLEL_JOBSLOT and files of its own (see TaskFiles).
   */
  env: NodeJS.ProcessEnv
  /** Per-task time limit in milliseconds. */
  timeoutMs: number | undefined
  /** How many more times a failed or timed-out task is run. */
  retries?: number
  /** Delay before the first retry; it doubles with each further one. */
  retryDelayMs?: number
  /** Grace between SIGTERM and SIGKILL when stopping a task. */
  killGraceMs?: number
  /** Where task output is printed. */
  log: TaskOutputLog
  /** Directory for output that does not fit in memory, and for each task's own files. */
  tempDir: string
  /** Where each task's GITHUB_ENV, GITHUB_PATH, ... go once it ends; none without. */
  stepFiles?: StepFiles
  /** Source of randomness for retry jitter (tests pass a fixed one). */
  random?: () => number
}

/** Output kept per task for the summary, annotations and results file. */
const TAIL_LINES = 50
const TAIL_BYTES = 8 * 1024
/**
 * Output a launcher hands to the action before it writes the rest to a file of its own (one per
 * attempt): output read from a pipe is a fresh buffer per read that Node collects late (reading
 * 100 MB from a pipe takes a bare Node process to about 80 MB of memory).
 */
const LAUNCHER_FRAMED_BYTES = 64 * 1024
/** Longest wait between two attempts, however many retries. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000

/** Renders, runs (with retries) and logs the command of one prepared item; the executor's task function. */
export function commandTask(
  options: CommandTaskOptions
): (prepared: PreparedItem, context: TaskContext) => Promise<TaskReport<TaskRecord>> {
  // One set of files per worker slot, kept for every task that runs in it.
  const slotFiles = new Map<number, TaskFiles>()
  const stepFileCommands = options.stepFiles?.commands ?? []
  return async (prepared, context) => {
    const overrides = prepared.overrides ?? {}
    const retries = overrides.retries ?? options.retries ?? 0
    const index = prepared.index
    const seq = index + 1
    const command = options.template.usesSlot
      ? options.template.render(prepared.item, seq, context.slot)
      : prepared.command
    const output = new TaskOutput({
      tempDir: options.tempDir,
      tailLines: TAIL_LINES,
      tailBytes: TAIL_BYTES,
      retain: options.log.replaysOutput
    })
    const file = resolveProgram(command.file)
    const files =
      slotFiles.get(context.slot) ?? new TaskFiles(options.tempDir, context.slot, stepFileCommands)
    slotFiles.set(context.slot, files)
    const text = itemText(prepared.item)
    const env: NodeJS.ProcessEnv = { ...options.env, ...overrides.env }
    // The item is in PARALLEL_ITEM where it fits, and in a file where it does not or is JSON
    // (for tools that read JSON from a file): writing a file costs every task about 0.1 ms.
    const inVariable = itemVariableFits(text, prepared.spawnRoom)
    const inFile = !inVariable || (typeof prepared.item === 'object' && prepared.item !== null)
    if (inVariable) env.PARALLEL_ITEM = text
    else delete env.PARALLEL_ITEM
    if (inFile) env.PARALLEL_ITEM_FILE = files.itemPath
    else delete env.PARALLEL_ITEM_FILE
    env.PARALLEL_SEQ = String(seq)
    env.PARALLEL_JOBSLOT = String(context.slot)
    Object.assign(env, files.variables)
    const onOutput = (chunk: Buffer): Promise<void> | void => {
      output.write(chunk)
      return options.log.output(index, prepared.item, chunk)
    }

    let attempts = 0
    let result: RunResult
    let status: TaskStatus
    const startedAt = Date.now()
    for (;;) {
      attempts++
      // A failed attempt's outputs must not leak into the next one's.
      await files.reset(inFile ? text : undefined)
      result = await runProcess({
        file,
        args: command.args,
        cwd: overrides.cwd ?? options.cwd,
        env,
        timeoutMs: overrides.timeoutMs ?? options.timeoutMs,
        signal: context.signal,
        killGraceMs: options.killGraceMs,
        onOutput,
        outputFile: output.spillTarget(LAUNCHER_FRAMED_BYTES)
      })
      status = statusOf(result, context.signal)
      if (!isRetryable(status) || attempts > retries) break
      const delayMs = retryDelayMs(options.retryDelayMs ?? 1000, attempts, options.random)
      onOutput(
        Buffer.from(
          `\n── attempt ${attempts} of ${retries + 1} ended ${status}${exitDetail(result)}; ` +
            `retrying in ${formatDuration(delayMs)} ──\n`
        )
      )
      if (await sleepUnlessAborted(delayMs, context.signal)) {
        status = statusOf({ ...result, aborted: true, timedOut: false }, context.signal)
        break
      }
    }
    // What a task did to its own files must not cost its output or its record.
    let problem: string | undefined
    const collected = await files.collect(index).catch((error: unknown) => {
      problem = `Could not read the task's GITHUB_OUTPUT, GITHUB_STEP_SUMMARY or GITHUB_ENV: ${String(error)}`
      return { outputs: {}, summary: '', stepFiles: undefined }
    })
    options.stepFiles?.add(index, collected.stepFiles)
    const record: TaskRecord = {
      index,
      item: prepared.item,
      status,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: attempts === 1 ? result.durationMs : result.endedAt - startedAt,
      attempts,
      command: command.display,
      slot: context.slot,
      startedAt: attempts === 1 ? result.startedAt : startedAt,
      endedAt: result.endedAt,
      outputTail: output.tail().text,
      error: result.error ?? problem ?? null,
      outputs: collected.outputs,
      summary: collected.summary,
      needs: prepared.needs
    }
    // Printing is queued, not awaited: the worker slot is free as soon as the process ends.
    void options.log.end(record, output)
    return { status: record.status, value: record }
  }
}

/**
 * Whether PARALLEL_ITEM can carry the item: `PARALLEL_ITEM=<item>` within Linux's 128 KiB per
 * string, without a NUL byte, and within the `room` the task's arguments and other variables
 * leave. (A lone surrogate cannot get here: prepare refuses a string item with one, and JSON
 * escapes it.)
 */
export function itemVariableFits(text: string, room: number | undefined): boolean {
  const variable = `PARALLEL_ITEM=${text}`
  if (text.includes('\0') || !fitsOneString(variable)) return false
  // Cheap upper bound first, as in fitsOneString.
  return room === undefined || variable.length * 3 + 9 <= room || stringBytes(variable) <= room
}

/**
 * How a finished process maps to a task status. A process stopped because the run halted is
 * `cancelled`, or `timed-out` when the halt was the run's time budget running out.
 */
export function statusOf(result: RunResult, halt?: AbortSignal): TaskStatus {
  if (result.timedOut) return TaskStatus.TimedOut
  if (result.aborted) {
    const reason: unknown = halt?.reason
    return reason instanceof Halt && reason.kind === HaltKind.Timeout
      ? TaskStatus.TimedOut
      : TaskStatus.Cancelled
  }
  return result.exitCode === 0 ? TaskStatus.Success : TaskStatus.Failure
}

/** Failures and timeouts are retried; a halted run is not. */
function isRetryable(status: TaskStatus): boolean {
  return status === TaskStatus.Failure || status === TaskStatus.TimedOut
}

/**
 * The wait before retry number `attempt` (1 for the first retry): the base doubled for each
 * earlier retry, capped, and scaled by a random factor in [0.5, 1) so that tasks that failed
 * together do not all come back at the same moment.
 */
export function retryDelayMs(
  baseMs: number,
  attempt: number,
  random: () => number = Math.random
): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1))
  return Math.round(exponential * (0.5 + random() / 2))
}

function exitDetail(result: RunResult): string {
  if (result.signal !== null) return ` (${result.signal})`
  return result.exitCode === null ? '' : ` (exit code ${result.exitCode})`
}

/** Waits, unless the signal aborts first; true when it did. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true)
  return new Promise(resolve => {
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve(false)
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
