import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  LAUNCHER_PERL,
  launcherArguments,
  launcherUnsupported
} from '../../src/exec/launcher-program.js'
import { FailedStep, Frame, Request } from '../../src/exec/launcher-protocol.js'
import { LauncherPool, NoneFree } from '../../src/exec/launcher.js'

const onLinux = launcherUnsupported() === undefined ? it : it.skip
const LAUNCHER_PROGRAM = path.resolve('src/exec/launcher.pl')
const source = fs.readFileSync(LAUNCHER_PROGRAM, 'utf8')
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-program-test-'))

afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }))

/** The one-letter constants launcher.pl defines with `prefix`, by name, as byte values. */
function perlConstants(prefix: string): Record<string, number> {
  const found: Record<string, number> = {}
  const definition = new RegExp(`^sub ${prefix}_(\\w+)\\(\\)\\s*\\{ '(.)' \\}`, 'gm')
  for (const [, name, letter] of source.matchAll(definition)) {
    found[name as string] = (letter as string).charCodeAt(0)
  }
  return found
}

/** A table of the TypeScript side with its names as launcher.pl spells them (DevNull: DEV_NULL). */
function perlNames(table: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(table).map(([name, value]) => [
      name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      value
    ])
  )
}

/** A pool whose perl is a shell script `body` (given perl's arguments as "$@"). */
function poolWithPerl(
  name: string,
  body: string,
  reasons: string[]
): { pool: LauncherPool; perl: string } {
  const perl = path.join(tempDir, name)
  fs.writeFileSync(perl, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  const pool = new LauncherPool({
    enabled: true,
    perl,
    whenNoneFree: NoneFree.Wait,
    onUnavailable: reason => reasons.push(reason)
  })
  return { pool, perl }
}

/** Polls `check` every 10 ms for up to 5 s. */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let tries = 0; !check() && tries < 500; tries++) {
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

describe('the launcher program', () => {
  onLinux('compiles without a warning (perl -c -w)', () => {
    const check = spawnSync(LAUNCHER_PERL, ['-c', '-w', LAUNCHER_PROGRAM], {
      encoding: 'utf8',
      env: {}
    })
    expect(check.stderr).toBe(`${LAUNCHER_PROGRAM} syntax OK\n`)
    expect(check.status).toBe(0)
  })

  it('names the frames, requests and failed steps as the TypeScript side does', () => {
    expect(perlConstants('FRAME')).toEqual(perlNames(Frame))
    expect(perlConstants('REQUEST')).toEqual(perlNames(Request))
    expect(perlConstants('STEP')).toEqual(perlNames(FailedStep))
  })

  onLinux('reads by name exactly the arguments it is given', () => {
    const read = [...source.matchAll(/\bargument\('(\w+)'\)/g)].map(match => match[1])
    const given = launcherArguments().map(argument => argument.split('=')[0])
    expect(read.sort()).toEqual(given.sort())
    expect(launcherArguments(1234)).toContain('grace_ms=1234')
  })

  onLinux('is accepted by perl: a launcher gets ready and runs a task', async () => {
    const reasons: string[] = []
    const fresh = new LauncherPool({
      enabled: true,
      whenNoneFree: NoneFree.Wait,
      onUnavailable: reason => reasons.push(reason)
    })
    try {
      const outcome = await fresh.launch({ file: '/bin/true', args: [] })
      if (!('process' in outcome)) throw new Error(`not started: ${JSON.stringify(outcome)}`)
      expect(await outcome.process.exited).toEqual([0, null])
      // A child subreaper on Linux 3.4 and later: every runner GitHub has.
      expect(outcome.process.adopter).toEqual(expect.any(Number))
      expect(reasons).toEqual([])
    } finally {
      fresh.close()
    }
  })

  onLinux('refused by perl, says why, once, and tasks are spawned', async () => {
    // The real perl, given a program that does not compile (an unclosed brace before it).
    const reasons: string[] = []
    const { pool: broken } = poolWithPerl(
      'refusing-perl',
      `exec /usr/bin/perl -e 'sub {' "$@"`,
      reasons
    )
    const request = { file: '/bin/true', args: [] }
    expect(await broken.launch(request)).toEqual({ unavailable: true })
    expect(await broken.launch(request)).toEqual({ unavailable: true })
    await waitUntil(() => reasons.length > 0)
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatch(/refusing-perl exited with code 255 before the launcher was ready: /)
    expect(reasons[0]).toMatch(/Missing right curly/)
    broken.close()
  })

  onLinux('without its arguments, says which one it misses, once', async () => {
    // Only `-e` and the program: no NAME=value argument reaches it.
    const reasons: string[] = []
    const { pool } = poolWithPerl('argless-perl', `exec ${LAUNCHER_PERL} "$1" "$2"`, reasons)
    const request = { file: '/bin/true', args: [] }
    expect(await pool.launch(request)).toEqual({ unavailable: true })
    expect(await pool.launch(request)).toEqual({ unavailable: true })
    await waitUntil(() => reasons.length > 0)
    expect(reasons).toEqual([
      expect.stringMatching(
        /argless-perl exited with code 255 before the launcher was ready: parallel-exec launcher: no pidfd_open= argument$/
      )
    ])
    pool.close()
  })

  onLinux('without perl, says why at the first task, once', async () => {
    const reasons: string[] = []
    const perl = path.join(tempDir, 'no-such-perl')
    const pool = new LauncherPool({ perl, onUnavailable: reason => reasons.push(reason) })
    const request = { file: '/bin/true', args: [] }
    expect(reasons).toEqual([])
    expect(await pool.launch(request)).toEqual({ unavailable: true })
    expect(await pool.launch(request)).toEqual({ unavailable: true })
    await waitUntil(() => reasons.length > 0)
    expect(reasons).toEqual([`${perl} cannot be run: ENOENT`])
    expect(launcherUnsupported(perl) === undefined).toBe(false)
  })
})
