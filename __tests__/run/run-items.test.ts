import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { prepareRun } from '../../src/plan/prepare.js'
import { doneLine, runItems } from '../../src/run/run-items.js'
import { AfterEachTask } from '../../src/run/task-observer.js'
import { runOnRunner } from '../helpers/runner-model.js'
import { batchRecords, record } from '../helpers/records.js'
import { countStatuses } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'

const saved = { ...process.env }

afterEach(() => {
  process.env = { ...saved }
  jest.restoreAllMocks()
})

describe('runItems', () => {
  // An error after the tasks ran (here from the callback run as each task ends) must not leave
  // the stream's neutralisation open: the failure reported next would be printed inside it.
  it('closes what the task log opened when the run ends in an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-items-'))
    Object.assign(process.env, {
      INPUT_ITEMS: 'a',
      INPUT_COMMAND: "echo 'x ##[set-env name=X;]1'; echo after",
      INPUT_LOG: 'stream',
      INPUT_SHELL: 'bash',
      RUNNER_TEMP: dir
    })
    const printed: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(Buffer.from(chunk).toString('utf8'))
      return true
    })
    const { mode, execution } = await getInputs()
    if (mode.kind !== 'items') throw new Error(`Expected items, not ${mode.kind}`)
    const plan = prepareRun(mode, execution, dir)
    const resolver = new AfterEachTask(() => Promise.reject(new Error('resolver broke')))
    const run = runItems(execution, plan, dir, new AbortController().signal, [resolver])
    await expect(run).rejects.toThrow('resolver broke')
    printed.push('::error::the step failed\n')
    jest.restoreAllMocks()
    const onRunner = runOnRunner(Buffer.from(printed.join('')))
    const acted = onRunner.lines
      .filter(line => line.kind === 'command')
      .map(line => line.command?.name)
    expect(acted).not.toContain('set-env')
    expect(acted).toContain('error')
    expect(onRunner.stoppedAtEnd).toBe(false)
  })
})

describe('doneLine', () => {
  it('says how the tasks ended in plain English, leaving out zero counts', () => {
    const counts = {
      total: 6,
      succeeded: 3,
      failed: 0,
      timedOut: 1,
      cancelled: 0,
      skipped: 2,
      reused: 0
    }
    expect(doneLine(1500, counts)).toBe('Done in 1.5s: 3 succeeded, 1 timed out, 2 skipped.')
    expect(doneLine(20, { ...counts, succeeded: 0, timedOut: 0, skipped: 0 })).toBe(
      'Done in 20ms: no tasks.'
    )
  })
})

describe('doneLine under batches', () => {
  it('says how many batches the items of each count were in; reused items are in none', () => {
    const records = [
      ...batchRecords(
        1,
        [
          [0, 'a.ts'],
          [1, 'b.ts']
        ],
        TaskStatus.Success
      ),
      ...batchRecords(
        2,
        [
          [2, 'c.ts'],
          [3, 'd.ts']
        ],
        TaskStatus.Success
      ),
      ...batchRecords(
        3,
        Array.from({ length: 10 }, (_, i) => [4 + i, `f${i}.ts`] as const),
        TaskStatus.Failure
      ),
      record(14, 'r.ts', TaskStatus.Reused)
    ]
    expect(doneLine(1500, countStatuses(records), records)).toBe(
      'Done in 1.5s: 4 succeeded (2 batches), 10 failed (1 batch), 1 reused.'
    )
    // Without batches the same counts read as before.
    expect(doneLine(1500, countStatuses(records))).toBe(
      'Done in 1.5s: 4 succeeded, 10 failed, 1 reused.'
    )
  })
})
