import { type Item } from '../model/item.js'
import { attemptNote, earlierAttempt, type EarlierAttempt } from './attempt-note.js'
import { isFlaky, type TaskRecord } from '../model/task-record.js'
import { resolveProgram } from '../system/shell-path.js'
import { type CommandTemplate, type RenderedCommand } from '../template/template.js'
import { type RunResult } from './process-runner.js'
import { batchEnvironment, itemEnvironment } from './item-environment.js'
import { runProcess } from './process-runner.js'
import { type Attempts, withRetries } from './retry-policy.js'
import { type TaskContext, type TaskReport } from './scheduler.js'
import { type StepFiles } from './step-files.js'
import { TaskFiles, type CollectedFiles } from './task-files.js'
import { TaskOutput } from './task-output.js'

/** An item whose command has been rendered and checked before anything runs. */
export interface PreparedItem {
  /** The item; for a batch, its first item. */
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
  /** Its source globs, rendered for it and rooted at its working directory; undefined for none. */
  sources?: string[]
  /** SHA-256 of what it runs, and of the files its sources match: kept in its record. */
  digests?: ItemDigests
  /** Under `batch-size`: the items this one command runs (then `command` is the batch's). */
  batch?: BatchOf
  /**
   * How many worker slots it holds while it runs (`slots` of a task or object item; for a batch,
   * the most of its items'); absent for 1.
   */
  slots?: number
  /**
   * Resources it holds exclusively while it runs (`locks` of a task or object item; for a batch,
   * all of its items'), each name once, in the order given; absent for none.
   */
  locks?: string[]
}

/** The items of one batch: one command runs them all, and each gets its result. */
export interface BatchOf {
  /** The batch's number, from 1: its {#} and PARALLEL_SEQ. */
  number: number
  /** Its items in input order, each with its 0-based position in the whole input. */
  members: { item: Item; index: number }[]
}

/** What an item ran with, as the history compares it (`skip-passed`). */
export interface ItemDigests {
  /** Of the shell, the rendered command and a task's own env and directory. */
  command?: string
  /** Of every file its sources match; undefined without sources or when one could not be read. */
  sources?: string
}

/** The digest fields of a record, present only when known. */
export function digestFields(digests: ItemDigests | undefined): {
  commandDigest?: string
  sourcesDigest?: string
} {
  return {
    ...(digests?.command === undefined ? {} : { commandDigest: digests.command }),
    ...(digests?.sources === undefined ? {} : { sourcesDigest: digests.sources })
  }
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
   * PARALLEL_ITEM_FILE, PARALLEL_SEQ, PARALLEL_JOBSLOT, PARALLEL_SLOTS and files of its own
   * (see TaskFiles).
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

/**
 * Output a launcher hands to the action before it writes the rest to a file of its own (one per
 * attempt): Node collects buffers read from a pipe late (docs/decisions/012-scheduler-and-policies.md).
 */
const LAUNCHER_FRAMED_BYTES = 64 * 1024

/** Renders, runs (with retries) and logs the command of one prepared item; the scheduler's task function. */
export function commandTask(
  options: CommandTaskOptions
): (prepared: PreparedItem, context: TaskContext) => Promise<TaskReport<TaskRecord>> {
  // One set of files per worker slot, kept for every task that runs in it.
  const slotFiles = new Map<number, TaskFiles>()
  const stepFileCommands = options.stepFiles?.commands ?? []
  const filesOf = (slot: number): TaskFiles => {
    const files = slotFiles.get(slot) ?? new TaskFiles(options.tempDir, slot, stepFileCommands)
    slotFiles.set(slot, files)
    return files
  }
  return async (prepared, context) => {
    const overrides = prepared.overrides ?? {}
    const { index, batch } = prepared
    // A batch is numbered by its batch number ({#}, PARALLEL_SEQ), an item by its place.
    const seq = batch?.number ?? index + 1
    const { slot, slots, signal } = context
    const items = batch?.members.map(member => member.item)
    const command = options.template.usesSlot
      ? renderAt(options.template, prepared, items, slot)
      : prepared.command
    const output = new TaskOutput({ tempDir: options.tempDir, retain: options.log.replaysOutput })
    const file = resolveProgram(command.file)
    const files = filesOf(slot)
    const { item, spawnRoom } = prepared
    const slotsHeld = slots.length
    const { env, fileText } =
      items === undefined
        ? itemEnvironment(
            options.env,
            overrides.env,
            { item, seq, slot, slotsHeld, spawnRoom },
            files
          )
        : batchEnvironment(
            options.env,
            overrides.env,
            { items, batch: seq, slot, slotsHeld, spawnRoom },
            files
          )
    const onOutput = (chunk: Buffer): Promise<void> | void => {
      output.write(chunk)
      return options.log.output(index, item, chunk)
    }
    const startedAt = Date.now()
    const retries = overrides.retries ?? options.retries ?? 0
    const earlier: EarlierAttempt[] = []
    let previous: RunResult | undefined
    const attempted = await withRetries(
      async () => {
        if (previous !== undefined) earlier.push(earlierAttempt(previous, signal))
        // The record shows the last attempt's output; the log keeps every attempt's.
        output.startAttempt()
        // A failed attempt's outputs must not leak into the next one's.
        await files.reset(fileText)
        previous = await runProcess({
          file,
          args: command.args,
          cwd: overrides.cwd ?? options.cwd,
          env,
          timeoutMs: overrides.timeoutMs ?? options.timeoutMs,
          signal,
          killGraceMs: options.killGraceMs,
          onOutput,
          outputFile: output.spillTarget(LAUNCHER_FRAMED_BYTES)
        })
        return previous
      },
      {
        retries,
        baseDelayMs: options.retryDelayMs ?? 1000,
        signal,
        random: options.random,
        announce: line => void onOutput(Buffer.from(line))
      }
    )
    const collected = await collectFiles(files, index)
    options.stepFiles?.add(index, collected.stepFiles)
    const excerpt = outputExcerpt(output, attempted.attempts, retries + 1, earlier)
    const record = taskRecord(prepared, command, slots, startedAt, attempted, excerpt, collected)
    // Printing is queued, not awaited: the worker slot is free as soon as the process ends.
    void options.log.end(record, output)
    return { status: record.status, value: record }
  }
}

/** The command of an item or a batch (its `items`) rendered again for the slot it starts in ({%}). */
function renderAt(
  template: CommandTemplate,
  prepared: PreparedItem,
  items: readonly Item[] | undefined,
  slot: number
): RenderedCommand {
  const { batch } = prepared
  if (batch === undefined || items === undefined) {
    return template.render(prepared.item, prepared.index + 1, slot)
  }
  return template.renderBatch(items, batch.number, slot)
}

/** What the task wrote to its own files; what it did to them must not cost its output or record. */
async function collectFiles(
  files: TaskFiles,
  index: number
): Promise<CollectedFiles & { problem?: string }> {
  return files.collect(index).catch((error: unknown) => ({
    outputs: {},
    summary: '',
    stepFiles: undefined,
    problem: `Could not read the task's GITHUB_OUTPUT, GITHUB_STEP_SUMMARY or GITHUB_ENV: ${String(error)}`
  }))
}

/** The last attempt's excerpt, under a note of the earlier attempts when there were any. */
function outputExcerpt(
  output: TaskOutput,
  attempts: number,
  of: number,
  earlier: EarlierAttempt[]
): string {
  const text = output.excerpt()
  if (attempts === 1) return text
  const note = attemptNote(attempts, of, earlier)
  return text === '' ? note : `${note}\n${text}`
}

/** The record of a task that ran: how its last attempt went, with its output and files. */
function taskRecord(
  prepared: PreparedItem,
  command: RenderedCommand,
  slots: readonly number[],
  startedAt: number,
  { result, status, attempts }: Attempts,
  outputTail: string,
  collected: CollectedFiles & { problem?: string }
): TaskRecord {
  return {
    index: prepared.index,
    item: prepared.item,
    status,
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: attempts === 1 ? result.durationMs : result.endedAt - startedAt,
    ...(prepared.batch === undefined ? {} : { batch: prepared.batch.number }),
    attempts,
    command: command.display,
    slot: slots[0] as number,
    ...(slots.length > 1 ? { slots: [...slots] } : {}),
    ...(prepared.locks === undefined ? {} : { locks: [...prepared.locks] }),
    startedAt: attempts === 1 ? result.startedAt : startedAt,
    endedAt: result.endedAt,
    outputTail,
    error: result.error ?? collected.problem ?? null,
    outputs: collected.outputs,
    summary: collected.summary,
    needs: prepared.needs,
    ...(isFlaky({ status, attempts }) ? { flaky: true as const } : {}),
    ...digestFields(prepared.digests)
  }
}
