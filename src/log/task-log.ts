import { LogMode } from './log-mode.js'
import { type LogSink } from './log-sink.js'
import { type TaskOutputLog } from '../exec/command-task.js'
import { type TaskOutput } from '../exec/task-output.js'
import { escapeData } from '../action/actions-core.js'
import {
  CommandGuard,
  neutraliseInline,
  passesAsCommand,
  WorkflowCommands
} from '../action/workflow-commands.js'
import { isUnsuccessful, type TaskRecord } from '../model/task-record.js'
import { taskHeadline, taskTitle } from './task-title.js'

export { streamSink, type LogSink } from './log-sink.js'

/** How the log names a batch: in its group's headline, and before its lines in stream mode. */
export interface BatchTitles {
  group: string
  prefix: string
}

/** Longest line fragment a stream-mode task may hold back while waiting for its newline. */
const MAX_PENDING_LINE = 64 * 1024

/**
 * Prints task output according to the log mode, with workflow commands in it neutralised as
 * `commands` says. Grouped output is printed whole when a task ends, one task at a time, so
 * groups never interleave; stream output is printed line by line with a prefix, holding back only
 * a task's unfinished line. A line the mode lets act as a command is printed without the prefix,
 * after a line with the prefix alone, so that it acts in stream mode exactly as in grouped mode.
 * Every line of our own (headlines, errors, the action's notes) goes through ownLine: item and
 * task text in it can start no command.
 */
export class TaskLog implements TaskOutputLog {
  private printing: Promise<void> = Promise.resolve()
  private readonly pendingLines = new Map<number, Buffer>()
  /** Tasks whose last printed piece was cut from a longer line: the next piece is not a line start. */
  private readonly continued = new Set<number>()
  /** Each running task's two stream prefixes, built once: before a line, and as a line of its own. */
  private readonly prefixes = new Map<number, { inline: Buffer; alone: Buffer }>()
  /** Stream mode prints complete lines of all tasks in one sequence, so one guard serves them all. */
  private readonly streamGuard: CommandGuard

  /**
   * `batchTitles`: under `batch-size`, each batch's titles (batchName) by the index of its first
   * item, which its task is known by: its group's and, shorter, its stream lines' prefix.
   */
  constructor(
    private readonly mode: LogMode,
    private readonly sink: LogSink,
    private readonly commands: WorkflowCommands = WorkflowCommands.Annotations,
    private readonly batchTitles: ReadonlyMap<number, BatchTitles> = new Map()
  ) {
    this.streamGuard = new CommandGuard(commands)
  }

  /** True when a task's output has to be kept whole to be printed when it ends. */
  get replaysOutput(): boolean {
    return this.mode === LogMode.Grouped || this.mode === LogMode.Failures
  }

  /**
   * A chunk of a running task's output (stream mode prints it; other modes wait for the end).
   * Returns a promise when the log is backed up: the task's output should pause until it settles.
   */
  output(index: number, item: TaskRecord['item'], chunk: Buffer): Promise<void> | void {
    if (this.mode !== LogMode.Stream) return
    const pending = this.pendingLines.get(index)
    const data = pending ? Buffer.concat([pending, chunk]) : chunk
    let wait: Promise<void> | void = undefined
    let start = 0
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      wait = this.printStreamLine(index, item, data.subarray(start, newline + 1))
      start = newline + 1
    }
    let rest = data.subarray(start)
    if (rest.length > MAX_PENDING_LINE) {
      // A very long line is printed in pieces rather than held without bound.
      wait = this.printStreamLine(index, item, Buffer.concat([rest, NEWLINE]))
      this.continued.add(index)
      rest = Buffer.alloc(0)
    }
    // The unfinished line is copied: the chunk it came from may be reused by the stream.
    if (rest.length > 0) this.pendingLines.set(index, Buffer.from(rest))
    else this.pendingLines.delete(index)
    return wait
  }

  /**
   * A task has ended: print what the mode asks for, then dispose of its output. Resolves once
   * printed; calls are printed in the order they are made.
   */
  end(record: TaskRecord, output: TaskOutput): Promise<void> {
    this.printing = this.printing.then(() =>
      this.print(record, output).catch((error: unknown) => {
        this.sink(
          ownLine(`Could not print the output of task #${record.index + 1}: ${String(error)}`)
        )
      })
    )
    return this.printing
  }

  /**
   * Lines of the action's own, already safe to print (whole lines, from actions-core): printed
   * between tasks' output, never inside a group or a task's line. In stream mode a command of ours
   * first closes any neutralisation the task output opened, so that it is acted on; a plain line
   * can be printed inside it (each neutralisation costs a token the runner keeps as a secret).
   */
  own(text: string): void {
    if (this.mode === LogMode.Stream) {
      if (text.startsWith('::')) this.printAll(this.streamGuard.end())
      this.sink(text)
      return
    }
    this.printing = this.printing.then(() => void this.sink(text))
  }

  /** Resolves when everything handed to end() has been printed and the log is ours again. */
  async finish(): Promise<void> {
    // Lines handed over while waiting are waited for too.
    for (let printing; printing !== this.printing;) {
      printing = this.printing
      await printing
    }
    if (this.mode === LogMode.Stream) this.printAll(this.streamGuard.end())
  }

  private async print(record: TaskRecord, output: TaskOutput): Promise<void> {
    try {
      const batch =
        record.batch === undefined ? undefined : this.batchTitles.get(record.index)?.group
      const headline = taskHeadline(record, batch)
      switch (this.mode) {
        case LogMode.Grouped:
          await this.printGroup(headline, record, output)
          break
        case LogMode.Failures:
          if (isUnsuccessful(record.status)) await this.printGroup(headline, record, output)
          else this.sink(ownLine(headline))
          break
        case LogMode.Stream: {
          const pending = this.pendingLines.get(record.index)
          if (pending) {
            this.pendingLines.delete(record.index)
            await this.printStreamLine(record.index, record.item, Buffer.concat([pending, NEWLINE]))
          }
          this.continued.delete(record.index)
          this.prefixes.delete(record.index)
          this.printAll(this.streamGuard.write(Buffer.from(ownLine(headline))))
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
    const open = `::group::${escapeCommandData(neutraliseInline(headline))}\n`
    const error = record.error === null ? '' : ownLine(record.error)
    // Most tasks print nothing: one write for the whole group rather than three.
    if (output.byteLength === 0) {
      this.sink(`${open}${error}::endgroup::\n`)
      return
    }
    this.sink(open + error)
    const guard = new CommandGuard(this.commands)
    let last = 10
    const print = (buffers: Buffer[]): Promise<void> | void => {
      let wait: Promise<void> | void = undefined
      for (const buffer of buffers) {
        if (buffer.length === 0) continue
        last = buffer[buffer.length - 1] as number
        wait = this.sink(buffer)
      }
      return wait
    }
    try {
      try {
        await output.replay(chunk => print(guard.write(chunk)), this.sink.holdsNothing)
      } finally {
        // What the guard still holds back was read already: it is printed whatever came after.
        await print(guard.end())
      }
      if (output.droppedBytes > 0) {
        // Said on a line of its own, after the output that was kept.
        if (last !== 10) this.sink('\n')
        last = 10
        this.sink(
          ownLine(
            `${output.droppedBytes} bytes of output could not be kept and are missing above: ` +
              `${String(output.spillError?.message ?? 'unknown error')}`
          )
        )
      }
    } finally {
      // Whatever failed, the group is closed, or the rest of the log would sit inside it.
      // ::endgroup:: only counts at the start of a line.
      if (last !== 10) this.sink('\n')
      this.sink('::endgroup::\n')
    }
  }

  /**
   * One line of a task in stream mode (ending with "\n"), after its prefix; or, when the runner
   * is to act on it as a command, alone after a line holding the prefix.
   */
  private printStreamLine(
    index: number,
    item: TaskRecord['item'],
    line: Buffer
  ): Promise<void> | void {
    // A piece cut from a longer line was not at a line start in the task's output.
    const continued = this.continued.delete(index)
    let prefix = this.prefixes.get(index)
    if (prefix === undefined) {
      const text = streamPrefix(index, item, this.batchTitles.get(index)?.prefix)
      prefix = { inline: Buffer.from(`${text} `), alone: Buffer.from(`${text} ⤵\n`) }
      this.prefixes.set(index, prefix)
    }
    const command = !continued && passesAsCommand(line, this.commands)
    this.printAll(this.streamGuard.write(command ? prefix.alone : prefix.inline))
    return this.printAll(this.streamGuard.write(line))
  }

  private printAll(buffers: Buffer[]): Promise<void> | void {
    let wait: Promise<void> | void = undefined
    for (const buffer of buffers) if (buffer.length > 0) wait = this.sink(buffer)
    return wait
  }
}

const NEWLINE = Buffer.from('\n')

/** A line of our own carrying item or task text, none of which can start a command. */
function ownLine(text: string): string {
  return `${neutraliseInline(text)}\n`
}

/**
 * The prefix of a stream-mode line: the task's number and item (or its batch's title), unable to
 * start a command.
 */
function streamPrefix(index: number, item: TaskRecord['item'], batch?: string): string {
  return `[${neutraliseInline(batch ?? taskTitle(index, item, 40))}]`
}

/** Escapes text for a workflow command's message (as @actions/core): `%`, CR and LF. */
export const escapeCommandData = escapeData
