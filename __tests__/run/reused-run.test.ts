import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { prepareRun } from '../../src/plan/prepare.js'
import { dryRun } from '../../src/run/dry-run.js'
import { JOB_LOG_FILE } from '../../src/run/job-log.js'
import { doneLine, runItems } from '../../src/run/run-items.js'

const saved = { ...process.env }

afterEach(() => {
  process.env = { ...saved }
  jest.restoreAllMocks()
})

/** A plan of real commands that each leave a marker file, with `inputs` as the step's. */
async function planFor(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'reused-run-'))
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name}`] = value
  Object.assign(process.env, { INPUT_SHELL: 'bash', RUNNER_TEMP: dir })
  const printed: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(Buffer.from(chunk).toString('utf8'))
    return true
  })
  const settings = await getInputs()
  if (settings.mode.kind === 'merge' || settings.mode.kind === 'review-threads') {
    throw new Error(`Expected items or tasks, not ${settings.mode.kind}`)
  }
  const plan = prepareRun(settings.mode, settings.execution, dir)
  return { dir, plan, execution: settings.execution, printed }
}

const FROM = { runId: 4242, attempt: 1, at: Date.UTC(2026, 11, 7, 10, 2) }

describe('runItems with reused items', () => {
  it('never starts a reused item, records it as reused and writes its job log line', async () => {
    const { dir, plan, execution, printed } = await planFor({
      ITEMS: 'a\nb\nc',
      COMMAND: 'touch "$RUNNER_TEMP"/ran-{}'
    })
    plan.reused = new Map([[1, FROM]])
    const report = await runItems(execution, plan, dir, new AbortController().signal)
    expect(report.records.map(record => record.status)).toEqual([
      TaskStatus.Success,
      TaskStatus.Reused,
      TaskStatus.Success
    ])
    expect(existsSync(join(dir, 'ran-a'))).toBe(true)
    expect(existsSync(join(dir, 'ran-b'))).toBe(false)
    expect(report.records[1]).toMatchObject({
      index: 1,
      item: 'b',
      attempts: 0,
      slot: null,
      startedAt: null,
      endedAt: null,
      exitCode: null,
      durationMs: 0,
      outputTail: '',
      reusedFrom: FROM
    })
    expect(report.records[1]?.skipReason).toBeUndefined()
    expect(report.counts).toMatchObject({ total: 3, succeeded: 2, reused: 1 })
    // Two tasks to run take two workers, not three.
    expect(report.workers).toBe(2)
    const log = printed.join('')
    expect(log).toContain('Running 2 of 3 items on 2 workers')
    expect(log).toMatch(/Done in [^:]+: 2 succeeded, 1 reused\./)
    const lines = readFileSync(join(dir, JOB_LOG_FILE), 'utf8').trim().split('\n')
    const reusedLine = lines.map(line => JSON.parse(line)).find(line => line.item === 'b')
    expect(reusedLine).toMatchObject({
      seq: 2,
      slot: null,
      start: null,
      runtime: 0,
      attempts: 0,
      status: 'reused',
      reusedFrom: FROM
    })
  })

  it('finishes a run where every item is reused, starting nothing', async () => {
    const { dir, plan, execution, printed } = await planFor({
      ITEMS: 'a\nb',
      COMMAND: 'touch "$RUNNER_TEMP"/ran-{}'
    })
    plan.reused = new Map([
      [0, FROM],
      [1, { ...FROM, attempt: 2 }]
    ])
    const report = await runItems(execution, plan, dir, new AbortController().signal)
    const log = printed.join('')
    expect(log).toContain('Nothing to run: all 2 items were reused.\n')
    expect(log).not.toMatch(/Running|fail-fast|worker/)
    expect(log).toContain('Done: nothing ran, 2 reused.\n')
    expect(report.counts).toMatchObject({ total: 2, reused: 2, succeeded: 0 })
    expect(report.records[1]?.reusedFrom?.attempt).toBe(2)
    expect(existsSync(join(dir, 'ran-a')) || existsSync(join(dir, 'ran-b'))).toBe(false)
  })

  it('takes a fail-fast percentage of the tasks that run, reused ones left out', async () => {
    // 18 of 20 reused: 10% of the 2 that run is 1, so the first failure halts the run.
    const items = Array.from({ length: 20 }, (_, index) => `item${index}`)
    const { dir, plan, execution, printed } = await planFor({
      ITEMS: items.join('\n'),
      COMMAND: 'touch "$RUNNER_TEMP"/ran-{}; exit 1',
      'FAIL-FAST': '10%',
      'MAX-WORKERS': '1'
    })
    plan.reused = new Map(items.slice(0, 18).map((_, index) => [index, FROM]))
    const report = await runItems(execution, plan, dir, new AbortController().signal)
    expect(report.records.slice(18).map(record => record.status)).toEqual([
      TaskStatus.Failure,
      TaskStatus.Skipped
    ])
    expect(existsSync(join(dir, 'ran-item19'))).toBe(false)
    expect(report.haltKind).not.toBeNull()
    expect(printed.join('')).toContain('fail-fast: after 1, cancel')
  })

  it('runs a task that needs a reused one', async () => {
    const { dir, plan, execution } = await planFor({
      TASKS:
        'build: touch "$RUNNER_TEMP"/built\ntest:\n  run: touch "$RUNNER_TEMP"/tested\n  needs: build'
    })
    plan.reused = new Map([[0, FROM]])
    const report = await runItems(execution, plan, dir, new AbortController().signal)
    expect(report.records.map(record => record.status)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Success
    ])
    expect(existsSync(join(dir, 'built'))).toBe(false)
    expect(existsSync(join(dir, 'tested'))).toBe(true)
  })
})

describe('dryRun with reused items', () => {
  it('reports the items a run would reuse as reused, and says so on their line', async () => {
    const { plan, printed } = await planFor({ ITEMS: 'a\nb', COMMAND: 'echo {}' })
    plan.reused = new Map([[0, FROM]])
    const report = dryRun(plan, 4, 'bash')
    expect(report.records.map(record => record.status)).toEqual([
      TaskStatus.Reused,
      TaskStatus.Skipped
    ])
    expect(report.records[0]?.reusedFrom).toEqual(FROM)
    expect(printed.join('')).toContain('#1 a  (would be reused: succeeded in run 4242, attempt 1)')
  })
})

describe('dryRun of one item', () => {
  it('counts one item in the singular', async () => {
    const { plan, printed } = await planFor({ ITEMS: 'a', COMMAND: 'echo {}' })
    dryRun(plan, 4, 'bash')
    expect(printed.join('')).toContain('Dry run: 1 item, nothing is run.')
  })
})

describe('doneLine with reused tasks', () => {
  it('counts them after the others', () => {
    const counts = {
      total: 500,
      succeeded: 2,
      failed: 1,
      timedOut: 0,
      cancelled: 0,
      skipped: 0,
      reused: 497
    }
    expect(doneLine(1000, counts)).toBe('Done in 1.0s: 2 succeeded, 1 failed, 497 reused.')
  })

  it('gives no time when every task was reused, as nothing ran', () => {
    const counts = {
      total: 3,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
      cancelled: 0,
      skipped: 0,
      reused: 3
    }
    expect(doneLine(0, counts)).toBe('Done: nothing ran, 3 reused.')
  })
})
