import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { formatBytes } from '../../src/system/memory.js'
import { runAction } from '../helpers/action.js'

/** Each task writes its own start and end, in nanoseconds, to times-{#} in the work directory. */
const TIMED = (seconds: number): string =>
  `start=$(date +%s%N); sleep ${seconds}; echo "$start $(date +%s%N)" > times-{#}`

/** The [start, end] of each task of a run, in nanoseconds, by task number. */
function times(dir: string, count: number): [bigint, bigint][] {
  return Array.from({ length: count }, (_, k) => {
    const [start, end] = readFileSync(join(dir, `times-${k + 1}`), 'utf8')
      .trim()
      .split(' ')
    return [BigInt(start as string), BigInt(end as string)]
  })
}

/** Checks that no two of the spans overlap: each starts after the one before it ended. */
function expectOneAtATime(spans: [bigint, bigint][]): void {
  const ordered = [...spans].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (let k = 1; k < ordered.length; k++) {
    expect((ordered[k] as [bigint, bigint])[0]).toBeGreaterThanOrEqual(
      (ordered[k - 1] as [bigint, bigint])[1]
    )
  }
}

/** MemTotal of /proc/meminfo, in KiB. */
function memTotalKiB(): number {
  const meminfo = readFileSync('/proc/meminfo', 'utf8')
  return Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo)?.[1])
}

const onLinux = process.platform === 'linux' ? describe : describe.skip

/** A step of a workflow job, as far as these tests read it. */
interface Step {
  id?: string
  run?: string
  with?: Record<string, string | number>
}

/** The CI workflow's memfree steps: the one that sizes memfree, the action's, and the check. */
function ciMemfreeSteps(): [Step, Step, Step] {
  const workflow = parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as {
    jobs: { action: { steps: Step[] } }
  }
  const { steps } = workflow.jobs.action
  const at = steps.findIndex(step => step.id === 'memory')
  return steps.slice(at, at + 3) as [Step, Step, Step]
}

/** Runs a step's bash script in `cwd` with `env` added; its exit code and its output file. */
function runStep(step: Step, cwd: string, env: NodeJS.ProcessEnv = {}): [number, string] {
  const output = join(cwd, 'step-output')
  const run = spawnSync('bash', ['-e', '-c', step.run as string], {
    cwd,
    env: { ...process.env, GITHUB_OUTPUT: output, ...env },
    encoding: 'utf8'
  })
  return [run.status ?? -1, existsSync(output) ? readFileSync(output, 'utf8') : '']
}

onLinux('memfree through the bundled action', () => {
  it('lets tasks overlap while the memory asked for is available', async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: TIMED(1),
      'max-workers': '3',
      memfree: '1.2M'
    })
    expect(run.code).toBe(0)
    const spans = times(run.dir, 3)
    // All three ran at once: each started before any ended.
    const lastStart = spans.reduce((most, [start]) => (start > most ? start : most), 0n)
    for (const [, end] of spans) expect(lastStart).toBeLessThan(end)
    expect(run.log).toContain(
      'Running 3 items on 3 workers with bash (fail-fast: off, timeout: none, memfree: 1.2 MiB).'
    )
    expect(run.log).not.toContain('Waiting for memory')
  }, 60_000)

  it('runs one task at a time when the memory asked for is never available', async () => {
    // Between MemAvailable and MemTotal: accepted, yet no reading ever reaches it, so a task
    // starts only when nothing runs.
    const memfree = memTotalKiB() - 1024
    const run = await runAction({
      items: 'a\nb\nc\nd',
      command: TIMED(0.3),
      'max-workers': '4',
      memfree: `${memfree}K`
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Done in')
    expect(run.log).toMatch(/4 succeeded/)
    expectOneAtATime(times(run.dir, 4))
    const said = run.log.match(/Waiting for memory: .*/g) ?? []
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(
      new RegExp(
        `^Waiting for memory: \\d+(\\.\\d)? [GM]iB available, memfree is ` +
          `${formatBytes(memfree * 1024).replace('.', '\\.')}\\.$`
      )
    )
  }, 60_000)

  it("counts a task's timeout from its start, not while it waited for memory", async () => {
    const run = await runAction({
      items: 'a\nb\nc\nd',
      command: TIMED(0.4),
      'max-workers': '4',
      timeout: '1s',
      memfree: `${memTotalKiB() - 1024}K`
    })
    // One at a time, the last starts about 1.2 s after the run began: within its own 1 s.
    expect(run.code).toBe(0)
    expect(run.log).toMatch(/Done in [^:]*: 4 succeeded\./)
    expectOneAtATime(times(run.dir, 4))
  }, 60_000)

  it('skips the tasks waiting for memory when fail-fast halts the run', async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: 'touch ran-{#}; exit 1',
      'max-workers': '3',
      'fail-fast': 'true',
      memfree: `${memTotalKiB() - 1024}K`
    })
    expect(run.code).toBe(1)
    expect(run.outputs.failed).toBe('1')
    expect(run.outputs.skipped).toBe('2')
    expect(existsSync(join(run.dir, 'ran-1'))).toBe(true)
    expect(existsSync(join(run.dir, 'ran-2'))).toBe(false)
    expect(existsSync(join(run.dir, 'ran-3'))).toBe(false)
  }, 60_000)

  it('fails before any command runs when memfree is above the total memory', async () => {
    const total = memTotalKiB()
    const value = `${total + 1024}K`
    const run = await runAction({ items: 'a\nb', command: 'touch ran-{#}', memfree: value })
    expect(run.code).toBe(1)
    const most = formatBytes(total * 1024)
    expect(run.log).toContain(
      `::error::Invalid memfree '${value}': this machine has ${most} of memory in all, so no ` +
        `task could start with that much available. Expected at most ${most}.`
    )
    expect(existsSync(join(run.dir, 'ran-1'))).toBe(false)
    expect(existsSync(join(run.dir, 'ran-2'))).toBe(false)
  }, 60_000)

  it('refuses a bare number before any command runs', async () => {
    const run = await runAction({ items: 'a', command: 'touch ran', memfree: '512' })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid memfree '512'. Expected a size such as 512M or 2G (K, M, G or T, counted " +
        'in 1024s).'
    )
    expect(existsSync(join(run.dir, 'ran'))).toBe(false)
  }, 60_000)

  it("CI's memfree check passes as Linux runs it, and fails when tasks overlap", async () => {
    const [memory, action, check] = ciMemfreeSteps()
    const [sized, output] = runStep(memory, mkdtempSync(join(tmpdir(), 'ci-memory-')))
    expect(sized).toBe(0)
    const memfree = /^memfree=(\d+K)$/m.exec(output)?.[1] as string
    expect(memfree).toBe(`${memTotalKiB() - 1024}K`)
    const inputs = Object.fromEntries(
      Object.entries(action.with ?? {}).map(([name, value]) => [name, String(value)])
    )
    expect(inputs.memfree).toBe('${{ steps.memory.outputs.memfree }}')
    const held = await runAction({ ...inputs, memfree })
    const checked = (dir: string, os: string, succeeded = '2'): number =>
      runStep(check, dir, { SUCCEEDED: succeeded, RUNNER_OS: os })[0]
    expect(checked(held.dir, 'Linux')).toBe(0)
    expect(checked(held.dir, 'macOS')).not.toBe(0)
    expect(checked(held.dir, 'Linux', '1')).not.toBe(0)
    // As on macOS, where memfree is not applied: both at once, which only macOS's check takes.
    const unlimited = { ...inputs }
    delete unlimited.memfree
    const overlapped = await runAction(unlimited)
    expect(checked(overlapped.dir, 'macOS')).toBe(0)
    expect(checked(overlapped.dir, 'Linux')).not.toBe(0)
    expect(checked(overlapped.dir, 'Windows')).not.toBe(0)
  }, 60_000)
})
