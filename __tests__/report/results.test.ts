import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { failedItems, notableSpeedUp, speedUp } from '../../src/report/results.js'
import { countStatuses } from '../../src/model/run-report.js'
import { writeResultsFile } from '../../src/results/results-file.js'
import { isUnsuccessful, type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'

const records = [
  record(0, 'a', TaskStatus.Success),
  record(1, 'b', TaskStatus.Failure),
  record(2, { c: 1 }, TaskStatus.TimedOut),
  record(3, 'd', TaskStatus.Cancelled),
  record(4, 'e', TaskStatus.Skipped)
]

describe('results', () => {
  it('counts each status', () => {
    expect(countStatuses(records)).toEqual({
      total: 5,
      succeeded: 1,
      failed: 1,
      timedOut: 1,
      cancelled: 1,
      skipped: 1,
      reused: 0
    })
  })

  it('lists failed, timed-out and cancelled items, not skipped ones', () => {
    expect(failedItems(records)).toEqual(['b', { c: 1 }, 'd'])
    expect(records.map(r => isUnsuccessful(r.status))).toEqual([false, true, true, true, false])
  })

  it('computes the speed-up as busy time over wall time', () => {
    expect(speedUp(report(records, { durationMs: 2000 }))).toBe(2)
    expect(speedUp(report([], { durationMs: 0 }))).toBe(0)
  })

  it('shows the speed-up only for 2 tasks or more on more than 1 worker, from 1.1× up', () => {
    const ran = (n: number): TaskRecord[] =>
      Array.from({ length: n }, (_, i) => record(i, `t${i}`, TaskStatus.Success))
    // Each task takes 1 s: busy time is n seconds.
    expect(notableSpeedUp(report(ran(3), { durationMs: 1500, workers: 2 }))).toBe(2)
    expect(notableSpeedUp(report(ran(2), { durationMs: 1800, workers: 2 }))).toBeCloseTo(1.11)
    // One task: 0.4× when wall time holds the run's own start and end.
    expect(notableSpeedUp(report(ran(1), { durationMs: 2500, workers: 4 }))).toBeUndefined()
    // One worker runs them one by one, whatever the figure says.
    expect(notableSpeedUp(report(ran(3), { durationMs: 1500, workers: 1 }))).toBeUndefined()
    // Resolving review threads after the tasks: wall time far past the tasks'.
    expect(notableSpeedUp(report(ran(4), { durationMs: 200_000, workers: 4 }))).toBeUndefined()
    expect(notableSpeedUp(report(ran(2), { durationMs: 1900, workers: 2 }))).toBeUndefined()
    // Skipped tasks did not run.
    const skipped = [...ran(1), record(1, 's', TaskStatus.Skipped)]
    expect(notableSpeedUp(report(skipped, { durationMs: 100, workers: 2 }))).toBeUndefined()
  })

  it('writes the results file with times, slots and tails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-'))
    const path = await writeResultsFile(join(dir, 'nested'), report(records))
    const file = JSON.parse(readFileSync(path, 'utf8'))
    expect(file.counts.total).toBe(5)
    expect(file.results[0]).toEqual({
      index: 0,
      item: 'a',
      status: 'success',
      exitCode: 0,
      signal: null,
      durationMs: 1000,
      attempts: 1,
      command: 'echo a',
      slot: 1,
      startedAt: '2023-11-14T22:13:20.000Z',
      endedAt: '2023-11-14T22:13:21.000Z',
      error: null,
      outputTail: '',
      outputs: {},
      summary: ''
    })
    expect(file.results[4]).toMatchObject({ status: 'skipped', slot: null, startedAt: null })
  })
})
