import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import { isOneProcess } from '../../src/exec/process-tree.js'
import { runAction, waitFor, type ActionRun } from '../helpers/action.js'
import { killLeftovers } from '../helpers/signals.js'

// /proc process states: Linux only.
const onLinux = process.platform === 'linux' ? it : it.skip

/**
 * Each shape item starts a daemon that leaves the task's group and loses its parent link, waits
 * until it runs (it writes its pid to daemon-N), records the task's parent (a launcher or the
 * action) in parent-N, and goes on with `then`.
 */
function command(then: string): string {
  const daemon = `sh -c 'echo $$ > daemon-$PARALLEL_SEQ; exec sleep 300'`
  return [
    'case {} in',
    `  fail) sleep 0.5; exit 1 ;;`,
    `  later) exit 0 ;;`,
    `  double-fork) ( setsid ${daemon} & ) ;;`,
    `  setsid-f) setsid -f ${daemon} ;;`,
    'esac',
    'until [ -s daemon-$PARALLEL_SEQ ]; do sleep 0.02; done',
    // Renamed once written: the test signals the action as soon as both files are there.
    "tr '\\0' ' ' < /proc/$PPID/cmdline > tmp-$PARALLEL_SEQ && mv tmp-$PARALLEL_SEQ parent-$PARALLEL_SEQ",
    then
  ].join('\n')
}

/** Daemon pids the tasks wrote, and what started those tasks. */
function daemonsOf(run: ActionRun): { pids: number[]; parents: string[] } {
  const names = readdirSync(run.dir)
  const read = (prefix: string): string[] =>
    names
      .filter(name => name.startsWith(prefix))
      .map(name => readFileSync(join(run.dir, name), 'utf8'))
  return { pids: read('daemon-').map(Number), parents: read('parent-') }
}

/** Whether a process runs, from its /proc state: a zombie has ended. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/**
 * Both start paths: with more items than workers every task goes through a launcher; with no
 * more items than workers the first tasks are spawned by Node.
 */
const paths = [
  { path: 'spawn', extra: [] as string[], parent: /node/ },
  ...(launcherUnsupported() === undefined
    ? [{ path: 'launcher', extra: ['later', 'later'], parent: /^parallel-exec launcher/ }]
    : [])
]

/** Runs the action on the two shapes (plus `before` and the path's extra items). */
async function runShapes(
  startPath: (typeof paths)[number],
  inputs: Record<string, string>,
  before: string[] = [],
  options: Parameters<typeof runAction>[1] = {}
): Promise<{ run: ActionRun; pids: number[] }> {
  const shapes = [...before, 'double-fork', 'setsid-f']
  const run = await runAction(
    {
      items: [...shapes, ...startPath.extra].join('\n'),
      'max-workers': String(shapes.length),
      ...inputs
    },
    options
  )
  const { pids, parents } = daemonsOf(run)
  // Both daemons ran, and their tasks were started the way this case is about.
  expect(pids).toHaveLength(2)
  expect(pids.filter(isOneProcess)).toEqual(pids)
  for (const parent of parents) expect(parent).toMatch(startPath.parent)
  return { run, pids }
}

describe.each(paths)('no daemon outlives the action (tasks started by $path)', startPath => {
  onLinux('on timeout', async () => {
    const { run, pids } = await runShapes(startPath, {
      command: command('sleep 30'),
      timeout: '1s'
    })
    expect(run.outputs['timed-out']).toBe('2')
    for (const pid of pids) expect(running(pid)).toBe(false)
  })

  onLinux('on fail-fast', async () => {
    const { run, pids } = await runShapes(
      startPath,
      { command: command('sleep 30'), 'fail-fast': 'true' },
      ['fail']
    )
    expect(run.outputs).toMatchObject({ failed: '1', cancelled: '2' })
    for (const pid of pids) expect(running(pid)).toBe(false)
  })

  onLinux('on total-timeout', async () => {
    const { run, pids } = await runShapes(startPath, {
      command: command('sleep 30'),
      'total-timeout': '1s'
    })
    expect(run.outputs['timed-out']).toBe('2')
    for (const pid of pids) expect(running(pid)).toBe(false)
  })

  onLinux.each(['SIGTERM', 'SIGINT'] as const)('on %s to the action', async signal => {
    const signalled = { at: 0 }
    const { run, pids } = await runShapes(startPath, { command: command('sleep 30') }, [], {
      onStart: (child, dir) => {
        const ready = (): boolean =>
          ['parent-1', 'parent-2'].every(name => existsSync(join(dir, name)))
        void waitFor(ready).then(() => {
          signalled.at = Date.now()
          child.kill(signal)
        })
      }
    })
    expect(Date.now() - signalled.at).toBeLessThan(7_500)
    expect(run.outputs.cancelled).toBe('2')
    for (const pid of pids) expect(running(pid)).toBe(false)
  })

  onLinux('at the normal end of the action: a finished task’s daemon', async () => {
    const { run, pids } = await runShapes(startPath, { command: command('exit 0') })
    expect(run.code).toBe(0)
    expect(run.outputs.succeeded).toBe(String(2 + startPath.extra.length))
    for (const pid of pids) expect(running(pid)).toBe(false)
  })
})

// Node's spawn leaves nothing that could stop a spawned task once the action is killed: that is
// left to the runner's clean-up of the job's processes (see docs/guarantees.md, "No orphans").
describe('launched tasks do not outlive the action', () => {
  const onLauncher = launcherUnsupported() === undefined ? onLinux : it.skip

  onLauncher('on SIGKILL of the action: each launcher stops its task and its daemons', async () => {
    const pids: number[] = []
    try {
      const record = 'echo $$ > main-$PARALLEL_SEQ; echo $PPID > launcher-$PARALLEL_SEQ; sleep 300'
      const { run, pids: daemons } = await runShapes(
        paths[1] as (typeof paths)[number],
        {
          command: command(record)
        },
        [],
        {
          onStart: (child, dir) => {
            const ready = (): boolean =>
              ['1', '2'].every(seq =>
                ['main-', 'launcher-'].every(name => {
                  const file = join(dir, name + seq)
                  return existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')
                })
              )
            void waitFor(ready).then(() => child.kill('SIGKILL'))
          }
        }
      )
      expect(run.signal).toBe('SIGKILL')
      const read = (prefix: string): number[] =>
        ['1', '2'].map(seq => Number(readFileSync(join(run.dir, prefix + seq), 'utf8')))
      pids.push(...daemons, ...read('main-'), ...read('launcher-'))
      expect(pids).toHaveLength(6)
      expect(pids.filter(isOneProcess)).toEqual(pids)
      // SIGTERM ends them all (no grace needed): well within a few seconds.
      await waitFor(() => !pids.some(running), 5_000).catch(() => {})
      expect(pids.filter(running)).toEqual([])
    } finally {
      killLeftovers(pids)
    }
  })
})
