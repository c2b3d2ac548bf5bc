import { afterAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { LAUNCHER_PERL } from '../../src/exec/launcher-program.js'
import type { LaunchRequest } from '../../src/exec/launcher-protocol.js'
import type { LaunchedProcess } from '../../src/exec/launcher-task.js'
import { LauncherPool, NoneFree } from '../../src/exec/launcher.js'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import { killLeftovers, signalGroup, signalProcess } from '../helpers/signals.js'

const onLinux = launcherUnsupported() === undefined ? it : it.skip
const pool = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-test-'))

afterAll(() => {
  pool.close()
  fs.rmSync(tempDir, { recursive: true, force: true })
})

interface Ran {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  pid: number
}

/** Launches through `pool` and waits for the exit and both pipes to close. */
async function launch(request: Partial<LaunchRequest> & { args: string[] }): Promise<Ran> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const outcome = await pool.launch({
    file: '/bin/sh',
    env: { PATH: process.env.PATH },
    ...request,
    onOutput: (chunk, stream) => {
      ;(stream === 'stdout' ? out : err).push(Buffer.from(chunk))
    }
  })
  if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
  const [code, signal] = await outcome.process.exited
  await outcome.process.stdioClosed
  return {
    code,
    signal,
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
    pid: outcome.process.pid
  }
}

/** Starts `sh -c script` through `pool`; the test waits for it as it needs. */
async function start(
  script: string,
  onOutput?: LaunchRequest['onOutput']
): Promise<LaunchedProcess> {
  const outcome = await pool.launch({
    file: '/bin/sh',
    args: ['-c', script],
    env: { PATH: process.env.PATH },
    onOutput
  })
  if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
  return outcome.process
}

/**
 * An onOutput that takes 2 ms per chunk and counts the bytes, and the chunks handed over while an
 * earlier one was still pending (backpressure allows none).
 */
function slowReader(): {
  onOutput: (chunk: Buffer) => Promise<void>
  bytes: number
  overlapping: number
} {
  let pending = false
  const reader = {
    bytes: 0,
    overlapping: 0,
    onOutput: (chunk: Buffer): Promise<void> => {
      if (pending) reader.overlapping++
      reader.bytes += chunk.length
      pending = true
      return new Promise<void>(resolve =>
        setTimeout(() => {
          pending = false
          resolve()
        }, 2)
      )
    }
  }
  return reader
}

/** The same command started by Node's spawn, for comparison. */
function spawned(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
    const out: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.on('error', reject)
    child.on('close', () => resolve(Buffer.concat(out).toString()))
  })
}

/** The parent pid of a live process, from /proc. */
function parentOf(pid: number): number {
  return Number(fs.readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ')[1])
}

/** Whether a process exists and is not a zombie. */
function isAlive(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ')[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

function statusField(text: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1]
}

describe('LauncherPool', () => {
  onLinux(
    'reuses one launcher for tasks one after another, and starts more when busy',
    async () => {
      const first = await launch({ args: ['-c', 'echo $PPID'] })
      const second = await launch({ args: ['-c', 'echo $PPID'] })
      expect(first.stdout).toBe(second.stdout)
      expect(Number(first.stdout)).not.toBe(process.pid)
      const together = await Promise.all([
        launch({ args: ['-c', 'sleep 0.2; echo $PPID'] }),
        launch({ args: ['-c', 'sleep 0.2; echo $PPID'] })
      ])
      expect(together[0].stdout).not.toBe(together[1].stdout)
    }
  )

  onLinux('passes the environment exactly, and nothing of the previous task’s', async () => {
    const env = {
      PATH: process.env.PATH,
      EQUALS: 'a=b==c',
      LINES: 'one\ntwo\n',
      QUOTES: `'"\`$(x)`,
      UNICODE: 'é€😀',
      EMPTY: '',
      GONE_NEXT: 'x'
    }
    const first = await launch({ file: '/usr/bin/env', args: ['-0'], env })
    const parse = (text: string): Record<string, string> =>
      Object.fromEntries(
        text
          .split('\0')
          .filter(Boolean)
          .map(entry => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])
      )
    expect(parse(first.stdout)).toEqual(env)
    const rest: Record<string, string | undefined> = { ...env }
    delete rest.GONE_NEXT
    const second = await launch({ file: '/usr/bin/env', args: ['-0'], env: rest })
    expect(parse(second.stdout)).toEqual(rest)
  })

  onLinux(
    'starts a task as spawn would: own group, stdin from /dev/null, signals and fds reset',
    async () => {
      const env = { PATH: process.env.PATH }
      const script =
        'echo "pgrp $(cut -d" " -f5 /proc/$$/stat) pid $$ session $(cut -d" " -f6 /proc/$$/stat)"; ' +
        'readlink /proc/$$/fd/0; ' +
        // A glob, not `ls | ...`: the shell's own pipe to ls could show up in the list.
        'cd /proc/$$/fd && echo *'
      const viaLauncher = (await launch({ args: ['-c', script], env })).stdout
      const viaSpawn = await spawned('/bin/sh', ['-c', script], env)
      const [pgrp, , pid, , session] = (viaLauncher.split('\n')[0] ?? '').split(' ').slice(1)
      // Its own session (as spawn's detached), so no terminal of ours can stop it.
      expect(pgrp).toBe(pid)
      expect(session).toBe(pid)
      expect(viaLauncher.split('\n')[1]).toBe('/dev/null')
      // Read by the task itself, with no shell between: a shell blocks every signal for a moment
      // while it waits for a command, which its child can see in /proc.
      const signals = ['-E', '^(SigIgn|SigBlk):', '/proc/self/status']
      const launchedSignals = (await launch({ file: 'grep', args: signals, env })).stdout
      expect(statusField(launchedSignals, 'SigIgn')).toBe('0000000000000000')
      expect(statusField(launchedSignals, 'SigBlk')).toBe('0000000000000000')
      expect(launchedSignals).toBe(await spawned('grep', signals, env))
      // Everything but the pids and descriptors is the same as under spawn, and no descriptor
      // of ours leaks in (spawn itself may pass one of the test runner's).
      const lines = (text: string): string[] => text.trimEnd().split('\n').slice(1)
      const fds = (text: string): string[] =>
        (lines(text).at(-1)?.trim().split(' ') ?? []).sort((a, b) => Number(a) - Number(b))
      expect(lines(viaLauncher).slice(0, -1)).toEqual(lines(viaSpawn).slice(0, -1))
      expect(fds(viaLauncher).slice(0, 3)).toEqual(['0', '1', '2'])
      for (const fd of fds(viaLauncher)) expect(fds(viaSpawn)).toContain(fd)
    }
  )

  onLinux('reports exit codes and signals exactly', async () => {
    expect(await launch({ args: ['-c', 'exit 7'] })).toMatchObject({ code: 7, signal: null })
    expect(await launch({ args: ['-c', 'kill -USR1 $$'] })).toMatchObject({
      code: null,
      signal: 'SIGUSR1'
    })
    // A process that exits with 137 is not one killed by SIGKILL.
    expect(await launch({ args: ['-c', 'exit 137'] })).toMatchObject({ code: 137, signal: null })
    // Names shared by two signals are given as Node gives them.
    expect(await launch({ args: ['-c', 'kill -ABRT $$'] })).toMatchObject({ signal: 'SIGABRT' })
    expect(await launch({ args: ['-c', 'kill -IO $$'] })).toMatchObject({ signal: 'SIGIO' })
  })

  onLinux('hands on stdout before stderr when both were written before it read', async () => {
    for (let task = 0; task < 20; task++) {
      const order: string[] = []
      const outcome = await pool.launch({
        file: '/bin/sh',
        args: ['-c', 'echo out; echo err >&2'],
        env: { PATH: process.env.PATH },
        onOutput: (chunk, stream) => {
          order.push(`${stream}:${chunk.toString().trim()}`)
        }
      })
      if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
      await outcome.process.stdioClosed
      expect(order).toEqual(['stdout:out', 'stderr:err'])
    }
  })

  onLinux('appends output past its first bytes to the output file, in order', async () => {
    const file = path.join(tempDir, 'appended.log')
    const events: string[] = []
    let framed = ''
    let appended = 0
    const outcome = await pool.launch({
      file: '/usr/bin/seq',
      args: ['1', '60000'],
      onOutput: chunk => {
        framed += chunk.toString()
        events.push('output')
      },
      outputFile: {
        path: file,
        after: 1000,
        appended: bytes => {
          appended += bytes
          events.push('appended')
        }
      }
    })
    if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
    expect(await outcome.process.exited).toEqual([0, null])
    await outcome.process.stdioClosed
    const all = await spawned('/usr/bin/seq', ['1', '60000'], {})
    expect(framed).toBe(all.slice(0, 1000))
    expect(fs.readFileSync(file, 'utf8')).toBe(all.slice(1000))
    expect(appended).toBe(all.length - 1000)
    expect(events.indexOf('appended')).toBeGreaterThan(events.lastIndexOf('output'))
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600')
  })

  onLinux('counts every byte it appended, also after the pipes were closed', async () => {
    const file = path.join(tempDir, 'closed.log')
    let appended = 0
    let firstAppend!: () => void
    const appending = new Promise<void>(resolve => (firstAppend = resolve))
    const outcome = await pool.launch({
      file: '/bin/sh',
      args: ['-c', 'seq 1 3000000'],
      env: { PATH: process.env.PATH },
      outputFile: {
        path: file,
        after: 0,
        appended: bytes => {
          appended += bytes
          firstAppend()
        }
      }
    })
    if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
    await appending
    outcome.process.closeStdio()
    await outcome.process.exited
    await outcome.process.stdioClosed
    // Whatever was written is counted: the file never holds bytes the action does not know of.
    expect(appended).toBe(fs.statSync(file).size)
    expect(appended).toBeGreaterThan(0)
  })

  onLinux('hands every byte to onOutput when the output file cannot be written', async () => {
    const link = path.join(tempDir, 'link.log')
    fs.symlinkSync(path.join(tempDir, 'target.log'), link)
    const existing = path.join(tempDir, 'existing.log')
    fs.writeFileSync(existing, 'not ours')
    for (const target of [path.join(tempDir, 'no-such-dir', 'x.log'), link, existing]) {
      let appended = 0
      const ran = await launch({
        file: '/usr/bin/seq',
        args: ['1', '20000'],
        outputFile: { path: target, after: 10, appended: bytes => (appended += bytes) }
      })
      expect(ran.stdout).toBe(await spawned('/usr/bin/seq', ['1', '20000'], {}))
      expect(appended).toBe(0)
    }
    // Never through a symbolic link, never into a file that was there.
    expect(fs.existsSync(path.join(tempDir, 'target.log'))).toBe(false)
    expect(fs.readFileSync(existing, 'utf8')).toBe('not ours')
  })

  it('leaves to spawn what it cannot carry: a NUL byte', async () => {
    expect(await pool.launch({ file: '/bin/echo', args: ['a\0b'] })).toEqual({ unavailable: true })
    expect(await pool.launch({ file: '/bin/true', args: [], env: { X: 'a\0b' } })).toEqual({
      unavailable: true
    })
  })

  onLinux('passes the environment in the order given', async () => {
    const names = ['ZED', 'ALPHA', 'MIDDLE', 'PATH', 'BETA', 'A1', 'Z0']
    const env = Object.fromEntries(names.map(name => [name, process.env[name] ?? name]))
    for (let round = 0; round < 3; round++) {
      const ran = await launch({ file: '/usr/bin/env', args: [], env })
      expect(
        ran.stdout
          .split('\n')
          .filter(Boolean)
          .map(line => line.split('=')[0])
      ).toEqual(names)
    }
  })

  onLinux('fails to start as spawn does: same error code and message', async () => {
    const script = path.join(tempDir, 'not-executable')
    fs.writeFileSync(script, '#!/bin/sh\n', { mode: 0o644 })
    for (const [file, code] of [
      ['no-such-command-here', 'ENOENT'],
      [script, 'EACCES'],
      [tempDir, 'EACCES']
    ] as const) {
      const outcome = await pool.launch({ file, args: [], env: { PATH: process.env.PATH } })
      expect(outcome).toEqual({ error: expect.objectContaining({ code }) })
      expect('error' in outcome && outcome.error.message).toBe(`spawn ${file} ${code}`)
    }
    const missing = await pool.launch({
      file: '/bin/sh',
      args: ['-c', 'true'],
      cwd: path.join(tempDir, 'missing')
    })
    expect('error' in missing && missing.error.code).toBe('ENOENT')
  })

  onLinux(
    'delivers output byte for byte, in order, through pipes that /dev/stderr can reopen',
    async () => {
      const ran = await launch({
        args: [
          '-c',
          'head -c 3000000 /dev/zero | tr "\\0" a; echo; echo err > /dev/stderr; echo end'
        ]
      })
      expect(ran.stdout).toBe('a'.repeat(3_000_000) + '\nend\n')
      expect(ran.stderr).toBe('err\n')
    }
  )

  onLinux('pauses the task while a chunk’s promise is pending', async () => {
    const reader = slowReader()
    const task = await start('head -c 2000000 /dev/zero', reader.onOutput)
    await task.exited
    await task.stdioClosed
    expect(reader.bytes).toBe(2_000_000)
    expect(reader.overlapping).toBe(0)
  })

  onLinux('closes the pipes a background child holds when asked', async () => {
    const task = await start('sleep 30 & echo started')
    expect(await task.exited).toEqual([0, null])
    expect(task.stdioOpen()).toBe(true)
    task.closeStdio()
    await task.stdioClosed
    expect(task.stdioOpen()).toBe(false)
    signalGroup(task.pid, 'SIGKILL')
    // The launcher is free again once the sleep it adopted is dealt with.
    expect(await task.leftovers).toEqual(expect.any(Number))
    task.release(true)
    expect((await launch({ args: ['-c', 'echo next'] })).stdout).toBe('next\n')
  })

  onLinux('says so when its launcher dies under a running task, then goes on', async () => {
    const task = await start('sleep 30')
    const launcherPid = parentOf(task.pid)
    signalProcess(launcherPid, 'SIGKILL')
    expect(await task.exited).toEqual([null, null])
    expect(task.lostReason()).toMatch(/launcher .* stopped unexpectedly/)
    signalGroup(task.pid, 'SIGKILL')
    expect((await launch({ args: ['-c', 'echo after'] })).stdout).toBe('after\n')
  })

  onLinux(
    'by default spawns the first tasks, then starts launchers in the background',
    async () => {
      const warming = new LauncherPool({ enabled: true })
      const request = { file: '/bin/true', args: [] }
      try {
        // The first 8 tasks are spawned, and only then does a launcher start.
        for (let task = 0; task < 8; task++) {
          expect(await warming.launch(request)).toEqual({ unavailable: true })
          expect(warming['all'].size).toBe(task < 7 ? 0 : 1)
        }
        // A task that outlasts the next call keeps the launcher busy however loaded the machine is.
        const busy = { file: '/bin/sleep', args: ['1'] }
        let outcome = await warming.launch(busy)
        for (let tries = 0; 'unavailable' in outcome && tries < 200; tries++) {
          await new Promise(resolve => setTimeout(resolve, 10))
          outcome = await warming.launch(busy)
        }
        if (!('process' in outcome)) throw new Error('no launcher became ready')
        // While it is busy, the next task is spawned again and a second launcher starts.
        expect(await warming.launch(request)).toEqual({ unavailable: true })
        expect(await outcome.process.exited).toEqual([0, null])
      } finally {
        warming.close()
      }
    }
  )

  onLinux('waits for a new launcher once told that every slot will run several tasks', async () => {
    const fewTasks = new LauncherPool({ enabled: true })
    const manyTasks = new LauncherPool({ enabled: true })
    const request = { file: '/bin/true', args: [] }
    try {
      // As many tasks as slots: each runs once, so spawning them is cheaper.
      fewTasks.expect(4, 4)
      expect(await fewTasks.launch(request)).toEqual({ unavailable: true })
      manyTasks.expect(5, 4)
      const outcomes = await Promise.all([manyTasks.launch(request), manyTasks.launch(request)])
      for (const outcome of outcomes) {
        if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
        expect(await outcome.process.exited).toEqual([0, null])
      }
      expect(manyTasks['all'].size).toBe(2)
    } finally {
      fewTasks.close()
      manyTasks.close()
    }
  })

  onLinux('a late closeStdio or pause of a finished task leaves the next task alone', async () => {
    // Task A pauses on its only chunk; it is then closed, as runProcess does after the grace.
    let releaseA!: () => void
    const pausedA = new Promise<void>(resolve => (releaseA = resolve))
    const a = await start('printf a', () => pausedA)
    await new Promise(resolve => setTimeout(resolve, 100))
    a.closeStdio()
    expect(await a.exited).toEqual([0, null])
    await a.stdioClosed
    // B runs on the same launcher (the pool waits rather than spawn), with a slow reader.
    const reader = slowReader()
    const b = await start('head -c 1000000 /dev/zero; echo done', reader.onOutput)
    // A's pause ends and A is closed again while B runs: neither may touch B.
    setTimeout(() => {
      releaseA()
      a.closeStdio()
    }, 20)
    expect(await b.exited).toEqual([0, null])
    await b.stdioClosed
    expect(reader.bytes).toBe(1_000_005)
    expect(reader.overlapping).toBe(0)
  })

  onLinux('delivers every frame it read before its launcher died, paused or not', async () => {
    let release!: () => void
    let firstChunk!: () => void
    const chunked = new Promise<void>(resolve => (firstChunk = resolve))
    const chunks: string[] = []
    const task = await start('printf a; sleep 0.05; printf b; printf c', chunk => {
      chunks.push(chunk.toString())
      if (chunks.length > 1) return
      firstChunk()
      return new Promise<void>(resolve => (release = resolve))
    })
    // The launcher adopts as a subreaper: its pid, known before any output can arrive.
    const launcherPid = task.adopter as number
    expect(launcherPid).toEqual(expect.any(Number))
    // The task ends and its launcher reports everything, then dies while we are still paused.
    await chunked
    await waitUntil(() => !isAlive(task.pid))
    await new Promise(resolve => setTimeout(resolve, 200))
    signalProcess(launcherPid, 'SIGKILL')
    await new Promise(resolve => setTimeout(resolve, 100))
    release()
    expect(await task.exited).toEqual([0, null])
    await task.stdioClosed
    expect(chunks.join('')).toBe('abc')
    expect(task.lostReason()).toBeUndefined()
  })

  onLinux('ends with the action even while a task that closed its output runs on', async () => {
    const own = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
    const outcome = await own.launch({
      file: '/bin/sh',
      args: ['-c', 'exec >/dev/null 2>&1; sleep 30'],
      env: { PATH: process.env.PATH }
    })
    if (!('process' in outcome)) throw new Error('not started')
    const launcherPid = parentOf(outcome.process.pid)
    await new Promise(resolve => setTimeout(resolve, 100))
    own.close()
    await waitUntil(() => !isAlive(launcherPid))
    expect(isAlive(launcherPid)).toBe(false)
    // And it stopped its task first.
    expect(isAlive(outcome.process.pid)).toBe(false)
  })

  onLinux('counts what a launcher appended but could not report before it died', async () => {
    // A stand-in launcher: ready, takes one task, appends to its output file, reports the pid
    // and the start, then dies without a W frame.
    const fake = path.join(tempDir, 'fake-perl')
    fs.writeFileSync(
      fake,
      `#!${process.execPath}
const fs = require('node:fs')
const frame = (type, value) => {
  const b = Buffer.alloc(5); b.write(type); b.writeUInt32BE(value, 1); fs.writeSync(1, b)
}
frame('R', 0)
let request = Buffer.alloc(0)
process.stdin.on('data', chunk => {
  request = Buffer.concat([request, chunk])
  if (request.length < 4 || request.length < 4 + request.readUInt32BE(0)) return
  const cwdLength = request.readUInt32BE(5)
  const pathLength = request.readUInt32BE(9 + cwdLength)
  const file = request.subarray(13 + cwdLength, 13 + cwdLength + pathLength).toString()
  fs.writeFileSync(file, 'written but never reported', { flag: 'wx' })
  frame('P', process.pid)
  frame('S', process.pid)
  frame('W', 7)
  process.exit(0)
})
`,
      { mode: 0o755 }
    )
    const dying = new LauncherPool({ enabled: true, perl: fake, whenNoneFree: NoneFree.Wait })
    const file = path.join(tempDir, 'dying.log')
    let appended = 0
    const outcome = await dying.launch({
      file: '/bin/true',
      args: [],
      outputFile: { path: file, after: 0, appended: bytes => (appended += bytes) }
    })
    if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
    expect(await outcome.process.exited).toEqual([null, null])
    expect(outcome.process.lostReason()).toMatch(/stopped unexpectedly/)
    expect(appended).toBe('written but never reported'.length)
    dying.close()
  })

  it('gives up a launcher that does not get ready, and spawns instead', async () => {
    const stuck = path.join(tempDir, 'stuck-perl')
    fs.writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 })
    const pool = new LauncherPool({
      enabled: true,
      perl: stuck,
      whenNoneFree: NoneFree.Wait,
      readyTimeoutMs: 200
    })
    const started = Date.now()
    expect(await pool.launch({ file: '/bin/true', args: [] })).toEqual({ unavailable: true })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await pool.launch({ file: '/bin/true', args: [] })).toEqual({ unavailable: true })
    pool.close()
  })

  it('is unavailable when perl cannot be run, and stays so', async () => {
    const request = { file: '/bin/true', args: [] }
    for (const whenNoneFree of [NoneFree.Wait, NoneFree.Spawn]) {
      const perl = path.join(tempDir, 'no-perl')
      const without = new LauncherPool({ enabled: true, perl, whenNoneFree })
      for (let task = 0; task < 10; task++) {
        expect(await without.launch(request)).toEqual({ unavailable: true })
      }
      await new Promise(resolve => setTimeout(resolve, 100))
      expect(await without.launch(request)).toEqual({ unavailable: true })
      expect(without['broken']).toBe(true)
    }
    expect(await new LauncherPool({ enabled: false }).launch(request)).toEqual({
      unavailable: true
    })
  })
})

describe('a launcher adopts what its task leaves (Linux child subreaper)', () => {
  onLinux('a daemon that lost its parent is its child, and held until released', async () => {
    const pidFile = path.join(tempDir, 'adopted')
    const task = await start(
      `setsid -f sh -c 'echo $$ > ${pidFile}; exec sleep 321' > /dev/null 2>&1`
    )
    expect(await task.exited).toEqual([0, null])
    await task.stdioClosed
    await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '')
    const daemon = Number(fs.readFileSync(pidFile, 'utf8'))
    expect(await task.leftovers).toEqual(expect.any(Number))
    expect(parentOf(daemon)).toBe(task.adopter)
    // Held: the next task gets another launcher, so its processes cannot be taken for these.
    const other = await launch({ args: ['-c', 'echo $PPID'] })
    expect(Number(other.stdout)).not.toBe(task.adopter)
    signalProcess(daemon, 'SIGKILL')
    await waitUntil(() => !isAlive(daemon))
    task.release(true)
    // Released, it takes the next task (the idle launcher taken last comes first) and says
    // nothing is left once the adopted daemon has been reaped.
    const next = await start('echo $PPID')
    expect(await next.leftovers).toBeUndefined()
    expect(next.adopter).toBe(task.adopter)
    next.release(true)
  })
})

describe('a launcher left with a process it could not stop', () => {
  onLinux(
    'is ended rather than reused, so that process is never taken for another task’s',
    async () => {
      const pidFile = path.join(tempDir, 'unstopped')
      const task = await start(
        `setsid -f sh -c 'echo $$ > ${pidFile}; exec sleep 322' > /dev/null 2>&1`
      )
      await task.stdioClosed
      expect(await task.leftovers).toEqual(expect.any(Number))
      const launcher = task.adopter as number
      await waitUntil(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') !== '')
      const daemon = Number(fs.readFileSync(pidFile, 'utf8'))
      task.release(false)
      await waitUntil(() => !isAlive(launcher))
      expect(isAlive(launcher)).toBe(false)
      // Ended, the launcher stopped what it still had (this one it could signal).
      expect(isAlive(daemon)).toBe(false)
      const next = await launch({ args: ['-c', 'echo $PPID'] })
      expect(Number(next.stdout)).not.toBe(launcher)
    }
  )
})

describe('a launcher whose action is gone stops everything it started', () => {
  /** Daemons of both shapes, then `then`; resolves with every pid once all are written. */
  async function startShapes(
    own: LauncherPool,
    name: string,
    then: string
  ): Promise<{ task: LaunchedProcess; pids: number[] }> {
    const file = (shape: string): string => path.join(tempDir, `${name}-${shape}`)
    const daemon = (shape: string): string => `sh -c 'echo $$ > ${file(shape)}; ${then}'`
    const outcome = await own.launch({
      file: '/bin/sh',
      args: [
        '-c',
        `( setsid ${daemon('double-fork')} & ); setsid -f ${daemon('setsid-f')}; ` +
          `echo $$ > ${file('main')}; ${then}`
      ],
      env: { PATH: process.env.PATH },
      onOutput: () => {}
    })
    if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
    const files = ['double-fork', 'setsid-f', 'main'].map(file)
    const written = (): boolean => files.every(f => fs.existsSync(f) && fs.statSync(f).size > 0)
    await waitUntil(written)
    expect(written()).toBe(true)
    return { task: outcome.process, pids: files.map(f => Number(fs.readFileSync(f, 'utf8'))) }
  }

  onLinux('when its stdin ends while a task runs: the task and its daemons', async () => {
    const own = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
    const { task, pids } = await startShapes(own, 'eof', 'exec sleep 325')
    const launcher = task.adopter as number
    expect(pids.every(isAlive)).toBe(true)
    // What the end of the action does to it, however the action ended.
    own.close()
    const all = [...pids, launcher]
    await waitUntil(() => !all.some(isAlive))
    killLeftovers(pids)
    expect(all.filter(isAlive)).toEqual([])
  })

  onLinux('when its stdout breaks while it relays output: the task and its daemons', async () => {
    const own = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })
    const { task, pids } = await startShapes(
      own,
      'epipe',
      // Not ended by SIGPIPE once the launcher is gone: only the launcher can stop it.
      'trap "" PIPE; while :; do echo output; sleep 0.01; done 2>/dev/null'
    )
    const launcher = task.adopter as number
    // Only the reading end goes: the launcher's next frame fails with EPIPE.
    const [only] = [...own['all']]
    only?.['child'].stdout?.destroy()
    const all = [...pids, launcher]
    await waitUntil(() => !all.some(isAlive))
    killLeftovers(pids)
    expect(all.filter(isAlive)).toEqual([])
    own.close()
  })

  /**
   * A perl that runs the launcher as it is, but logs each kill() it makes (`signal pid...` per
   * line) and, with `noUptime`, cannot open /proc/uptime.
   */
  function watchedPerl(name: string, noUptime: boolean): { perl: string; kills: () => string[] } {
    const log = path.join(tempDir, `${name}-kills`)
    fs.writeFileSync(
      path.join(tempDir, 'Watch.pm'),
      [
        'package Watch;',
        // Read now: the launcher replaces its environment with each task's.
        'my ($log_path, $no_uptime) = @ENV{qw(WATCH_LOG WATCH_NO_UPTIME)};',
        'BEGIN {',
        '  *CORE::GLOBAL::kill = sub (@) {',
        "    if (open(my $log, '>>', $log_path)) { print $log join(' ', @_), \"\\n\"; close($log) }",
        '    return CORE::kill(@_);',
        '  };',
        '  *CORE::GLOBAL::open = sub (*;$@) {',
        "    if ($no_uptime && @_ == 3 && $_[2] eq '/proc/uptime') { $! = 13; return 0 }",
        '    return @_ == 3 ? CORE::open($_[0], $_[1], $_[2]) : CORE::open($_[0], $_[1]);',
        '  };',
        '}',
        '1;',
        ''
      ].join('\n')
    )
    const perl = path.join(tempDir, `${name}-perl`)
    fs.writeFileSync(
      perl,
      `#!/bin/sh\nPERL5LIB='${tempDir}' PERL5OPT=-MWatch WATCH_LOG='${log}' ` +
        `WATCH_NO_UPTIME=${noUptime ? 1 : ''} exec ${LAUNCHER_PERL} "$@"\n`,
      { mode: 0o755 }
    )
    const kills = (): string[] =>
      fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
    return { perl, kills }
  }

  onLinux('SIGKILL after the grace, also when /proc/uptime cannot be read', async () => {
    const { perl, kills } = watchedPerl('no-uptime', true)
    const own = new LauncherPool({
      enabled: true,
      whenNoneFree: NoneFree.Wait,
      perl,
      killGraceMs: 300
    })
    const { task, pids } = await startShapes(own, 'no-uptime', 'trap "" TERM; exec sleep 328')
    own.close()
    const all = [...pids, task.adopter as number]
    await waitUntil(() => !all.some(isAlive))
    killLeftovers(pids)
    expect(all.filter(isAlive)).toEqual([])
    // The task's group still had its leader in it: the group was signalled.
    expect(kills()).toContain(`-TERM ${task.pid}`)
  })

  onLinux('not the task group once nothing is in it: its number may be reused', async () => {
    const { perl, kills } = watchedPerl('empty-group', false)
    const own = new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait, perl })
    const daemonFile = path.join(tempDir, 'empty-group-daemon')
    const outcome = await own.launch({
      file: '/bin/sh',
      args: [
        '-c',
        `setsid -f sh -c 'echo $$ > ${daemonFile}; exec sleep 329' </dev/null >/dev/null 2>&1`
      ],
      env: { PATH: process.env.PATH },
      onOutput: () => {}
    })
    if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
    const task = outcome.process
    // The task ended and was reaped; its daemon, in a session of its own, is all that is left.
    expect(await task.leftovers).toEqual(expect.any(Number))
    await waitUntil(() => fs.existsSync(daemonFile) && fs.statSync(daemonFile).size > 0)
    const daemon = Number(fs.readFileSync(daemonFile, 'utf8'))
    own.close()
    await waitUntil(() => !isAlive(daemon))
    killLeftovers([daemon])
    expect(isAlive(daemon)).toBe(false)
    expect(kills()).toContain(`TERM ${daemon}`)
    expect(kills().filter(line => line.startsWith('-'))).toEqual([])
  })

  onLinux('SIGKILL after the grace to what ignores SIGTERM', async () => {
    const own = new LauncherPool({
      enabled: true,
      whenNoneFree: NoneFree.Wait,
      killGraceMs: 300
    })
    const { task, pids } = await startShapes(own, 'ignoring', 'trap "" TERM; exec sleep 326')
    own.close()
    const all = [...pids, task.adopter as number]
    await waitUntil(() => !all.some(isAlive))
    killLeftovers(pids)
    expect(all.filter(isAlive)).toEqual([])
  })
})

/** Polls `check` every 10 ms for up to 5 s. */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let tries = 0; !check() && tries < 500; tries++) {
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
