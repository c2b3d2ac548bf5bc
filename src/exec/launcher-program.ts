import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as os from 'node:os'
import { DEFAULT_KILL_GRACE_MS } from './process-tree.js'

/** The perl that runs launchers (Linux only, and only where it exists). */
export const LAUNCHER_PERL = '/usr/bin/perl'

/** The system calls launcher.pl makes by number (it loads no module). */
type Syscall = 'pidfd_open' | 'setsid' | 'rt_sigprocmask' | 'exit_group' | 'close' | 'prctl'

/** Their numbers on the architectures GitHub's Linux runners have; elsewhere tasks are spawned. */
const SYSCALLS: Partial<Record<string, Readonly<Record<Syscall, number>>>> = {
  x64: { pidfd_open: 434, setsid: 112, rt_sigprocmask: 14, exit_group: 231, close: 3, prctl: 157 },
  arm64: {
    pidfd_open: 434,
    setsid: 157,
    rt_sigprocmask: 135,
    exit_group: 94,
    close: 57,
    prctl: 167
  }
}

let program: string | undefined

/** launcher.pl could not be read (a dist/ without it): the pool falls back to spawn. */
export class UnreadableProgram extends Error {}

/** The text of launcher.pl, read once (ncc copies the file next to the bundle for this read). */
export function launcherProgram(): string {
  // No `??=` in this file: ncc's asset relocator could not parse it, and webpack would then emit
  // the file under a content hash instead of as dist/launcher.pl (decision 003).
  if (program === undefined) {
    const url = new URL('./launcher.pl', import.meta.url)
    try {
      program = fs.readFileSync(url, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new UnreadableProgram(`${fileURLToPath(url)} could not be read (${code})`)
    }
  }
  return program
}

/** Launcher.pl's NAME=value arguments: syscall numbers, the output file's flags, EINTR, the grace. */
export function launcherArguments(killGraceMs: number = DEFAULT_KILL_GRACE_MS): string[] {
  const syscalls = SYSCALLS[process.arch]
  if (syscalls === undefined) throw new Error(`No launcher for ${process.arch}`)
  // A fresh file per attempt, created by the launcher alone: never an existing file or a link.
  const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants
  const named = {
    ...syscalls,
    output_file_flags: O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW,
    EINTR: os.constants.errno.EINTR,
    grace_ms: Math.max(0, Math.round(killGraceMs))
  }
  return Object.entries(named).map(([name, value]) => `${name}=${value}`)
}

/** Why tasks cannot be started through launchers on this machine, or undefined when they can. */
export function launcherUnsupported(perl: string = LAUNCHER_PERL): string | undefined {
  if (process.platform !== 'linux') return `launchers run on Linux only, not on ${process.platform}`
  if (SYSCALLS[process.arch] === undefined) return `no launcher for ${process.arch}`
  try {
    fs.accessSync(perl, fs.constants.X_OK)
    return undefined
  } catch (error) {
    return `${perl} cannot be run: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
  }
}
