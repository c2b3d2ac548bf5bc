import { isOneProcess } from '../../src/exec/process-tree.js'

/**
 * The only way tests signal processes. kill(2) reads pid 0 as the caller's own process group and
 * -1 as every process it may signal: a pid read from a file not yet written (`Number('')` is 0),
 * or one a callback had not yet set, would end the test runner and all that started it.
 */

/** Sends `signal` to the process `pid`; throws for a pid that is not one process's. */
export function signalProcess(pid: number, signal: NodeJS.Signals | 0): void {
  if (!isOneProcess(pid)) throw new Error(`Not a process id to signal: ${pid}`)
  process.kill(pid, signal)
}

/** Sends `signal` to the process group `pgid`; throws for a number that is not one group's. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!isOneProcess(pgid)) throw new Error(`Not a process group to signal: ${pgid}`)
  process.kill(-pgid, signal)
}

/** SIGKILL to what a test may have left running: gone ones and numbers that are no pid are skipped. */
export function killLeftovers(pids: readonly number[]): void {
  for (const pid of pids) {
    if (!isOneProcess(pid)) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Gone, as it should be.
    }
  }
}
