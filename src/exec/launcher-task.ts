import * as fs from 'node:fs'
import type { Launcher, TaskEvents } from './launcher-process.js'
import {
  decodeWaitStatus,
  startError,
  type LaunchRequest,
  type OutputFile
} from './launcher-protocol.js'
import { moment } from './process-tree.js'

/** A task a launcher started. */
export interface LaunchedProcess {
  pid: number
  /** Exit code and signal, as Node's 'exit' event gives them; [null, null] if the launcher died. */
  exited: Promise<[number | null, NodeJS.Signals | null]>
  /** Both output pipes closed (the task and whatever inherited them have closed them). */
  stdioClosed: Promise<void>
  stdioOpen(): boolean
  /** Stops reading the output and closes the pipes, as destroying spawn's streams does. */
  closeStdio(): void
  /** Set when the launcher stopped before it could report how the task ended. */
  lostReason(): string | undefined
  /**
   * The launcher's pid when it adopts the task's orphans (Linux's child subreaper): then every
   * process of the task is a descendant of it until the task is done and released.
   */
  adopter: number | undefined
  /**
   * Once both pipes are closed: the `moment()` the launcher said it still has a child (left by the
   * task), or undefined when it has none.
   */
  leftovers: Promise<number | undefined>
  /**
   * Lets the launcher take the next task (until then, it only holds this one's leftovers), or with
   * `reuse` false ends it: a process it still has would be taken for the next task's.
   */
  release(reuse: boolean): void
}

/** What launching gave: a running task, an error as spawn reports it, or no launcher to use. */
export type LaunchOutcome =
  { process: LaunchedProcess } | { error: NodeJS.ErrnoException } | { unavailable: true }

/** A promise and what settles it. */
interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
}

/** A promise settled from outside. */
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>(done => (resolve = done))
  return { promise, resolve }
}

/** A task handed to a launcher: turns what the launcher reports into its outcome and process. */
export class LauncherTask implements TaskEvents {
  readonly onOutput: LaunchRequest['onOutput']
  discard = false
  private readonly outcome = deferred<LaunchOutcome>()
  private readonly exit = deferred<[number | null, NodeJS.Signals | null]>()
  private readonly closed = deferred<void>()
  private readonly left = deferred<number | undefined>()
  private pid: number | undefined
  private stdioOpen = true
  private lost: string | undefined
  private hasExited = false
  private appendedBytes = 0

  /** `lostBeforeFork` is called when the launcher died before it forked: nothing ran. */
  constructor(
    private readonly launcher: Launcher,
    private readonly request: LaunchRequest,
    private readonly lostBeforeFork: () => void
  ) {
    this.onOutput = request.onOutput
  }

  /** Settles once: started, not started (as spawn reports it), or no launcher after all. */
  get result(): Promise<LaunchOutcome> {
    return this.outcome.promise
  }

  /** Counts bytes the launcher appended to the output file, and passes the count on. */
  appended(bytes: number): void {
    this.appendedBytes += bytes
    this.request.outputFile?.appended(bytes)
  }

  /** Keeps the pid of what may now run. */
  forked(pid: number): void {
    this.pid = pid
  }

  /** Exec succeeded: the task is running. */
  started(): void {
    this.outcome.resolve({ process: this.process(this.pid as number) })
  }

  /** Not started: the error spawn would give. */
  failed(errno: number, step: number): void {
    this.outcome.resolve({ error: startError(this.request.file, errno, step) })
  }

  /** Its process ended (the wait status), or its launcher died (null). */
  exited(status: number | null): void {
    if (this.hasExited) return
    this.hasExited = true
    if (this.pid === undefined) {
      // It died before forking: nothing ran; spawn from now on.
      this.lostBeforeFork()
      this.outcome.resolve({ unavailable: true })
      return
    }
    if (status === null) {
      // The task may be running (or have run) without us seeing how it ended. It must not run a
      // second time: report it lost; its group is stopped like any leftover.
      this.lost = 'the launcher that started this task stopped unexpectedly'
      countUnreported(this.request.outputFile, this.appendedBytes)
      this.started()
    }
    this.exit.resolve(decodeWaitStatus(status))
  }

  /** Both pipes closed; `leftovers` when a process it left is still the launcher's child. */
  done(leftovers: boolean): void {
    this.stdioOpen = false
    this.closed.resolve()
    // A look at /proc from before this frame may miss what the task started last.
    this.left.resolve(leftovers ? moment() : undefined)
  }

  /** The started task, as the caller sees it. */
  private process(pid: number): LaunchedProcess {
    const launcher = this.launcher
    return {
      pid,
      exited: this.exit.promise,
      stdioClosed: this.closed.promise,
      stdioOpen: () => this.stdioOpen,
      closeStdio: () => {
        if (!this.stdioOpen) return
        this.stdioOpen = false
        launcher.closeStdio(this)
      },
      lostReason: () => this.lost,
      adopter: launcher.subreaper ? launcher.pid : undefined,
      leftovers: this.left.promise,
      release: reuse => launcher.release(reuse)
    }
  }
}

/**
 * A launcher that died may have appended bytes it did not get to report: the file is its alone
 * and nothing writes to it any more, so its size says how many.
 */
function countUnreported(file: OutputFile | undefined, reported: number): void {
  if (file === undefined) return
  try {
    const size = fs.statSync(file.path).size
    if (size > reported) file.appended(size - reported)
  } catch {
    // Never created: nothing was appended.
  }
}
