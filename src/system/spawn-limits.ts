import { readFileSync } from 'node:fs'
import { unsendableCharacter } from '../model/unsendable.js'

/**
 * Linux's MAX_ARG_STRLEN: the most bytes one argument or one `NAME=value` environment string may
 * have, its terminating NUL included. Past it, spawn fails with E2BIG only when the task starts.
 */
export const MAX_ARG_STRLEN = 128 * 1024

/** What a command that needs large data can do instead: the action gives tasks the item in a file. */
const LARGE_DATA_ADVICE =
  'pass large data through a file instead (a task reads its item from $PARALLEL_ITEM_FILE when ' +
  'PARALLEL_ITEM is not set)'

/** Linux's ARG_MAX: the space for arguments and environment however small the stack limit. */
const MIN_ARG_SPACE = 128 * 1024
/** Three quarters of Linux's _STK_LIM (8 MiB): the most, however large the stack limit. */
const MAX_ARG_SPACE = 6 * 1024 * 1024
/** Each argument and variable also takes a pointer on the new process's stack. */
const POINTER_BYTES = 8

/**
 * The most bytes the arguments and environment of a new process may take on Linux, counted as
 * `spawnBytes` does (fs/exec.c, bprm_stack_limits): a quarter of the stack limit, at least 128 KiB
 * and at most 6 MiB (2 MiB under the usual 8 MiB stack; `getconf ARG_MAX` says the same). Undefined
 * elsewhere, where it is not checked.
 */
export function argumentSpaceLimit(
  platform: NodeJS.Platform = process.platform,
  limits: () => string = () => readFileSync('/proc/self/limits', 'utf8')
): number | undefined {
  if (platform !== 'linux') return undefined
  let text: string
  try {
    text = limits()
  } catch {
    return undefined
  }
  const soft = /^Max stack size\s+(\S+)/m.exec(text)?.[1]
  if (soft === undefined) return undefined
  const quarter = soft === 'unlimited' ? Infinity : Math.floor(Number(soft) / 4)
  if (Number.isNaN(quarter)) return undefined
  return Math.max(MIN_ARG_SPACE, Math.min(MAX_ARG_SPACE, quarter))
}

/** Bytes one string takes among a new process's arguments or environment: its UTF-8, a NUL, a pointer. */
export function stringBytes(text: string): number {
  return Buffer.byteLength(text) + 1 + POINTER_BYTES
}

/** Bytes an environment takes in a new process, as `NAME=value` strings. */
export function environmentBytes(env: Readonly<Record<string, string | undefined>>): number {
  let bytes = 0
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) bytes += stringBytes(`${name}=${value}`)
  }
  return bytes
}

/**
 * Bytes the kernel counts against `argumentSpaceLimit` for executing the file at `path` with
 * `argv` (argv[0] included), apart from the environment: the path is copied too, without a pointer.
 */
export function argumentBytes(path: string, argv: readonly string[]): number {
  let bytes = Buffer.byteLength(path) + 1
  for (const arg of argv) bytes += stringBytes(arg)
  // A process started without arguments is given an empty argv[0].
  return argv.length === 0 ? bytes + stringBytes('') : bytes
}

/**
 * Why a command cannot be started with these arguments and this extra environment, or undefined
 * when it can: a NUL byte (no argument or variable can carry one), a lone surrogate (see
 * unsendableCharacter) or a string over MAX_ARG_STRLEN.
 */
export function spawnProblem(
  args: readonly string[],
  env: Readonly<Record<string, string>>
): string | undefined {
  const strings: [string, string][] = [
    ...args.map((arg, index): [string, string] => [`argument ${index + 1} of its command`, arg]),
    ...Object.entries(env).map(([name, value]): [string, string] => [
      `environment variable ${name}`,
      `${name}=${value}`
    ])
  ]
  for (const [what, text] of strings) {
    const unsendable = unsendableCharacter(text)
    if (unsendable !== undefined) {
      const character = unsendable === 'a NUL character' ? 'a NUL byte' : unsendable
      return `${what} would contain ${character}, which no argument or environment variable can carry`
    }
    if (!fitsOneString(text)) {
      const bytes = Buffer.byteLength(text) + 1
      return (
        `${what} would be ${bytes.toLocaleString('en-US')} bytes, over Linux's limit of ` +
        `${MAX_ARG_STRLEN.toLocaleString('en-US')} bytes (128 KiB) per string; ` +
        LARGE_DATA_ADVICE
      )
    }
  }
  return undefined
}

/** Whether one argument or `NAME=value` string is within MAX_ARG_STRLEN, NUL included. */
export function fitsOneString(text: string): boolean {
  // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  return text.length * 3 + 1 <= MAX_ARG_STRLEN || Buffer.byteLength(text) + 1 <= MAX_ARG_STRLEN
}

/** Why a process whose arguments and environment take `bytes` cannot start, or undefined. */
export function totalSizeProblem(bytes: number, limit: number | undefined): string | undefined {
  if (limit === undefined || bytes <= limit) return undefined
  return (
    `its arguments and environment would take ${bytes.toLocaleString('en-US')} bytes, over the ` +
    `system's limit of ${limit.toLocaleString('en-US')} bytes for starting a process (a quarter ` +
    `of the stack size limit, \`ulimit -s\`); ${LARGE_DATA_ADVICE}`
  )
}
