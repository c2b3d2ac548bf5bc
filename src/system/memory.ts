import { readFileSync } from 'node:fs'
import { freemem, totalmem } from 'node:os'

/** Where Linux says how much memory there is and how much is available. */
export const MEMINFO_PATH = '/proc/meminfo'

/** The machine's memory at one moment, in bytes. */
export interface MemoryReading {
  /** What new processes can use without swapping: Linux's MemAvailable. */
  available: number
  /** All of the machine's physical memory. */
  total: number
}

/** Reads the machine's memory afresh each time it is called. */
export type MemoryReader = () => MemoryReading

/** How this platform's available memory is read, or why it is not. */
export type MemorySource = { read: MemoryReader } | { unsupported: string }

/** What the Linux reader falls back on: libuv's figures, as os.freemem() and os.totalmem(). */
export interface MemoryFallback {
  freemem: () => number
  totalmem: () => number
}

const OS_FALLBACK: MemoryFallback = { freemem, totalmem }

/** Why macOS's figure is not used: its free page count leaves out what it would reclaim. */
const MACOS_REASON =
  "macOS's free memory leaves out the file cache and compressed memory the system would " +
  'reclaim, so a limit on it would hold tasks back for no reason'

/**
 * How the available memory is read here: Linux from /proc/meminfo (`meminfo` is its path),
 * Windows from os.freemem() (GlobalMemoryStatusEx's available physical memory); elsewhere not.
 */
export function systemMemory(
  platform: NodeJS.Platform = process.platform,
  meminfo: string = MEMINFO_PATH
): MemorySource {
  if (platform === 'linux') return { read: () => readMeminfo(meminfo) }
  if (platform === 'win32') return { read: () => ({ available: freemem(), total: totalmem() }) }
  if (platform === 'darwin') return { unsupported: MACOS_REASON }
  return { unsupported: `the memory available is read on Linux and Windows only, not ${platform}` }
}

/** Reads a meminfo file afresh; a file that cannot be read gives os.freemem() and os.totalmem(). */
export function readMeminfo(
  path: string = MEMINFO_PATH,
  fallback: MemoryFallback = OS_FALLBACK
): MemoryReading {
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    // Never seen on Linux, but a start must not fail over it: libuv's figures will do.
  }
  return meminfoReading(text, fallback)
}

/**
 * MemAvailable and MemTotal of meminfo text; without MemAvailable (kernels before 3.14)
 * os.freemem(), without MemTotal os.totalmem().
 */
export function meminfoReading(
  text: string,
  fallback: MemoryFallback = OS_FALLBACK
): MemoryReading {
  return {
    available: kibField(text, MEM_AVAILABLE) ?? fallback.freemem(),
    total: kibField(text, MEM_TOTAL) ?? fallback.totalmem()
  }
}

// Made once: the gate reads meminfo before each start.
const MEM_AVAILABLE = /^MemAvailable:\s+(\d+) kB$/m
const MEM_TOTAL = /^MemTotal:\s+(\d+) kB$/m

/** A `Name:   123 kB` line of meminfo, in bytes, or undefined when it is missing. */
function kibField(text: string, line: RegExp): number | undefined {
  const match = line.exec(text)
  return match ? Number(match[1]) * 1024 : undefined
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']

/**
 * A size as people read it, in 1024s, rounded down to one decimal (`7.8 GiB`, `512 MiB`): a
 * figure said as a bound is never more than the true one.
 */
export function formatBytes(bytes: number): string {
  let unit = 0
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit++
  const value = Math.floor((bytes / 1024 ** unit) * 10) / 10
  return value === 1 && unit === 0 ? '1 byte' : `${value} ${UNITS[unit]}`
}
