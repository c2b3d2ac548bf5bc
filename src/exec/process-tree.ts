import { setTimeout as sleep } from 'node:timers/promises'
import { randomBytes } from 'node:crypto'
import {
  MARKER_PREFIX,
  readProcessTable,
  sharedSnapshot,
  type ProcessEntry,
  type ProcessSnapshot
} from './process-snapshot.js'

export {
  liveDescendants,
  markedProcesses,
  moment,
  readProcessTable,
  type ProcessEntry,
  type ProcessSnapshot
} from './process-snapshot.js'

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

/**
 * Stops what `find` finds (live pids, looked up anew at each step since they may fork) and the
 * process group `pgid`, if given: SIGTERM, then SIGKILL to whatever is still there after the grace.
 * False when something is still there after that (a process we may not signal). Every look reads
 * the snapshot of /proc that every stop in progress shares for this turn of the event loop; the
 * first one taken after `triggeredAt`, the `moment()` of the event that called for the stop.
 */
export async function stopProcesses(
  find: (snapshot: ProcessSnapshot) => number[],
  pgid: number | undefined,
  graceMs: number,
  triggeredAt: number
): Promise<boolean> {
  const groupSignalled = pgid !== undefined && signalGroup(pgid, 'SIGTERM')
  // An earlier read may predate a process started just before the trigger, and miss it.
  const found = find(sharedSnapshot(triggeredAt))
  if (!groupSignalled && found.length === 0) return true
  for (const pid of found) signalProcess(pid, 'SIGTERM')
  const gone = (snapshot: ProcessSnapshot): boolean =>
    (pgid === undefined ||
      !groupMayBeAlive(pgid) ||
      !groupHasLiveMembers(pgid, snapshot.processes())) &&
    find(snapshot).length === 0
  if (await waitUntil(() => gone(sharedSnapshot()), graceMs)) return true
  const killAll = (): boolean => {
    const snapshot = sharedSnapshot()
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL')
    for (const pid of find(snapshot)) signalProcess(pid, 'SIGKILL')
    return gone(snapshot)
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

/**
 * Whether `pid` names one process other than init: kill(2) reads 0 as this process's own group,
 * -1 as every process it may signal, and a negative number as a group.
 */
export function isOneProcess(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 1
}

/** Sends a signal to one process; ignores ESRCH (gone) and EPERM (not ours). */
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  if (!isOneProcess(pid)) return
  try {
    process.kill(pid, signal)
  } catch {
    // Gone already, or not ours to signal.
  }
}

/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!isOneProcess(pgid)) return false
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
export function groupHasLiveMembers(
  pgid: number,
  table: Map<number, ProcessEntry> | undefined = readProcessTable()
): boolean {
  if (process.platform !== 'linux') return true
  if (table === undefined) return true
  for (const entry of table.values()) if (entry.pgrp === pgid) return true
  return false
}
