import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { types } from 'node:util'
import type { Readable } from 'node:stream'
import { monotonicMs } from '../model/duration.js'
import type { OutputFile } from './launcher-protocol.js'
import { LauncherPool } from './launcher.js'
import {
  DEFAULT_KILL_GRACE_MS,
  groupHasLiveMembers,
  groupMayBeAlive,
  liveDescendants,
  moment,
  newTaskMarker,
  runMarker,
  stopProcesses,
  type ProcessSnapshot
} from './process-tree.js'

export interface RunOptions {
  file: string
  args: readonly string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Per-task time limit in ms; past it the whole process tree is stopped and the result says timedOut. */
  timeoutMs?: number
  /** Aborting stops the whole process tree (fail-fast, cancellation); the result says aborted. */
  signal?: AbortSignal
  /** Grace between SIGTERM and SIGKILL to the group (default 2000 ms). */
  killGraceMs?: number
  /**
   * After the main process exits, how long to wait for its stdout and stderr to close before
   * closing them and stopping the group, so a background child holding them open can't hang us.
   * Default 1000 ms.
   */
  stdioGraceMs?: number
  /**
   * Every chunk of stdout/stderr as it arrives. Must not throw. Returning a promise pauses that
   * stream until it settles, so a slow reader of the output slows the task instead of filling memory.
   */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => Promise<void> | void
  /**
   * A file a launcher may append the output to itself past its first bytes, instead of handing
   * them to onOutput. Only launchers use it: a spawned process's output all goes to onOutput.
   */
  outputFile?: OutputFile
  /**
   * Launchers to start the process through (launcher.ts); null for Node's spawn. Default: the
   * shared pool, which falls back to spawn where launchers are not supported.
   */
  launchers?: LauncherPool | null
}

export interface RunResult {
  /**
   * Exit code. A process killed by a signal reports 128+n, like a shell; 127 when the command is
   * not found, 126 when it is not executable; null when nothing was started for another reason
   * (aborted before start, bad working directory, spawn failures such as EMFILE).
   */
  exitCode: number | null
  /** Name of the signal that killed the main process (e.g. 'SIGTERM'), or null. */
  signal: NodeJS.Signals | null
  timedOut: boolean
  aborted: boolean
  /** Set when the process could not be started (e.g. `spawn nosuch ENOENT`, bad cwd). */
  error?: string
  startedAt: number
  endedAt: number
  durationMs: number
  pid?: number
}

export { DEFAULT_KILL_GRACE_MS }
const DEFAULT_STDIO_GRACE_MS = 1000
const EXIT_COMMAND_NOT_FOUND = 127
const EXIT_NOT_EXECUTABLE = 126

// setTimeout fires at once for longer delays; this is almost 25 days.
const MAX_TIMER_MS = 2 ** 31 - 1

type StopReason = 'timeout' | 'abort'

/**
 * Runs one command as the leader of its own process group and resolves once it has ended, its
 * output has been delivered and nothing of its group is left. Never rejects.
 */
export async function runProcess(options: RunOptions): Promise<RunResult> {
  const clock = startClock()
  if (options.signal?.aborted) {
    return clock.result({ exitCode: null, signal: null, timedOut: false, aborted: true })
  }
  // Linux: found in /proc/N/environ, so that what the task leaves can be found once re-parented.
  const marker = process.platform === 'linux' ? newTaskMarker() : undefined
  const started = await startProcess(options, marker)
  if ('error' in started) return clock.result(await describeStartFailure(started.error, options))
  // What such a task leaves after it ended is only found by the sweep at the end of the run.
  if (started.adopter === undefined) unadoptedTasks = true
  const triggers = new StopTriggers(options.timeoutMs, options.signal)
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS
  try {
    const first = await Promise.race([started.exited, triggers.timedOut, triggers.aborted])
    triggers.clearTimer()
    const stopReason = Array.isArray(first) ? undefined : first
    if (stopReason !== undefined) {
      await stopProcessTree(started, marker, killGraceMs, triggers.firedAt)
    }
    const [code, signal] = await started.exited
    await closeOutput(started, options, stopReason ? undefined : triggers.aborted)
    await stopWhatItLeft(started, killGraceMs, stopReason)
    return clock.result({
      exitCode: code ?? exitCodeOfSignal(signal),
      signal,
      timedOut: stopReason === 'timeout',
      aborted: stopReason === 'abort',
      error: started.lostReason?.(),
      pid: started.pid
    })
  } finally {
    triggers.dispose()
  }
}

/** Starts the process through a launcher, or with spawn where none takes it. */
async function startProcess(
  options: RunOptions,
  marker: string | undefined
): Promise<StartedProcess | { error: unknown }> {
  const launchers = options.launchers === undefined ? sharedLaunchers() : options.launchers
  if (launchers) {
    const outcome = await launchers.launch({ ...options, marker })
    if ('error' in outcome) return outcome
    if ('process' in outcome) return outcome.process
  }
  return startWithSpawn(options, marker)
}

/** What stops a running task early: its time limit, or the run's signal. */
class StopTriggers {
  /** Settles when the time limit runs out; never without one. */
  readonly timedOut: Promise<StopReason>
  /** Settles when the signal aborts. */
  readonly aborted: Promise<StopReason>
  /** When a trigger fired, as `moment()`: the stop's first look must be read after it. */
  firedAt = 0
  private timer: NodeJS.Timeout | undefined
  private onAbort: (() => void) | undefined

  constructor(
    timeoutMs: number | undefined,
    private readonly signal: AbortSignal | undefined
  ) {
    this.timedOut = new Promise<StopReason>(resolve => {
      if (timeoutMs === undefined || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return
      this.timer = setTimeout(
        () => this.fire(resolve, 'timeout'),
        Math.min(timeoutMs, MAX_TIMER_MS)
      )
    })
    this.aborted = new Promise<StopReason>(resolve => {
      if (!signal) return
      // Starting through a launcher takes a moment, in which the run may have halted.
      if (signal.aborted) return this.fire(resolve, 'abort')
      this.onAbort = () => this.fire(resolve, 'abort')
      signal.addEventListener('abort', this.onAbort, { once: true })
    })
  }

  /** The time limit no longer applies (the process ended, or is being stopped). */
  clearTimer(): void {
    clearTimeout(this.timer)
  }

  /** Stops listening to the signal. */
  dispose(): void {
    this.clearTimer()
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort)
  }

  private fire(resolve: (reason: StopReason) => void, reason: StopReason): void {
    this.firedAt = moment()
    resolve(reason)
  }
}

/**
 * Closes the task's output once it is delivered: a background child may still hold stdout open,
 * so it waits at most the stdio grace, cut short when `abort` settles first.
 */
async function closeOutput(
  started: StartedProcess,
  options: RunOptions,
  abort: Promise<StopReason> | undefined
): Promise<void> {
  if (started.stdioOpen()) {
    const stdioGraceMs = options.stdioGraceMs ?? DEFAULT_STDIO_GRACE_MS
    await raceWithTimer(abort ? [started.stdioClosed, abort] : [started.stdioClosed], stdioGraceMs)
  }
  started.closeStdio()
}

/** Stops what the ended task left running: through its launcher, or its process group. */
async function stopWhatItLeft(
  started: StartedProcess,
  killGraceMs: number,
  stopReason: StopReason | undefined
): Promise<void> {
  const { adopter, pid } = started
  // A task whose launcher died has no adopter any more: its group is stopped as a spawned one's.
  const lost = started.lostReason?.() !== undefined
  if (lost) unadoptedTasks = true
  if (adopter !== undefined && !lost) {
    // Its launcher still has a child: a process of this task (and the launcher waits for us).
    // Undefined, or when the launcher said so: a process the task left may have started just
    // before, so what /proc said earlier in this turn does not count.
    const leftAt = await started.leftovers
    const stopped =
      leftAt === undefined ||
      (await stopProcesses(
        now => liveDescendants(adopter, now.processes()),
        pid,
        killGraceMs,
        leftAt
      ))
    // One we may not signal (sudo) would be taken for every later task's: retire the launcher.
    started.release?.(stopped)
  } else if (stopReason === undefined) {
    // Nothing of a finished task may outlive it, e.g. `server &` at the end of a script.
    await stopLeftovers(pid, killGraceMs)
  }
}

/** A started process, however it was started. */
interface StartedProcess {
  pid: number
  exited: Promise<[number | null, NodeJS.Signals | null]>
  /** Both stdout and stderr closed. */
  stdioClosed: Promise<void>
  stdioOpen(): boolean
  /** Stops reading stdout and stderr (a background child may still hold them). */
  closeStdio(): void
  /** SIGKILL to the main process alone, if it still runs (Windows only: launchers are not). */
  killMain?(): void
  /** Why the exit status is unknown, when it is. */
  lostReason?(): string | undefined
  /** The launcher whose descendants every process of the task stays (launcher-task.ts). */
  adopter?: number
  /**
   * With an adopter, once the output is closed: the `moment()` the launcher said the task left
   * processes, or undefined when it left none.
   */
  leftovers?: Promise<number | undefined>
  /** With an adopter: lets it take the next task, or (reuse false) ends it. */
  release?(reuse: boolean): void
}

/** Whether a task ran without an adopter: then only the sweep finds what it left. */
let unadoptedTasks = false

/**
 * Stops every process any task of this run left that is still running (Linux: found by the
 * marker in their environment), SIGTERM then SIGKILL after the grace. For the end of the run, and
 * its cancellation; cheap when every task was started by a launcher that adopts orphans.
 */
export async function stopRunLeftovers(graceMs = DEFAULT_KILL_GRACE_MS): Promise<void> {
  if (process.platform !== 'linux' || !unadoptedTasks) return
  await stopProcesses(now => now.marked(runMarker()), undefined, graceMs, moment())
}

let shared: LauncherPool | undefined

/** The launchers every task of this process shares. */
export function sharedLaunchers(): LauncherPool {
  shared ??= new LauncherPool()
  return shared
}

/** Starts the process with Node's spawn: a fork of this whole process. */
async function startWithSpawn(
  options: RunOptions,
  marker: string | undefined
): Promise<StartedProcess | { error: unknown }> {
  let child: ChildProcess
  let env = options.env
  if (marker !== undefined) {
    const split = marker.indexOf('=')
    env = { ...(env ?? process.env), [marker.slice(0, split)]: marker.slice(split + 1) }
  }
  try {
    child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // A new process group (pgid = pid) so the whole tree can be signalled; Windows has no
      // groups (taskkill /T walks the tree) and detached there means a console of its own.
      detached: process.platform !== 'win32',
      windowsHide: true
    })
  } catch (error) {
    return { error }
  }

  const stdout = child.stdout
  const stderr = child.stderr
  const pid = child.pid
  if (pid === undefined || stdout === null || stderr === null) {
    // Node reports ENOENT, EACCES, EMFILE and the like as an 'error' event after spawn returns.
    const error = await new Promise<unknown>(resolve => child.once('error', resolve))
    stdout?.destroy()
    stderr?.destroy()
    return { error }
  }

  const onOutput = options.onOutput
  if (onOutput) {
    const relay = (stream: Readable, name: 'stdout' | 'stderr'): void => {
      stream.on('data', (chunk: Buffer) => {
        const wait = onOutput(chunk, name)
        if (wait) {
          stream.pause()
          void wait.finally(() => stream.resume())
        }
      })
    }
    relay(stdout, 'stdout')
    relay(stderr, 'stderr')
  } else {
    stdout.resume()
    stderr.resume()
  }
  // Errors after a successful spawn (e.g. a failed kill) change nothing here, but must be handled.
  child.on('error', () => {})
  return {
    pid,
    exited: new Promise(resolve => child.once('exit', (code, signal) => resolve([code, signal]))),
    stdioClosed: Promise.all([closed(stdout), closed(stderr)]).then(() => undefined),
    stdioOpen: () => stdout.readable || stderr.readable,
    closeStdio: () => {
      stdout.destroy()
      stderr.destroy()
    },
    killMain: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  }
}

/** The taskkill invocation that force-stops a process tree on Windows (no shell involved). */
export function taskkillCommand(
  pid: number,
  env: NodeJS.ProcessEnv = process.env
): { file: string; args: string[] } {
  const systemRoot = env.SystemRoot ?? 'C:\\Windows'
  return {
    file: path.win32.join(systemRoot, 'System32', 'taskkill.exe'),
    args: ['/T', '/F', '/PID', String(pid)]
  }
}

/** 128 + the signal's number, as a shell reports a process killed by a signal. */
export function exitCodeOfSignal(signal: NodeJS.Signals | null): number | null {
  if (signal === null) return null
  const number = os.constants.signals[signal] as number | undefined
  return number === undefined ? null : 128 + number
}

/**
 * Stops the task's whole tree: its process group and, on Linux, every process that left it — all
 * descendants of its adopting launcher, or else its descendants still linked to it and every
 * process carrying its marker.
 */
async function stopProcessTree(
  started: StartedProcess,
  marker: string | undefined,
  graceMs: number,
  triggeredAt: number
): Promise<void> {
  const pid = started.pid
  if (process.platform === 'win32') {
    await runTaskkill(pid)
    // taskkill can fail (e.g. access denied); at least the main process must end.
    started.killMain?.()
    return
  }
  const adopter = started.adopter
  const find =
    adopter !== undefined
      ? (now: ProcessSnapshot) => liveDescendants(adopter, now.processes())
      : (now: ProcessSnapshot) => {
          const linked = liveDescendants(pid, now.processes())
          if (marker === undefined) return linked
          return [...new Set([...linked, ...now.marked(marker)])]
        }
  await stopProcesses(find, pid, graceMs, triggeredAt)
}

async function stopLeftovers(pgid: number, graceMs: number): Promise<void> {
  // Windows has no process group to find what a finished process left behind.
  if (process.platform === 'win32') return
  // Usually the group is already empty and this costs a single kill(2).
  if (!groupMayBeAlive(pgid) || !groupHasLiveMembers(pgid)) return
  await stopProcesses(() => [], pgid, graceMs, moment())
}

function runTaskkill(pid: number): Promise<void> {
  const { file, args } = taskkillCommand(pid)
  return new Promise(resolve => {
    try {
      const taskkill = spawn(file, args, { stdio: 'ignore', windowsHide: true })
      taskkill.once('error', () => resolve())
      taskkill.once('exit', () => resolve())
    } catch {
      resolve() // the caller falls back to killing the main process
    }
  })
}

async function describeStartFailure(
  error: unknown,
  options: RunOptions
): Promise<Pick<RunResult, 'exitCode' | 'signal' | 'timedOut' | 'aborted' | 'error'>> {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  // isNativeError rather than instanceof: errors may come from another realm (vm, jest).
  let message = types.isNativeError(error) ? error.message : String(error)
  // Some spawn errors are thrown as just "spawn ENOTDIR".
  if (!message.includes(options.file)) message = `${message}: ${options.file}`
  const failure = { signal: null, timedOut: false, aborted: false }
  // A missing or unusable cwd fails spawn with the same codes as a bad command, so look at the
  // cwd only after a failure rather than stat it before every spawn.
  if (options.cwd !== undefined && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES')) {
    const cwdProblem = await workingDirectoryProblem(options.cwd)
    if (cwdProblem !== undefined) return { ...failure, exitCode: null, error: cwdProblem }
  }
  // The shell's codes: 127 for a command that is not there, 126 for one that cannot be run.
  if (code === 'ENOENT') return { ...failure, exitCode: EXIT_COMMAND_NOT_FOUND, error: message }
  if (code === 'EACCES' || code === 'ENOTDIR') {
    return { ...failure, exitCode: EXIT_NOT_EXECUTABLE, error: message }
  }
  return { ...failure, exitCode: null, error: message }
}

async function workingDirectoryProblem(cwd: string): Promise<string | undefined> {
  try {
    const stats = await fs.promises.stat(cwd)
    if (!stats.isDirectory()) return `working directory is not a directory: ${cwd}`
    await fs.promises.access(cwd, fs.constants.X_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return `working directory does not exist: ${cwd}`
    if (code === 'EACCES') return `working directory cannot be entered: ${cwd}`
    return `working directory ${cwd}: ${(error as Error).message}`
  }
}

function closed(stream: Readable): Promise<void> {
  return new Promise(resolve => {
    if (stream.closed) resolve()
    else stream.once('close', () => resolve())
  })
}

/** Waits for the first of `promises` or `ms`, whichever comes first, leaving no timer behind. */
async function raceWithTimer(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([...promises, new Promise(resolve => (timer = setTimeout(resolve, ms)))])
  } finally {
    clearTimeout(timer)
  }
}

function startClock(): {
  result(fields: Omit<RunResult, 'startedAt' | 'endedAt' | 'durationMs'>): RunResult
} {
  const startedAt = Date.now()
  const startedTick = monotonicMs()
  return {
    result(fields) {
      // Duration from the monotonic clock; endedAt derived from it so the three agree. Rounded
      // down: startedAt is the wall clock rounded down, so endedAt never passes the wall-clock
      // end, nor the start of the next task on the slot (rounding up overlapped it by 1 ms).
      const durationMs = Math.floor(monotonicMs() - startedTick)
      return { ...fields, startedAt, endedAt: startedAt + durationMs, durationMs }
    }
  }
}
