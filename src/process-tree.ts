import * as fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { randomBytes } from './random.js'

/**
 * Finding and stopping every process of a task on Linux, including those that left its process
 * group and lost their parent link (`( setsid daemon & )`, `setsid -f`): see
 * docs/decisions/004-orphans.md. A task started by a launcher stays a descendant of that launcher
 * (a child subreaper); any task carries a marker in its environment, found in /proc/N/environ.
 */

/** SIGTERM to SIGKILL when stopping a task's processes. */
export const DEFAULT_KILL_GRACE_MS = 2000
// Only while stopping: how often to look again whether everything is gone (doubling up to 100 ms).
const FIRST_POLL_MS = 10
const MAX_POLL_MS = 100
// After SIGKILL the kernel still needs a moment before the processes are gone.
const KILL_SETTLE_MS = 500
/** Where the environment marker's name starts; the run's random part follows. */
const MARKER_PREFIX = 'PARALLEL_EXEC_TASK_'

let markerName: string | undefined
let markedTasks = 0

/**
 * This process's marker variable, `PARALLEL_EXEC_TASK_<random>=`: a nested run adds its own and
 * keeps its parent's, so each run finds its own tasks' processes.
 */
export function runMarker(): string {
  markerName ??= `${MARKER_PREFIX}${randomBytes(8).toString('hex').toUpperCase()}=`
  return markerName
}

/** A new task's marker, `NAME=n`, unique within the run. */
export function newTaskMarker(): string {
  return `${runMarker()}${++markedTasks}`
}

/** The marker the next task will get: its size counts against the system's limit. */
export function nextTaskMarker(): string {
  return `${runMarker()}${markedTasks + 1}`
}

/** A live process's parent and group, from /proc/N/stat. */
export interface ProcessEntry {
  pid: number
  ppid: number
  pgrp: number
}

/** The live (not zombie) processes, from /proc; undefined when /proc cannot be read. */
export function readProcessTable(): Map<number, ProcessEntry> | undefined {
  const entries = procEntries()
  if (entries === undefined) return undefined
  const table = new Map<number, ProcessEntry>()
  for (const entry of entries) {
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

/** The live descendants of `root` (not root itself), through parent links; Linux only. */
export function liveDescendants(
  root: number,
  table: Map<number, ProcessEntry> | undefined = readProcessTable()
): number[] {
  if (table === undefined) return []
  const children = new Map<number, number[]>()
  for (const entry of table.values()) {
    const siblings = children.get(entry.ppid)
    if (siblings) siblings.push(entry.pid)
    else children.set(entry.ppid, [entry.pid])
  }
  const found = new Set<number>()
  const queue = [root]
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      if (!found.has(child)) {
        found.add(child)
        queue.push(child)
      }
    }
  }
  return [...found]
}

/**
 * Live processes whose environment (as they were started) has `marker`: a whole `NAME=value`
 * entry, or, ending with `=`, any value of that name. Only our own processes can be read.
 */
export function markedProcesses(marker: string): number[] {
  const entries = procEntries()
  if (entries === undefined) return []
  const needle = Buffer.from(marker.endsWith('=') ? marker : `${marker}\0`)
  const found: number[] = []
  // Most reads fail (other users' processes, kernel threads): no stack traces for them.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    for (const entry of entries) {
      let environ: Buffer
      try {
        environ = fs.readFileSync(`/proc/${entry}/environ`)
      } catch {
        continue
      }
      if (hasEntry(environ, needle) && isLive(entry)) found.push(Number(entry))
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  return found
}

/** Whether `needle` starts an entry of a NUL-separated environment. */
function hasEntry(environ: Buffer, needle: Buffer): boolean {
  for (let at = environ.indexOf(needle); at !== -1; at = environ.indexOf(needle, at + 1)) {
    if (at === 0 || environ[at - 1] === 0) return true
  }
  return false
}

/** Whether /proc/<pid> is a process that has not ended (zombies have). */
function isLive(pid: string): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
    const state = stat.charAt(stat.lastIndexOf(')') + 2)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/** The numeric entries of /proc; undefined where there is no /proc. */
function procEntries(): string[] | undefined {
  let entries: string[]
  try {
    entries = fs.readdirSync('/proc')
  } catch {
    return undefined
  }
  return entries.filter(entry => {
    const code = entry.charCodeAt(0)
    return code >= 48 && code <= 57
  })
}

/**
 * Stops what `find` finds (live pids, looked up anew at each step since they may fork) and the
 * process group `pgid`, if given: SIGTERM, then SIGKILL to whatever is still there after the grace.
 * False when something is still there after that (a process we may not signal).
 */
export async function stopProcesses(
  find: () => number[],
  pgid: number | undefined,
  graceMs: number
): Promise<boolean> {
  const groupSignalled = pgid !== undefined && signalGroup(pgid, 'SIGTERM')
  const found = find()
  if (!groupSignalled && found.length === 0) return true
  for (const pid of found) signalProcess(pid, 'SIGTERM')
  const gone = (): boolean =>
    (pgid === undefined || !groupMayBeAlive(pgid) || !groupHasLiveMembers(pgid)) &&
    find().length === 0
  if (await waitUntil(gone, graceMs)) return true
  const killAll = (): boolean => {
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL')
    for (const pid of find()) signalProcess(pid, 'SIGKILL')
    return gone()
  }
  // Again at each look: a process may have forked between a look and the kill.
  return killAll() || (await waitUntil(killAll, KILL_SETTLE_MS))
}

/** Polls `done` (10 ms, doubling up to 100 ms) until it says true or `limitMs` has passed. */
async function waitUntil(done: () => boolean, limitMs: number): Promise<boolean> {
  const startedAt = Date.now()
  let pollMs = FIRST_POLL_MS
  for (;;) {
    const elapsed = Date.now() - startedAt
    if (elapsed >= limitMs) return false
    await sleep(Math.min(pollMs, limitMs - elapsed))
    if (done()) return true
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS)
  }
}

/** Sends a signal to one process; ignores ESRCH (gone) and EPERM (not ours). */
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Gone already, or not ours to signal.
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
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
export function groupMayBeAlive(pgid: number): boolean {
  return signalGroup(pgid, 0)
}

/** Whether the group has a member that is not a zombie; without /proc, assume it has. */
export function groupHasLiveMembers(pgid: number): boolean {
  if (process.platform !== 'linux') return true
  const table = readProcessTable()
  if (table === undefined) return true
  for (const entry of table.values()) if (entry.pgrp === pgid) return true
  return false
}
