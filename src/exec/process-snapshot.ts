import * as fs from 'node:fs'

/**
 * Reading /proc on Linux: the process table (parents, groups) and the processes carrying a
 * marker in their environment. Stopping a task looks again every 10–100 ms until its processes
 * are gone; when many tasks are stopped at once (total-timeout, cancellation), one snapshot per
 * turn of the event loop serves them all, so a look costs one read of /proc, not one per task.
 * A stop's first look must not use a snapshot read before what triggered it (a process started
 * just before the trigger would be missed): events and snapshots are ordered by `moment()`.
 */

/** Where the environment marker's name starts; the run's random part follows. */
export const MARKER_PREFIX = 'PARALLEL_EXEC_TASK_'
const MARKER_PREFIX_BYTES = Buffer.from(MARKER_PREFIX)

/** A live process's parent and group, from /proc/N/stat. */
export interface ProcessEntry {
  pid: number
  ppid: number
  pgrp: number
}

/** Counts full reads of /proc (each one reads a file per process). */
let procReads = 0

/** How many times /proc has been read in full so far. */
export function procReadCount(): number {
  return procReads
}

let moments = 0

/** A strictly increasing count: orders the events that trigger stops and the reads of /proc. */
export function moment(): number {
  return ++moments
}

/** What /proc says, each part read once, on first use (always after `takenAt`). */
export class ProcessSnapshot {
  /** Taken before any of its parts is read. */
  readonly takenAt = moment()
  private table: Map<number, ProcessEntry> | undefined | null = null
  /** The environment of every readable process whose environment has a marker of ours. */
  private environs: Map<string, Buffer> | undefined

  /** The live processes; undefined when /proc cannot be read. */
  processes(): Map<number, ProcessEntry> | undefined {
    if (this.table === null) this.table = readProcessTable()
    return this.table
  }

  /** Live processes whose environment has `marker` (see markedProcesses). */
  marked(marker: string): number[] {
    if (!marker.startsWith(MARKER_PREFIX)) return markedProcesses(marker)
    this.environs ??= readEnvirons(MARKER_PREFIX_BYTES)
    const needle = markerNeedle(marker)
    const found: number[] = []
    for (const [entry, environ] of this.environs) {
      if (!hasEntry(environ, needle)) continue
      // The table may have been read before this process started: then ask it alone.
      const live = this.processes()?.has(Number(entry)) || isLive(entry)
      if (live) found.push(Number(entry))
    }
    return found
  }
}

let shared: ProcessSnapshot | undefined

/**
 * The snapshot of this turn of the event loop, shared by every stop that looks now (the stops'
 * poll timers fire together) and taken after the moment `after`; the next turn reads /proc anew.
 */
export function sharedSnapshot(after = 0): ProcessSnapshot {
  if (shared === undefined) setImmediate(() => (shared = undefined)).unref()
  if (shared === undefined || shared.takenAt <= after) shared = new ProcessSnapshot()
  return shared
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
  const needle = markerNeedle(marker)
  const found: number[] = []
  for (const [entry, environ] of readEnvirons(needle)) {
    if (hasEntry(environ, needle) && isLive(entry)) found.push(Number(entry))
  }
  return found
}

/** What a marker looks like inside an environment: `NAME=` as given, or `NAME=value\0`. */
function markerNeedle(marker: string): Buffer {
  return Buffer.from(marker.endsWith('=') ? marker : `${marker}\0`)
}

/** The environment of every readable process in which `needle` occurs, by /proc entry. */
function readEnvirons(needle: Buffer): Map<string, Buffer> {
  const environs = new Map<string, Buffer>()
  const entries = procEntries()
  if (entries === undefined) return environs
  // Most reads fail (other users' processes, kernel threads): no stack traces for them.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    for (const entry of entries) {
      try {
        const environ = fs.readFileSync(`/proc/${entry}/environ`)
        if (environ.includes(needle)) environs.set(entry, environ)
      } catch {
        continue
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  return environs
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
  procReads++
  return entries.filter(entry => {
    const code = entry.charCodeAt(0)
    return code >= 48 && code <= 57
  })
}
