import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawn } from 'node:child_process'
import { LauncherPool, NoneFree } from '../../src/exec/launcher.js'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import {
  exitCodeOfSignal,
  runProcess as runProcessThrough,
  stopRunLeftovers,
  taskkillCommand,
  type RunOptions,
  type RunResult
} from '../../src/exec/process-runner.js'
import { liveDescendants } from '../../src/exec/process-tree.js'
import { killLeftovers, signalGroup, signalProcess } from '../helpers/signals.js'

// Group checks read /proc; the rest needs a POSIX shell.
const onLinux = process.platform === 'linux' ? it : it.skip
const onPosix = process.platform !== 'win32' ? it : it.skip

let tempDir: string

// Every behaviour holds whichever way the process is started: Node's spawn, or a launcher.
const launcherPool = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
const starters = [
  { name: 'spawn', launchers: null },
  ...(launcherUnsupported() === undefined ? [{ name: 'launcher', launchers: launcherPool }] : [])
]
let launchers: LauncherPool | null = null

function runProcess(options: RunOptions): Promise<RunResult> {
  return runProcessThrough({ launchers, ...options })
}

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'process-runner-test-'))
})

afterAll(() => {
  launcherPool.close()
  fs.rmSync(tempDir, { recursive: true, force: true })
})

interface Captured {
  result: RunResult
  stdout: Buffer
  stderr: Buffer
  /** Live members of the process group when the output first contained "ready". */
  membersWhenReady: number[]
}

/**
 * Runs `sh -c script` and captures its output. A script that starts with `echo $$` tells us its
 * pid (= pgid); once "ready" appears the group's live members are recorded, and `onReady` runs.
 */
async function sh(
  script: string,
  options: Partial<RunOptions> & { onReady?: () => void } = {}
): Promise<Captured> {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  let membersWhenReady: number[] = []
  let readySeen = false
  const result = await runProcess({
    file: '/bin/sh',
    args: ['-c', script],
    ...options,
    onOutput: (chunk, stream) => {
      ;(stream === 'stdout' ? stdout : stderr).push(chunk)
      const text = Buffer.concat(stdout).toString()
      if (!readySeen && text.includes('ready')) {
        readySeen = true
        membersWhenReady = liveGroupMembers(Number(text.split('\n')[0]))
        options.onReady?.()
      }
    }
  })
  return { result, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), membersWhenReady }
}

/** Processes of a group that are still running; zombies have ended and do not count. */
function liveGroupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1')
    } catch {
      continue
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry))
  }
  return members
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Prints its pid, then starts two background sleeps and a child shell that ignores SIGTERM (as
 * does that child's own sleep), prints "ready" and waits: SIGTERM alone cannot end it.
 */
const stubbornTree = [
  'echo $$',
  'sleep 300 &',
  'sleep 300 &',
  `sh -c "trap '' TERM; sleep 300 & wait" &`,
  'sleep 0.2',
  'echo ready',
  'wait'
].join('\n')

describe.each(starters)('runProcess started by $name', starter => {
  beforeAll(() => {
    launchers = starter.launchers
  })

  it.each([0, 1, 42])('passes exit code %i through', async code => {
    const { result } = await sh(`exit ${code}`)
    expect(result).toMatchObject({ exitCode: code, signal: null, timedOut: false, aborted: false })
    expect(result.error).toBeUndefined()
    expect(result.pid).toEqual(expect.any(Number))
    expect(result.endedAt - result.startedAt).toBe(result.durationMs)
  })

  it('delivers stdout and stderr separately, each in order', async () => {
    const { stdout, stderr } = await sh(
      'for i in 1 2 3 4 5; do printf "out$i "; printf "err$i " >&2; done'
    )
    expect(stdout.toString()).toBe('out1 out2 out3 out4 out5 ')
    expect(stderr.toString()).toBe('err1 err2 err3 err4 err5 ')
  })

  it('delivers binary output and a 5 MB line without newline byte for byte', async () => {
    const blob = randomBytes(1024 * 1024)
    const line = Buffer.alloc(5 * 1024 * 1024)
    for (let index = 0; index < line.length; index++) line[index] = 0x61 + (index % 26)
    const blobFile = path.join(tempDir, 'blob.bin')
    const lineFile = path.join(tempDir, 'line.txt')
    fs.writeFileSync(blobFile, blob)
    fs.writeFileSync(lineFile, line)

    const { result, stdout, stderr } = await sh('', {
      args: ['-c', 'cat "$0"; cat "$1" >&2', blobFile, lineFile]
    })
    expect(result.exitCode).toBe(0)
    expect(sha256(stdout)).toBe(sha256(blob))
    expect(stderr.length).toBe(line.length)
    expect(stderr.equals(line)).toBe(true)
  })

  it('drains output nobody listens to', async () => {
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', 'head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2']
    })
    expect(result.exitCode).toBe(0)
  })

  onPosix('reports death by SIGTERM as 143 and by SIGKILL as 137', async () => {
    expect((await sh('kill -TERM $$')).result).toMatchObject({ exitCode: 143, signal: 'SIGTERM' })
    expect((await sh('kill -KILL $$')).result).toMatchObject({ exitCode: 137, signal: 'SIGKILL' })
  })

  onLinux('on timeout stops the whole tree, SIGTERM-proof members included', async () => {
    const { result, stdout, membersWhenReady } = await sh(stubbornTree, {
      timeoutMs: 1000,
      killGraceMs: 300
    })
    const pgid = result.pid as number
    expect(stdout.toString()).toBe(`${pgid}\nready\n`)
    // The shell, two sleeps, the TERM-ignoring shell and its sleep.
    expect(membersWhenReady.length).toBeGreaterThanOrEqual(5)
    expect(result).toMatchObject({
      timedOut: true,
      aborted: false,
      exitCode: 143,
      signal: 'SIGTERM'
    })
    // Something ignored SIGTERM, so the whole grace had to pass before SIGKILL.
    expect(result.durationMs).toBeGreaterThanOrEqual(1000 + 300)
    expect(liveGroupMembers(pgid)).toEqual([])
  })

  onLinux('on abort stops the whole tree, SIGTERM-proof members included', async () => {
    const controller = new AbortController()
    const { result, membersWhenReady } = await sh(stubbornTree, {
      signal: controller.signal,
      killGraceMs: 300,
      onReady: () => controller.abort()
    })
    expect(membersWhenReady.length).toBeGreaterThanOrEqual(5)
    expect(result).toMatchObject({
      aborted: true,
      timedOut: false,
      exitCode: 143,
      signal: 'SIGTERM'
    })
    expect(liveGroupMembers(result.pid as number)).toEqual([])
  })

  onLinux('does not wait out the grace when SIGTERM ends the whole tree', async () => {
    const { result, membersWhenReady } = await sh(
      'echo $$; sleep 300 & sleep 300 & sleep 0.1; echo ready; wait',
      { timeoutMs: 500, killGraceMs: 20_000 }
    )
    expect(membersWhenReady.length).toBeGreaterThanOrEqual(3)
    expect(result.timedOut).toBe(true)
    expect(result.durationMs).toBeLessThan(5000)
    expect(liveGroupMembers(result.pid as number)).toEqual([])
  })

  onLinux('does not hang on a background child that keeps stdout open', async () => {
    const { result, stdout } = await sh('echo $$; sleep 300 & echo ready', {
      stdioGraceMs: 400,
      killGraceMs: 300
    })
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, aborted: false })
    expect(stdout.toString()).toBe(`${result.pid}\nready\n`)
    expect(result.durationMs).toBeGreaterThanOrEqual(400)
    expect(result.durationMs).toBeLessThan(400 + 3000)
    expect(liveGroupMembers(result.pid as number)).toEqual([])
  })

  onLinux('cuts the wait for stdout short on abort once the main process has exited', async () => {
    const controller = new AbortController()
    const { result } = await sh('echo $$; sleep 300 & echo ready', {
      signal: controller.signal,
      stdioGraceMs: 20_000,
      killGraceMs: 20_000,
      // Long enough for the shell to have exited after its last echo.
      onReady: () => setTimeout(() => controller.abort(), 300)
    })
    // The command itself finished normally; only the wait for its leftovers was cut.
    expect(result).toMatchObject({ exitCode: 0, aborted: false, timedOut: false })
    expect(result.durationMs).toBeLessThan(5000)
    expect(liveGroupMembers(result.pid as number)).toEqual([])
  })

  onLinux('stops what a finished task left running in the background', async () => {
    const { result, membersWhenReady } = await sh(
      'echo $$; sleep 300 >/dev/null 2>&1 & sleep 0.1; echo ready; sleep 0.1',
      { stdioGraceMs: 20_000, killGraceMs: 20_000 }
    )
    expect(membersWhenReady.length).toBeGreaterThanOrEqual(2)
    expect(result.exitCode).toBe(0)
    // Its stdio closed with the shell, and the sleep died of SIGTERM: no grace was waited out.
    expect(result.durationMs).toBeLessThan(5000)
    expect(liveGroupMembers(result.pid as number)).toEqual([])
  })

  it('does not start anything when already aborted', async () => {
    const marker = path.join(tempDir, 'started')
    const controller = new AbortController()
    controller.abort()
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', `touch ${marker}`],
      signal: controller.signal
    })
    expect(result).toMatchObject({ exitCode: null, signal: null, aborted: true, timedOut: false })
    expect(result.pid).toBeUndefined()
    expect(fs.existsSync(marker)).toBe(false)
  })

  it('leaves a process that ends before its time limit alone', async () => {
    const { result } = await sh('exit 3', { timeoutMs: 60_000 })
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false })
  })

  it('reports a command that is not found as 127', async () => {
    const result = await runProcess({ file: 'no-such-command-here', args: [] })
    expect(result).toMatchObject({ exitCode: 127, signal: null, timedOut: false, aborted: false })
    expect(result.error).toBe('spawn no-such-command-here ENOENT')
    expect(result.pid).toBeUndefined()
  })

  onPosix('reports a file that is not executable as 126', async () => {
    const script = path.join(tempDir, 'not-executable.sh')
    fs.writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o644 })
    const result = await runProcess({ file: script, args: [] })
    expect(result).toMatchObject({ exitCode: 126 })
    expect(result.error).toMatch(/EACCES/)
    expect((await runProcess({ file: tempDir, args: [] })).exitCode).toBe(126)
  })

  it('reports a working directory that does not exist, without starting anything', async () => {
    const missing = path.join(tempDir, 'missing')
    const result = await runProcess({ file: '/bin/sh', args: ['-c', 'true'], cwd: missing })
    expect(result).toMatchObject({
      exitCode: null,
      error: `working directory does not exist: ${missing}`
    })
  })

  it('reports a working directory that is a file', async () => {
    const file = path.join(tempDir, 'plain-file')
    fs.writeFileSync(file, '')
    const result = await runProcess({ file: '/bin/sh', args: ['-c', 'true'], cwd: file })
    expect(result).toMatchObject({
      exitCode: null,
      error: `working directory is not a directory: ${file}`
    })
  })

  it('passes the environment exactly, and on Linux the task’s marker last', async () => {
    const env = { ONE: 'a b\tc', EMPTY: '', UNICODE: 'é€' }
    const stdout: Buffer[] = []
    const result = await runProcess({
      file: '/usr/bin/env',
      args: [],
      env,
      onOutput: chunk => {
        stdout.push(chunk)
      }
    })
    expect(result.exitCode).toBe(0)
    const lines = Buffer.concat(stdout).toString().split('\n').filter(Boolean)
    // Found in /proc/N/environ to stop what the task leaves (see process-tree.ts).
    if (process.platform === 'linux') {
      expect(lines.pop()).toMatch(/^PARALLEL_EXEC_TASK_[0-9A-F]{16}=[1-9][0-9]*$/)
    }
    expect(lines.sort()).toEqual(['EMPTY=', 'ONE=a b\tc', 'UNICODE=é€'])
  })

  it('runs in the working directory given', async () => {
    const { stdout } = await sh('pwd -P', { cwd: tempDir })
    expect(stdout.toString()).toBe(fs.realpathSync(tempDir) + '\n')
  })
})

describe('a task whose launcher dies', () => {
  const onLauncher = launcherUnsupported() === undefined ? it : it.skip

  onLauncher('is reported lost, and what it started is stopped all the same', async () => {
    launchers = launcherPool
    let output = ''
    let members: number[] = []
    let parentCommand = ''
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', 'echo $$; sleep 300 & sleep 0.2; echo ready; wait'],
      killGraceMs: 300,
      onOutput: chunk => {
        output += chunk.toString()
        if (members.length > 0 || !output.includes('ready')) return
        const pid = Number(output.split('\n')[0])
        members = liveGroupMembers(pid)
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        parentCommand = fs.readFileSync(`/proc/${parent}/cmdline`, 'latin1')
        // Only a launcher: were the task spawned, its parent would be this test's own process.
        if (parent !== process.pid && parentCommand.startsWith('parallel-exec launcher')) {
          signalProcess(parent, 'SIGKILL')
        } else {
          signalGroup(pid, 'SIGKILL') // end the test at once: it failed
        }
      }
    })
    expect(parentCommand).toMatch(/^parallel-exec launcher/)
    expect(result.error).toMatch(/launcher .* stopped unexpectedly/)
    expect(members).toHaveLength(2)
    for (const pid of members) expect(processState(pid)).toBeUndefined()
  })
})

describe('exitCodeOfSignal', () => {
  it('follows the shell: 128 + signal number', () => {
    expect(exitCodeOfSignal('SIGTERM')).toBe(128 + os.constants.signals.SIGTERM)
    expect(exitCodeOfSignal('SIGKILL')).toBe(128 + os.constants.signals.SIGKILL)
    expect(exitCodeOfSignal(null)).toBeNull()
  })
})

describe('taskkillCommand', () => {
  it('force-stops the tree with taskkill from SystemRoot, no shell', () => {
    expect(taskkillCommand(1234, { SystemRoot: 'D:\\Win' })).toEqual({
      file: 'D:\\Win\\System32\\taskkill.exe',
      args: ['/T', '/F', '/PID', '1234']
    })
    expect(taskkillCommand(5, {}).file).toBe('C:\\Windows\\System32\\taskkill.exe')
  })
})

describe.each(starters)('descendants that leave the task’s process group ($name)', starter => {
  beforeAll(() => {
    launchers = starter.launchers
  })

  onLinux(
    'are stopped on timeout too: coreutils timeout and setsid make groups of their own',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escaped-'))
      const result = await runProcess({
        file: 'bash',
        args: [
          '-c',
          `timeout 300 sleep 301 & echo $! > ${dir}/timeout.pid; ` +
            `setsid sleep 302 & echo $! > ${dir}/setsid.pid; wait`
        ],
        timeoutMs: 500,
        killGraceMs: 300
      })
      expect(result.timedOut).toBe(true)
      const pids = ['timeout.pid', 'setsid.pid'].map(name =>
        Number(fs.readFileSync(path.join(dir, name), 'utf8'))
      )
      await new Promise(resolve => setTimeout(resolve, 100))
      for (const pid of pids) expect(processState(pid)).toBeUndefined()
      // The sleep under coreutils timeout is in timeout's group, and goes with it.
      expect(liveSleeps(['301', '302'])).toEqual([])
    }
  )

  onLinux('liveDescendants finds them through parent links', async () => {
    const child = spawn('bash', ['-c', 'setsid sleep 303 & sleep 304'], {
      detached: true,
      stdio: 'ignore'
    })
    await new Promise(resolve => setTimeout(resolve, 200))
    const found = liveDescendants(child.pid as number)
    expect(found).toHaveLength(2)
    signalGroup(child.pid as number, 'SIGKILL')
    // The one outside the group; the rest may be gone (and reaped) already.
    killLeftovers(found)
  })
})

/**
 * Daemons that leave the task's group and lose their parent link: a double fork, and `setsid -f`
 * (which forks itself). Each writes its pid to `file` (once it is the sleep) before the script
 * goes on, so the test knows it was running.
 */
const daemonShapes = [
  {
    shape: 'double fork',
    start: (file: string, seconds: string) =>
      `( setsid sh -c 'echo $$ > ${file}; exec sleep ${seconds}' & )`
  },
  {
    shape: 'setsid -f',
    start: (file: string, seconds: string) =>
      `setsid -f sh -c 'echo $$ > ${file}; exec sleep ${seconds}'`
  },
  {
    // A group of its own in the same session (as job control makes), then its parent ends.
    shape: 'own group, parent gone',
    start: (file: string, seconds: string) =>
      `( perl -e 'setpgrp(0, 0); exec @ARGV' sh -c 'echo $$ > ${file}; exec sleep ${seconds}' & )`
  }
]
const orphanCases = starters.flatMap(starter =>
  daemonShapes.map(daemon => ({ ...daemon, name: starter.name, launchers: starter.launchers }))
)
let daemonCount = 0

/** Starts a daemon of `shape`, waits for it, then runs `then`; returns the daemon's pid file. */
function daemonScript(
  daemon: (typeof daemonShapes)[number],
  then: string
): { script: string; pidFile: string } {
  const pidFile = path.join(tempDir, `daemon-${++daemonCount}`)
  const seconds = `${300 + daemonCount}.5`
  const wait = `until [ -s ${pidFile} ]; do sleep 0.02; done`
  return { script: `${daemon.start(pidFile, seconds)}; ${wait}; ${then}`, pidFile }
}

/** The daemon's pid, and whether it still runs now, from its /proc state (a zombie has ended). */
function daemonRunning(pidFile: string): boolean {
  const pid = Number(fs.readFileSync(pidFile, 'utf8'))
  expect(pid).toBeGreaterThan(1)
  return processState(pid) !== undefined
}

describe.each(orphanCases)('a daemon that re-parents ($shape, $name)', daemon => {
  beforeAll(() => {
    launchers = daemon.launchers
  })

  onLinux('is stopped on timeout', async () => {
    const { script, pidFile } = daemonScript(daemon, 'sleep 30')
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', script],
      timeoutMs: 700,
      killGraceMs: 300
    })
    expect(result.timedOut).toBe(true)
    expect(daemonRunning(pidFile)).toBe(false)
  })

  onLinux('is stopped when the task is aborted (fail-fast, cancellation)', async () => {
    const { script, pidFile } = daemonScript(daemon, 'echo ready; sleep 30')
    const abort = new AbortController()
    let runningAtAbort = false
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', script],
      signal: abort.signal,
      killGraceMs: 300,
      onOutput: chunk => {
        if (!chunk.toString().includes('ready')) return
        runningAtAbort = daemonRunning(pidFile)
        abort.abort()
      }
    })
    expect(result.aborted).toBe(true)
    expect(runningAtAbort).toBe(true)
    expect(daemonRunning(pidFile)).toBe(false)
  })

  onLinux('left by a finished task is stopped by the end of the run', async () => {
    const { script, pidFile } = daemonScript(daemon, 'exit 0')
    const result = await runProcess({ file: '/bin/sh', args: ['-c', script], killGraceMs: 300 })
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, aborted: false })
    // A launcher adopts it, so it goes with the task; a spawned task's waits for the run's end.
    expect(daemonRunning(pidFile)).toBe(daemon.name === 'spawn')
    await stopRunLeftovers(300)
    expect(daemonRunning(pidFile)).toBe(false)
  })
})

function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state === 'Z' || state === 'X' ? undefined : state
  } catch {
    return undefined
  }
}

function liveSleeps(args: string[]): number[] {
  const found: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (
        cmdline[0]?.endsWith('sleep') &&
        args.includes(cmdline[1] ?? '') &&
        processState(Number(entry))
      ) {
        found.push(Number(entry))
      }
    } catch {
      // gone
    }
  }
  return found
}

describe('a daemon that re-parents and drops its environment', () => {
  const onLauncher = launcherUnsupported() === undefined ? it : it.skip

  onLauncher('is still found in a launched task: it stays the launcher’s descendant', async () => {
    launchers = launcherPool
    const pidFile = path.join(tempDir, 'daemon-without-environment')
    const daemon = `( setsid env -i sh -c 'echo $$ > ${pidFile}; exec sleep 333' & )`
    const result = await runProcess({
      file: '/bin/sh',
      args: ['-c', `${daemon}; until [ -s ${pidFile} ]; do sleep 0.02; done; sleep 30`],
      timeoutMs: 700,
      killGraceMs: 300
    })
    expect(result.timedOut).toBe(true)
    expect(daemonRunning(pidFile)).toBe(false)
  })
})
