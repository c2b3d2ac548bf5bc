import { describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import { commandTask, statusOf } from '../src/command-task.js'
import { LogMode, Shell } from '../src/constants.js'
import { type RunResult } from '../src/process-runner.js'
import { TaskLog } from '../src/task-log.js'
import { TaskStatus } from '../src/task-status.js'
import { CommandTemplate } from '../src/template.js'

function setUp(command: string, timeoutMs?: number) {
  const template = CommandTemplate.parse(command, Shell.Bash)
  const printed: string[] = []
  const log = new TaskLog(LogMode.Grouped, 1, data => printed.push(String(data)))
  const task = commandTask({
    template,
    cwd: tmpdir(),
    env: { PATH: process.env.PATH },
    timeoutMs,
    killGraceMs: 100,
    log,
    tempDir: tmpdir()
  })
  return { template, task, log, printed }
}

describe('commandTask', () => {
  it('runs the rendered command with PARALLEL_* variables and records how it went', async () => {
    const { template, task, log, printed } = setUp(
      'echo "$PARALLEL_ITEM|$PARALLEL_SEQ|$PARALLEL_JOBSLOT|{%}|$HOME"; exit 4'
    )
    const item = { a: "it's" }
    const report = await task(
      { item, command: template.render(item, 3, 1) },
      { index: 2, slot: 2, signal: new AbortController().signal }
    )
    await log.flushed()
    expect(report.status).toBe(TaskStatus.Failure)
    expect(report.value).toMatchObject({
      index: 2,
      item,
      status: TaskStatus.Failure,
      exitCode: 4,
      signal: null,
      attempts: 1,
      slot: 2,
      outputTail: `{"a":"it's"}|3|2|2|`,
      error: null
    })
    // {%} is rendered again with the slot the task really got.
    expect(report.value.command).toContain('|2|')
    expect(printed.join('')).toContain(`{"a":"it's"}|3|2|2|\n::endgroup::`)
  })

  it('marks a task past its time limit timed-out and a halted one cancelled', async () => {
    const { template, task } = setUp('sleep 5')
    const halt = new AbortController()
    setTimeout(() => halt.abort(), 50)
    const cancelled = await task(
      { item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, signal: halt.signal }
    )
    expect(cancelled.status).toBe(TaskStatus.Cancelled)

    const slow = setUp('sleep 5', 50)
    const report = await slow.task(
      { item: 'x', command: slow.template.render('x', 1, 1) },
      { index: 0, slot: 1, signal: new AbortController().signal }
    )
    expect(report.status).toBe(TaskStatus.TimedOut)
    expect(report.value.signal).toBe('SIGTERM')
  }, 15_000)
})

describe('statusOf', () => {
  const result = (fields: Partial<RunResult>): RunResult => ({
    exitCode: 0,
    signal: null,
    timedOut: false,
    aborted: false,
    startedAt: 0,
    endedAt: 0,
    durationMs: 0,
    ...fields
  })

  it('maps a process result to a task status', () => {
    expect(statusOf(result({}))).toBe(TaskStatus.Success)
    expect(statusOf(result({ exitCode: 1 }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: 143, signal: 'SIGTERM' }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: null, error: 'spawn x ENOENT' }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: 143, timedOut: true }))).toBe(TaskStatus.TimedOut)
    expect(statusOf(result({ exitCode: 143, aborted: true }))).toBe(TaskStatus.Cancelled)
  })
})
