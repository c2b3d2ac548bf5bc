import { afterAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LauncherPool, NoneFree } from '../../src/exec/launcher.js'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import { runProcess } from '../../src/exec/process-runner.js'
import { moment, procReadCount, sharedSnapshot } from '../../src/exec/process-snapshot.js'
import { isAlive } from '../helpers/action.js'

// /proc: Linux only.
const onLinux = process.platform === 'linux' ? it : it.skip

const launcherPool = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
const starters = [
  { name: 'spawn', launchers: null },
  ...(launcherUnsupported() === undefined ? [{ name: 'launcher', launchers: launcherPool }] : [])
]

afterAll(() => launcherPool.close())

describe('the /proc snapshot', () => {
  onLinux('is shared within a turn of the event loop, and read anew in the next', async () => {
    const first = sharedSnapshot()
    expect(sharedSnapshot()).toBe(first)
    const table = first.processes()
    expect(table?.has(process.pid)).toBe(true)
    const reads = procReadCount()
    expect(sharedSnapshot().processes()).toBe(table)
    expect(procReadCount()).toBe(reads)
    await new Promise(resolve => setImmediate(resolve))
    expect(sharedSnapshot()).not.toBe(first)
  })

  onLinux('is read anew for a stop called for after it was taken, and then shared', () => {
    const before = sharedSnapshot()
    const triggeredAt = moment()
    const after = sharedSnapshot(triggeredAt)
    expect(after).not.toBe(before)
    expect(after.takenAt).toBeGreaterThan(triggeredAt)
    expect(sharedSnapshot(triggeredAt)).toBe(after)
    expect(sharedSnapshot()).toBe(after)
  })
})

describe.each(starters)('stopping many tasks at once ($name)', ({ launchers }) => {
  onLinux('reads /proc once per look for all of them, not once per task', async () => {
    const count = 20
    const controller = new AbortController()
    let up = 0
    // Ignoring SIGTERM, each is looked at until the grace is over, then killed.
    const tasks = Array.from({ length: count }, () =>
      runProcess({
        file: '/bin/sh',
        args: ['-c', 'trap "" TERM; echo up; exec sleep 30'],
        signal: controller.signal,
        killGraceMs: 300,
        launchers,
        onOutput: () => void up++
      })
    )
    for (let tries = 0; up < count && tries < 1000; tries++) {
      await new Promise(resolve => setTimeout(resolve, 10))
    }
    expect(up).toBe(count)
    const before = procReadCount()
    controller.abort()
    const results = await Promise.all(tasks)
    const reads = procReadCount() - before
    expect(results.every(result => result.aborted && result.signal === 'SIGKILL')).toBe(true)
    expect(results.filter(result => isAlive(result.pid as number))).toEqual([])
    // One look of every stop took 2 or 3 reads of /proc each (the group, the tree, the marker),
    // and there are about ten looks in 300 ms of grace and the settling after SIGKILL.
    expect(reads).toBeLessThan(2 * count)
  })
})

// A spawned task's leftover outside its group is found by the sweep at the end of the run only.
const withLauncher =
  process.platform === 'linux' && launcherUnsupported() === undefined ? it : it.skip

describe('a task that leaves a process just before it ends (launcher)', () => {
  withLauncher('has it stopped, though other stops looked at /proc in the same turn', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-'))
    const leak = path.join(dir, 'leak')
    // Each line in `leak` is written by a process that outlived its task by 2 s: long enough
    // for its stop to come first on a loaded machine too (with 0.3 s, a busy one missed it).
    const leaver = `sleep 0.05; setsid -f sh -c 'sleep 2; echo $0 >> "$1"' "$0" "$1" </dev/null >/dev/null 2>&1`
    const workers = 8
    const perWorker = 6
    const worker = async (first: number): Promise<void> => {
      for (let item = first; item < first + perWorker; item++) {
        const args = ['-c', leaver, String(item), leak]
        await runProcess({ file: '/bin/sh', args, launchers: launcherPool })
      }
    }
    // Tasks end at about the same time: one stop's look at /proc precedes another's leftover.
    await Promise.all(Array.from({ length: workers }, (_, index) => worker(index * perWorker)))
    await new Promise(resolve => setTimeout(resolve, 2300))
    const lines = fs.existsSync(leak) ? fs.readFileSync(leak, 'utf8').split('\n') : []
    fs.rmSync(dir, { recursive: true, force: true })
    expect(lines.filter(Boolean)).toEqual([])
  })
})
