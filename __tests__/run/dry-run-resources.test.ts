import { afterEach, describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { type BatchSize } from '../../src/inputs/settings.js'
import { prepareBatches } from '../../src/plan/prepare-batches.js'
import { prepareItems, prepareRun } from '../../src/plan/prepare.js'
import { dryRun } from '../../src/run/dry-run.js'
import { runItems } from '../../src/run/run-items.js'
import { Shell } from '../../src/model/shell.js'
import { CommandTemplate } from '../../src/template/template.js'

const saved = { ...process.env }

afterEach(() => {
  process.env = { ...saved }
  jest.restoreAllMocks()
})

const FROM = { runId: 4242, attempt: 1, at: Date.UTC(2026, 11, 7, 10, 2) }

/** One run's shape: tasks or object items with their slots, which are reused, and batch-size. */
interface Shape {
  maxWorkers: number
  slots: number[]
  reused: boolean[]
  tasks: boolean
  batchSize: BatchSize
}

/** The plan the action makes of a shape, as run-step makes it: reuse, then batches. */
async function planOf(shape: Shape) {
  const dir = mkdtempSync(join(tmpdir(), 'dry-run-resources-'))
  process.env = { ...saved }
  const names = shape.slots.map((_, index) => `t${index}`)
  const inputs: Record<string, string> = shape.tasks
    ? {
        TASKS: names
          .map((name, i) => `${name}:\n  run: 'true'\n  slots: ${shape.slots[i]}`)
          .join('\n')
      }
    : {
        ITEMS: JSON.stringify(names.map((name, i) => ({ name, slots: shape.slots[i] }))),
        COMMAND: 'true {name}',
        'BATCH-SIZE': String(shape.batchSize)
      }
  inputs['MAX-WORKERS'] = String(shape.maxWorkers)
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name}`] = value
  Object.assign(process.env, { INPUT_SHELL: 'bash', RUNNER_TEMP: dir })
  const { mode, execution } = await getInputs()
  if (mode.kind !== 'items' && mode.kind !== 'tasks') throw new Error(`no tasks in ${mode.kind}`)
  const plan = prepareRun(mode, execution, dir)
  const reused = shape.reused.flatMap((is, position) => (is ? [position] : []))
  if (reused.length > 0) plan.reused = new Map(reused.map(position => [position, FROM]))
  if (execution.batchSize !== 1 && reused.length < shape.slots.length) {
    prepareBatches(plan, execution.batchSize, execution.maxWorkers, new Map())
  }
  return { dir, plan, execution }
}

const shapes = fc
  .record({
    maxWorkers: fc.integer({ min: 1, max: 5 }),
    count: fc.integer({ min: 1, max: 5 }),
    tasks: fc.boolean(),
    batchSize: fc.constantFrom<BatchSize>(1, 2, 'auto')
  })
  .chain(({ maxWorkers, count, tasks, batchSize }) =>
    fc.record({
      maxWorkers: fc.constant(maxWorkers),
      slots: fc.array(fc.integer({ min: 1, max: maxWorkers }), {
        minLength: count,
        maxLength: count
      }),
      reused: fc.array(fc.boolean(), { minLength: count, maxLength: count }),
      tasks: fc.constant(tasks),
      batchSize: fc.constant(tasks ? (1 as BatchSize) : batchSize)
    })
  )

describe('the workers of a dry run', () => {
  it('are the workers a run of the same plan has: slots, reuse and batches counted (100 plans)', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const seen = { slotsCounted: 0, reusedLeftOut: 0, batched: 0 }
    await fc.assert(
      fc.asyncProperty(shapes, async shape => {
        const dry = await planOf(shape)
        const dryWorkers = dryRun(dry.plan, shape.maxWorkers, 'bash', shape.batchSize).workers
        const real = await planOf(shape)
        const report = await runItems(
          real.execution,
          real.plan,
          real.dir,
          new AbortController().signal
        )
        expect(dryWorkers).toBe(report.workers)
        // The run ran: what was not reused succeeded.
        const statuses = report.records.map(record => record.status)
        expect(statuses).toEqual(shape.reused.map(is => (is ? 'reused' : 'success')))
        // What counting each task as one worker, reused ones too, would have said.
        const oneEach = Math.min(shape.maxWorkers, real.plan.batches?.length ?? shape.slots.length)
        if (oneEach !== report.workers) {
          if (shape.slots.some(count => count > 1)) seen.slotsCounted++
          if (shape.reused.some(Boolean)) seen.reusedLeftOut++
        }
        if (real.plan.batches !== undefined) seen.batched++
      }),
      { numRuns: 100, seed: 20261207 }
    )
    // Each way a count of one per task goes wrong was tried.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThanOrEqual(10)
  })
})

describe('the line of a task a dry run would reuse', () => {
  it('says nothing held: it never starts, so it holds no slot and no lock', () => {
    const plan = prepareItems(['a', 'b'], CommandTemplate.parse('echo {}', Shell.Bash))
    Object.assign(plan.prepared[0] ?? {}, { slots: 2, locks: ['db'] })
    Object.assign(plan.prepared[1] ?? {}, { slots: 2, locks: ['db'] })
    plan.reused = new Map([[0, FROM]])
    const printed: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
    dryRun(plan, 4, 'bash')
    const lines = printed.join('').split('\n')
    expect(lines).toContain('#1 a  (would be reused: succeeded in run 4242, attempt 1)')
    expect(lines).toContain('#2 b  (2 slots; locks: db)')
  })
})
