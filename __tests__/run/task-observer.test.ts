import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Outcome } from '../../src/exec/scheduler.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { JOB_LOG_FILE, JobLog } from '../../src/run/job-log.js'
import { progressLine } from '../../src/log/progress.js'
import { FirstFailure, Progress } from '../../src/run/task-lines.js'
import {
  AfterEachTask,
  finishAll,
  notifyAll,
  type TaskObserver
} from '../../src/run/task-observer.js'

const record = (index: number, status: TaskStatus): TaskRecord => ({
  index,
  item: `item ${index}`,
  status,
  exitCode: status === TaskStatus.Success ? 0 : 1,
  signal: null,
  durationMs: 1500,
  attempts: 1,
  command: `run ${index}`,
  slot: 1,
  startedAt: 2000,
  endedAt: 3500,
  outputTail: '',
  error: null,
  outputs: {},
  summary: ''
})
const ran = (index: number, status: TaskStatus): Outcome<TaskRecord> => ({
  index,
  status,
  value: record(index, status),
  slot: 1
})
const skipped = (index: number): Outcome<TaskRecord> => ({
  index,
  status: TaskStatus.Skipped,
  reason: 'not started'
})

describe('task observers', () => {
  it('are told of each start and outcome in the order given', () => {
    const seen: string[] = []
    const observer = (name: string): TaskObserver => ({
      started: index => seen.push(`${name} started ${index}`),
      settled: outcome => seen.push(`${name} settled ${outcome.index}`)
    })
    const { onStart, onSettled } = notifyAll([observer('a'), {}, observer('b')])
    onStart(0, 1, [1])
    onSettled(ran(0, TaskStatus.Success))
    expect(seen).toEqual(['a started 0', 'b started 0', 'a settled 0', 'b settled 0'])
  })

  it('AfterEachTask runs for each task that ran, and finishAll waits for every one', async () => {
    const done: number[] = []
    const after = new AfterEachTask(async task => {
      await new Promise(resolve => setTimeout(resolve, 20 - task.index * 10))
      done.push(task.index)
    })
    after.settled(ran(0, TaskStatus.Success))
    after.settled(skipped(1))
    after.settled(ran(2, TaskStatus.Failure))
    await finishAll([after, {}])
    expect(done.sort()).toEqual([0, 2])
  })

  it('Progress counts and estimates over the tasks that run, leaving reused ones out', () => {
    const progress = new Progress(500, 497)
    for (let index = 0; index < 497; index++) {
      progress.settled({
        index,
        status: TaskStatus.Reused,
        value: record(index, TaskStatus.Reused)
      })
    }
    for (let task = 0; task < 3; task++) progress.started()
    expect(progress.state()).toMatchObject({ done: 0, total: 3, running: 3, reused: 497 })
    progress.settled(ran(497, TaskStatus.Failure))
    progress.stop()
    const state = progress.state()
    expect(state).toMatchObject({ done: 1, total: 3, failed: 1, running: 2, reused: 497 })
    // One of three done after 30s: about 1m for the two left, not 181ms.
    expect(progressLine({ ...state, elapsedMs: 30_000 })).toBe(
      'Progress: 1/3 done (497 more reused), 1 not succeeded, 2 running, 30.0s elapsed, ' +
        'about 1m 00s left'
    )
  })

  it('Progress under batches counts batches, and the items of those done apart', () => {
    // Batches of 3, 3 and 2 items, then one reused item.
    const progress = new Progress(4, 1, [3, 3, 2, 1])
    progress.settled({ index: 3, status: TaskStatus.Reused, value: record(3, TaskStatus.Reused) })
    for (let task = 0; task < 3; task++) progress.started()
    progress.settled(ran(1, TaskStatus.Success))
    progress.stop()
    const state = progress.state()
    expect(state).toMatchObject({ done: 1, total: 3, running: 2, items: { done: 3, total: 8 } })
    expect(progressLine({ ...state, elapsedMs: 30_000 })).toBe(
      'Progress: 1/3 batches done (3/8 items; 1 more item reused), 0 not succeeded, 2 running, ' +
        '30.0s elapsed, about 1m 00s left'
    )
  })

  it('Progress says what ready tasks wait on, with the memory as last read', () => {
    const gate = { memfree: 2 * 1024 ** 3, available: undefined as number | undefined }
    const progress = new Progress(3, 0, undefined, gate)
    progress.stop()
    expect(progress.state()).not.toHaveProperty('waiting')
    progress.waitingOn({ onLocks: 1, onSlots: 0, onGate: true })
    gate.available = 1024 ** 3
    const state = progress.state()
    expect(state).toMatchObject({
      waiting: { onLocks: 1, onSlots: 0, onGate: true },
      memory: { memfree: 2 * 1024 ** 3, available: 1024 ** 3 }
    })
    expect(progressLine({ ...state, elapsedMs: 30_000 })).toBe(
      'Progress: 0/3 done, 0 not succeeded, 0 running, 30.0s elapsed; waiting: 1 task on a lock, ' +
        'for memory (1 GiB available, memfree is 2 GiB)'
    )
  })

  it('FirstFailure keeps the first task that did not succeed', () => {
    const first = new FirstFailure()
    first.settled(ran(0, TaskStatus.Success))
    first.settled(ran(3, TaskStatus.TimedOut))
    first.settled(ran(1, TaskStatus.Failure))
    expect(first.outcome?.index).toBe(3)
  })

  it('JobLog writes a line for each task that ran, none for a skipped one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'job-log-'))
    const jobLog = new JobLog(dir)
    jobLog.settled(ran(0, TaskStatus.Success))
    jobLog.settled(skipped(1))
    jobLog.close()
    expect(readFileSync(join(dir, JOB_LOG_FILE), 'utf8')).toBe(
      '{"seq":1,"slot":1,"start":2,"runtime":1.5,"exitCode":0,"signal":null,"attempts":1,' +
        '"status":"success","item":"item 0","command":"run 0"}\n'
    )
  })
})
