import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryGate } from '../../src/exec/memory-gate.js'
import { runTasks, type TaskReport } from '../../src/exec/scheduler.js'
import { progressLine } from '../../src/log/progress.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { Progress } from '../../src/run/task-lines.js'
import { readMeminfo } from '../../src/system/memory.js'

const GiB = 1024 ** 3
const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Writes a meminfo file with these figures, in GiB. */
function writeMeminfo(path: string, availableGiB: number): void {
  const kib = (gib: number): number => gib * 1024 * 1024
  writeFileSync(
    path,
    `MemTotal: ${kib(8)} kB\nMemFree: 100 kB\nMemAvailable: ${kib(availableGiB)} kB\n`
  )
}

describe('memfree over a meminfo file, through the scheduler and the progress line', () => {
  it('holds tasks back while too little is available, says so, and starts them once there is', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'memory-progress-')), 'meminfo')
    writeMeminfo(path, 1)
    const said: number[] = []
    const gate = new MemoryGate({
      memfree: 2 * GiB,
      read: () => readMeminfo(path),
      onFirstWait: available => said.push(available),
      retryMs: 20
    })
    const progress = new Progress(3, 0, undefined, gate)
    progress.stop()
    const started: number[] = []
    const finish = new Map<number, () => void>()
    const run = runTasks(
      [0, 1, 2],
      (item: number) =>
        new Promise<TaskReport<number>>(resolve => {
          finish.set(item, () => resolve({ status: TaskStatus.Success, value: item }))
        }),
      {
        concurrency: 3,
        gate,
        onWaiting: waiting => progress.waitingOn(waiting),
        onStart: index => {
          started.push(index)
          progress.started()
        }
      }
    )
    await delay(100)
    // Nothing ran, so one started; the others wait, read again every 20 ms.
    expect(started).toEqual([0])
    expect(said).toEqual([1 * GiB])
    expect(progressLine(progress.state())).toMatch(
      /, 1 running, .* elapsed; waiting: for memory \(1 GiB available, memfree is 2 GiB\)$/
    )
    writeMeminfo(path, 3)
    await delay(100)
    expect(started).toEqual([0, 1, 2])
    expect(progressLine(progress.state())).not.toContain('waiting')
    expect(said).toHaveLength(1)
    for (const index of [0, 1, 2]) finish.get(index)?.()
    const { outcomes } = await run
    expect(outcomes.map(outcome => outcome.status)).toEqual([
      TaskStatus.Success,
      TaskStatus.Success,
      TaskStatus.Success
    ])
  })
})
