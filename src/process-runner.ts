import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { types } from 'node:util'
import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { monotonicMs } from './duration.js'
import { LauncherPool, type OutputFile } from './launcher.js'

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
   * Launchers to start the process through (see launcher.ts); null for Node's spawn. Default: the
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

export const DEFAULT_KILL_GRACE_MS = 2000
export const DEFAULT_STDIO_GRACE_MS = 1000
export const EXIT_COMMAND_NOT_FOUND = 127
export const EXIT_NOT_EXECUTABLE = 126

// setTimeout fires at once for longer delays; this is almost 25 days.
const MAX_TIMER_MS = 2 ** 31 - 1
// Only while stopping a group: how often to check whether it is gone.
const GROUP_POLL_MS = 20
// Zombies that no one reaps (a container whose PID 1 is not an init) look alive to kill(0);
// /proc tells them apart, but reading it costs more, so only this often.
const PROC_SCAN_INTERVAL_MS = 100
// After SIGKILL the kernel still needs a moment before the processes are gone.
const KILL_SETTLE_MS = 500

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

  const launchers = options.launchers === undefined ? sharedLaunchers() : options.launchers
  let started: StartedProcess | undefined
  if (launchers) {
    const outcome = await launchers.launch(options)
    if ('error' in outcome) return clock.result(await describeStartFailure(outcome.error, options))
    if ('process' in outcome) started = outcome.process
  }
  if (!started) {
    const spawned = await startWithSpawn(options)
    if ('error' in spawned) return clock.result(await describeStartFailure(spawned.error, options))
    started = spawned
  }
  const { pid, exited, stdioClosed } = started

  let timeoutTimer: NodeJS.Timeout | undefined
  const timedOut = new Promise<StopReason>(resolve => {
    const timeoutMs = options.timeoutMs
    if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      timeoutTimer = setTimeout(() => resolve('timeout'), Math.min(timeoutMs, MAX_TIMER_MS))
    }
  })
  let onAbort: (() => void) | undefined
  const aborted = new Promise<StopReason>(resolve => {
    if (!options.signal) return
    // Starting through a launcher takes a moment, in which the run may have halted.
    if (options.signal.aborted) return resolve('abort')
    onAbort = () => resolve('abort')
    options.signal.addEventListener('abort', onAbort, { once: true })
  })
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS

  let stopReason: StopReason | undefined
  try {
    const first = await Promise.race([exited, timedOut, aborted])
    clearTimeout(timeoutTimer)
    if (!Array.isArray(first)) {
      stopReason = first
      await stopProcessTree(started, killGraceMs)
    }
    const [code, signal] = await exited

    // A background child may still hold stdout open; an abort meanwhile cuts the wait short.
    if (started.stdioOpen()) {
      const stdioGraceMs = options.stdioGraceMs ?? DEFAULT_STDIO_GRACE_MS
      await raceWithTimer(stopReason ? [stdioClosed] : [stdioClosed, aborted], stdioGraceMs)
    }
    started.closeStdio()
    // Nothing of a finished task may outlive it, e.g. `server &` at the end of a script.
    if (stopReason === undefined) await stopLeftovers(pid, killGraceMs)

    return clock.result({
      exitCode: code ?? exitCodeOfSignal(signal),
      signal,
      timedOut: stopReason === 'timeout',
      aborted: stopReason === 'abort',
      error: started.lostReason?.(),
      pid
    })
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort)
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
}

let shared: LauncherPool | undefined

/** The launchers every task of this process shares. */
export function sharedLaunchers(): LauncherPool {
  shared ??= new LauncherPool()
  return shared
}

/** Starts the process with Node's spawn: a fork of this whole process. */
async function startWithSpawn(options: RunOptions): Promise<StartedProcess | { error: unknown }> {
  let child: ChildProcess
  try {
    child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: options.env,
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

async function stopProcessTree(started: StartedProcess, graceMs: number): Promise<void> {
  const pid = started.pid
  if (process.platform === 'win32') {
    await runTaskkill(pid)
    // taskkill can fail (e.g. access denied); at least the main process must end.
    started.killMain?.()
    return
  }
  // Descendants that left the task's group (coreutils `timeout`, `setsid`) are found through
  // their parent links, which only hold while the task's main process is alive: now.
  const escaped = escapedGroups(pid)
  const deadline = Date.now() + graceMs
  for (const target of escaped) signalTarget(target, 'SIGTERM')
  await stopProcessGroup(pid, graceMs)
  if (escaped.length === 0) return
  // They get the same grace as the task's group, then SIGKILL.
  while (escaped.some(isSignalable) && Date.now() < deadline) await sleep(GROUP_POLL_MS)
  for (const target of escaped) signalTarget(target, 'SIGKILL')
}

/** Whether a process (positive) or group (negative) can still be signalled (zombies can). */
function isSignalable(target: number): boolean {
  try {
    process.kill(target, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/**
 * What to signal to reach the descendants of `pid` that are outside its process group: the
 * group of each such descendant that leads its own group (its children are in it too), or the
 * process itself. Linux only (read from /proc); elsewhere none are found.
 */
export function escapedGroups(pid: number): number[] {
  if (process.platform !== 'linux') return []
  const processes = readProcessTable() ?? new Map()
  const children = new Map<number, number[]>()
  for (const entry of processes.values()) {
    const siblings = children.get(entry.ppid)
    if (siblings) siblings.push(entry.pid)
    else children.set(entry.ppid, [entry.pid])
  }
  const descendants = new Set<number>()
  const queue = [pid]
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      if (!descendants.has(child)) {
        descendants.add(child)
        queue.push(child)
      }
    }
  }
  const targets = new Set<number>()
  for (const descendant of descendants) {
    const pgrp = processes.get(descendant)?.pgrp
    if (pgrp === undefined || pgrp === pid) continue
    // A negative target signals the whole group; only groups led by a descendant are ours.
    targets.add(descendants.has(pgrp) ? -pgrp : descendant)
  }
  return [...targets]
}

/** Sends a signal to a process (positive) or a process group (negative); ignores ESRCH. */
function signalTarget(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal)
  } catch {
    // Gone already, or not ours to signal.
  }
}

/** The live (not zombie) processes, from /proc; undefined when /proc cannot be read. */
function readProcessTable(): Map<number, { pid: number; ppid: number; pgrp: number }> | undefined {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc')
  } catch {
    return undefined
  }
  const table = new Map<number, { pid: number; ppid: number; pgrp: number }>()
  for (const entry of entries) {
    const code = entry.charCodeAt(0)
    if (code < 48 || code > 57) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1')
    } catch {
      continue // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ..." where comm may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3)
    if (fields[0] === 'Z' || fields[0] === 'X') continue
    const pid = Number(entry)
    table.set(pid, { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]) })
  }
  return table
}

async function stopLeftovers(pgid: number, graceMs: number): Promise<void> {
  // Windows has no process group to find what a finished process left behind.
  if (process.platform === 'win32') return
  // Usually the group is already empty and this costs a single kill(2).
  if (!groupMayBeAlive(pgid) || !groupHasLiveMembers(pgid)) return
  await stopProcessGroup(pgid, graceMs)
}

/** SIGTERM to the group, SIGKILL to whatever is still there after the grace. */
async function stopProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return
  if (await waitForGroupToEmpty(pgid, graceMs)) return
  if (!signalGroup(pgid, 'SIGKILL')) return
  await waitForGroupToEmpty(pgid, KILL_SETTLE_MS)
}

async function waitForGroupToEmpty(pgid: number, limitMs: number): Promise<boolean> {
  const startedAt = Date.now()
  let nextScanAt = startedAt
  for (;;) {
    const elapsed = Date.now() - startedAt
    if (elapsed >= limitMs) return false
    await sleep(Math.min(GROUP_POLL_MS, limitMs - elapsed))
    if (!groupMayBeAlive(pgid)) return true
    if (Date.now() >= nextScanAt) {
      if (!groupHasLiveMembers(pgid)) return true
      nextScanAt = Date.now() + PROC_SCAN_INTERVAL_MS
    }
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  // After every task the group is checked, and usually gone: the ESRCH error is the common case,
  // and capturing its stack trace was the costliest part of it.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    process.kill(-pgid, signal)
    return true
  } catch (error) {
    // EPERM: a member we may not signal (e.g. setuid) is still a member.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
}

/** kill(0) counts zombies too, so true here may still mean nothing is running. */
function groupMayBeAlive(pgid: number): boolean {
  return signalGroup(pgid, 0)
}

/** Whether the group has a member that is not a zombie; without /proc, assume it has. */
function groupHasLiveMembers(pgid: number): boolean {
  if (process.platform !== 'linux') return true
  const table = readProcessTable()
  if (table === undefined) return true
  for (const entry of table.values()) if (entry.pgrp === pgid) return true
  return false
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
      // Duration from the monotonic clock; endedAt derived from it so the three agree.
      const durationMs = Math.round(monotonicMs() - startedTick)
      return { ...fields, startedAt, endedAt: startedAt + durationMs, durationMs }
    }
  }
}
