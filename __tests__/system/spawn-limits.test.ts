import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { LauncherPool, NoneFree } from '../../src/exec/launcher.js'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import { runProcess } from '../../src/exec/process-runner.js'
import { nextTaskMarker } from '../../src/exec/process-tree.js'
import {
  argumentBytes,
  argumentSpaceLimit,
  environmentBytes,
  MAX_ARG_STRLEN,
  spawnProblem,
  stringBytes,
  totalSizeProblem
} from '../../src/system/spawn-limits.js'

describe('spawnProblem', () => {
  it('accepts ordinary arguments and variables', () => {
    expect(spawnProblem(['-c', 'echo hi'], { PARALLEL_ITEM: 'x' })).toBeUndefined()
  })

  it('names a NUL byte in an argument or a variable', () => {
    expect(spawnProblem(['-c', 'a\0b'], {})).toBe(
      'argument 2 of its command would contain a NUL byte, which no argument or environment variable can carry'
    )
    expect(spawnProblem([], { PARALLEL_ITEM: '\0' })).toContain(
      'environment variable PARALLEL_ITEM'
    )
  })

  it('names a string over 128 KiB in bytes, counting multi-byte characters and the NUL', () => {
    expect(spawnProblem(['x'.repeat(MAX_ARG_STRLEN - 1)], {})).toBeUndefined()
    expect(spawnProblem(['x'.repeat(MAX_ARG_STRLEN)], {})).toBe(
      "argument 1 of its command would be 131,073 bytes, over Linux's limit of 131,072 bytes (128 KiB) per string; pass large data through a file instead (a task reads its item from $PARALLEL_ITEM_FILE when PARALLEL_ITEM is not set)"
    )
    expect(spawnProblem([], { PARALLEL_ITEM: 'é'.repeat(70_000) })).toContain(
      'would be 140,015 bytes'
    )
  })

  it('matches what the kernel refuses', () => {
    const fits = spawnSync('/bin/true', ['x'.repeat(MAX_ARG_STRLEN - 1)])
    const tooLong = spawnSync('/bin/true', ['x'.repeat(MAX_ARG_STRLEN)])
    expect(fits.status).toBe(0)
    expect((tooLong.error as NodeJS.ErrnoException | undefined)?.code).toBe('E2BIG')
  })
})

const onLinux = process.platform === 'linux' ? it : it.skip

/** Arguments for /bin/true that, with `env`, take exactly `total` bytes by argumentBytes' count. */
function argvOfSize(total: number, env: Record<string, string>): string[] {
  const argv = ['/bin/true']
  let left = total - environmentBytes(env) - argumentBytes('/bin/true', argv)
  while (left > 0) {
    // Each argument costs its bytes, a NUL and a pointer; the last one takes what is left.
    const size = Math.min(100_000, left - 9)
    if (size < 0) throw new Error('cannot reach that size exactly')
    argv.push('x'.repeat(size))
    left -= size + 9
  }
  return argv
}

describe('argumentSpaceLimit', () => {
  it("is a quarter of the stack limit, between Linux's 128 KiB and 6 MiB", () => {
    const limits = (stack: string) => () =>
      `Limit                     Soft Limit           Hard Limit           Units     \n` +
      `Max stack size            ${stack}              unlimited            bytes     \n`
    expect(argumentSpaceLimit('linux', limits('8388608'))).toBe(2 * 1024 * 1024)
    expect(argumentSpaceLimit('linux', limits('unlimited'))).toBe(6 * 1024 * 1024)
    expect(argumentSpaceLimit('linux', limits('65536'))).toBe(128 * 1024)
    expect(argumentSpaceLimit('linux', limits('67108864'))).toBe(6 * 1024 * 1024)
    expect(argumentSpaceLimit('darwin', limits('8388608'))).toBeUndefined()
    expect(argumentSpaceLimit('linux', () => 'nothing here')).toBeUndefined()
  })

  onLinux('agrees with getconf ARG_MAX under the usual stack limit', () => {
    const argMax = Number(execFileSync('getconf', ['ARG_MAX'], { encoding: 'utf8' }).trim())
    expect(argumentSpaceLimit()).toBe(Math.min(argMax, 6 * 1024 * 1024))
  })
})

describe('the total size of arguments and environment', () => {
  it('names the size and the limit when over', () => {
    expect(totalSizeProblem(2_097_152, 2_097_152)).toBeUndefined()
    expect(totalSizeProblem(5, undefined)).toBeUndefined()
    expect(totalSizeProblem(2_097_153, 2_097_152)).toBe(
      "its arguments and environment would take 2,097,153 bytes, over the system's limit of " +
        '2,097,152 bytes for starting a process (a quarter of the stack size limit, `ulimit -s`); ' +
        'pass large data through a file instead (a task reads its item from $PARALLEL_ITEM_FILE when ' +
        'PARALLEL_ITEM is not set)'
    )
  })

  // The model is right only if the kernel draws the line exactly where it says: the largest
  // size it allows starts, one byte more fails with E2BIG, through spawn and through a launcher.
  onLinux(
    'matches what the kernel refuses, to the byte, however the task is started',
    async () => {
      const limit = argumentSpaceLimit() as number
      const env = { PATH: '/usr/bin:/bin', SOME: 'é'.repeat(1000) }
      const fits = argvOfSize(limit, env)
      const over = argvOfSize(limit + 1, env)
      expect(argumentBytes('/bin/true', fits) + environmentBytes(env)).toBe(limit)
      expect(fits.every(arg => spawnProblem([arg], {}) === undefined)).toBe(true)

      const spawned = spawnSync('/bin/true', fits.slice(1), { env })
      expect(spawned.error).toBeUndefined()
      expect(spawned.status).toBe(0)
      const refused = spawnSync('/bin/true', over.slice(1), { env })
      expect((refused.error as NodeJS.ErrnoException | undefined)?.code).toBe('E2BIG')

      const pools = [
        null,
        ...(launcherUnsupported() === undefined
          ? [new LauncherPool({ enabled: true, whenNoneFree: NoneFree.Wait })]
          : [])
      ]
      // A task also carries its marker (process-tree.ts): one variable more, counted like the rest.
      const sized = (total: number): string[] =>
        argvOfSize(total - stringBytes(nextTaskMarker()), env).slice(1)
      for (const launchers of pools) {
        const ok = await runProcess({ file: '/bin/true', args: sized(limit), env, launchers })
        expect(ok).toMatchObject({ exitCode: 0 })
        const tooBig = await runProcess({
          file: '/bin/true',
          args: sized(limit + 1),
          env,
          launchers
        })
        expect(tooBig.error).toContain('E2BIG')
        launchers?.close()
      }
    },
    30_000
  )
})
