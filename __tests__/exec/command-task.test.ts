import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandTask } from '../../src/exec/command-task.js'
import { retryDelayMs } from '../../src/exec/retry-policy.js'
import { statusOf } from '../../src/exec/run-status.js'
import { LogMode } from '../../src/log/log-mode.js'
import { Shell } from '../../src/model/shell.js'
import { runResult } from '../helpers/tasks.js'
import { MAX_ARG_STRLEN } from '../../src/system/spawn-limits.js'
import { removeItemFiles } from '../../src/exec/task-files.js'
import { TaskLog } from '../../src/log/task-log.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { CommandTemplate } from '../../src/template/template.js'

function setUp(command: string, timeoutMs?: number, retries = 0) {
  const template = CommandTemplate.parse(command, Shell.Bash)
  const printed: string[] = []
  const log = new TaskLog(LogMode.Grouped, data => {
    printed.push(String(data))
  })
  const task = commandTask({
    template,
    cwd: tmpdir(),
    env: { PATH: process.env.PATH },
    timeoutMs,
    retries,
    retryDelayMs: 20,
    random: () => 0.5,
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
      { index: 2, item, command: template.render(item, 3, 1) },
      { index: 2, slot: 2, slots: [2], signal: new AbortController().signal }
    )
    await log.finish()
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
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: halt.signal }
    )
    expect(cancelled.status).toBe(TaskStatus.Cancelled)

    const slow = setUp('sleep 5', 50)
    const report = await slow.task(
      { index: 0, item: 'x', command: slow.template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(report.status).toBe(TaskStatus.TimedOut)
    expect(report.value.signal).toBe('SIGTERM')
  }, 15_000)
})

describe('a task holding several slots or locks', () => {
  it('runs in its first slot, says how many it holds, and records them all with its locks', async () => {
    const { template, task, log } = setUp('echo "$PARALLEL_JOBSLOT|{%}|$PARALLEL_SLOTS"')
    const report = await task(
      { index: 0, item: 'e2e', command: template.render('e2e', 1, 1), locks: ['db', 'port 5432'] },
      { index: 0, slot: 2, slots: [2, 3, 5], signal: new AbortController().signal }
    )
    await log.finish()
    expect(report.value).toMatchObject({
      slot: 2,
      slots: [2, 3, 5],
      locks: ['db', 'port 5432'],
      outputTail: '2|2|3'
    })
  })

  it('records neither for one slot and no lock', async () => {
    const { template, task, log } = setUp('echo "$PARALLEL_SLOTS"')
    const report = await task(
      { index: 0, item: 'a', command: template.render('a', 1, 1) },
      { index: 0, slot: 4, slots: [4], signal: new AbortController().signal }
    )
    await log.finish()
    expect(report.value.slot).toBe(4)
    expect(report.value.outputTail).toBe('1')
    expect('slots' in report.value || 'locks' in report.value).toBe(false)
  })
})

describe('the item in a file and in PARALLEL_ITEM', () => {
  it('gives an array or object item in PARALLEL_ITEM_FILE too, exactly its JSON, removed after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'item-file-'))
    const template = CommandTemplate.parse(
      'cat "$PARALLEL_ITEM_FILE" > "item-{#}"; [ "$(cat "$PARALLEL_ITEM_FILE")" = "$PARALLEL_ITEM" ]',
      Shell.Bash
    )
    const log = new TaskLog(LogMode.None, () => undefined)
    const task = commandTask({
      template,
      cwd: dir,
      env: { PATH: process.env.PATH, PARALLEL_ITEM_FILE: '/inherited/from/the/step' },
      timeoutMs: undefined,
      log,
      tempDir: dir
    })
    const items = [{ body: 'line\n$(x) é', n: [1, 2] }, ['a', "it's"]]
    for (const [index, item] of items.entries()) {
      const report = await task(
        { index, item, command: template.render(item, index + 1, 1) },
        { index, slot: 1, slots: [1], signal: new AbortController().signal }
      )
      expect(report.status).toBe(TaskStatus.Success)
    }
    expect(readFileSync(join(dir, 'item-1'), 'utf8')).toBe(JSON.stringify(items[0]))
    expect(readFileSync(join(dir, 'item-2'), 'utf8')).toBe(JSON.stringify(items[1]))
    removeItemFiles(dir, 1)
    expect(readdirSync(dir).filter(name => name.startsWith('parallel-item'))).toEqual([])
  })

  it('sets PARALLEL_ITEM only where it fits, and PARALLEL_ITEM_FILE where it does not', async () => {
    const { template, task } = setUp(
      'printf "%s|%s|%s" "${PARALLEL_ITEM+var}" "${PARALLEL_ITEM_FILE+file}" ' +
        '"$(wc -c < "${PARALLEL_ITEM_FILE:-/dev/null}")"'
    )
    const run = async (item: string, spawnRoom?: number) => {
      const report = await task(
        { index: 0, item, command: template.render(item, 1, 1), spawnRoom },
        { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
      )
      expect(report.status).toBe(TaskStatus.Success)
      return report.value.outputTail
    }
    expect(await run('small')).toBe('var||0')
    // `PARALLEL_ITEM=small` takes 19 bytes, a NUL and a pointer: 28.
    expect(await run('small', 28)).toBe('var||0')
    expect(await run('small', 27)).toBe('|file|5')
    // Over 128 KiB with its name and NUL: not set, whatever the room.
    const big = 'x'.repeat(MAX_ARG_STRLEN - 'PARALLEL_ITEM='.length)
    expect(await run(big)).toBe(`|file|${big.length}`)
    expect(await run(big.slice(1))).toBe('var||0')
    // No variable can carry a NUL byte; the file can.
    expect(await run('a\0b')).toBe('|file|3')
  })
})

describe('retries', () => {
  it('runs a failing task again until it succeeds, counting attempts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-'))
    const counter = join(dir, 'count')
    const { template, task, log, printed } = setUp(
      `echo x >> ${counter}; echo "n$(wc -l < ${counter})=yes" >> "$GITHUB_OUTPUT"; [ $(wc -l < ${counter}) -ge 3 ]`,
      undefined,
      5
    )
    const report = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    await log.finish()
    expect(report.status).toBe(TaskStatus.Success)
    expect(report.value.attempts).toBe(3)
    // It failed, then passed on a retry: flaky.
    expect(report.value.flaky).toBe(true)
    // Only the last attempt's outputs are kept: each attempt gets emptied files.
    expect(report.value.outputs).toEqual({ n3: 'yes' })
    // and the next task in the same slot starts from empty files too
    const next = await task(
      { index: 1, item: 'y', command: template.render('y', 2, 1) },
      { index: 1, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(next.value.outputs).toEqual({ n4: 'yes' })
    const text = printed.join('')
    expect(text).toContain('── attempt 1 of 6 failed (exit code 1); retrying in 15ms ──')
    expect(text).toContain('── attempt 2 of 6 failed (exit code 1); retrying in 30ms ──')
    expect(text).toContain('(3 attempts)')
  })

  it('records the last attempt’s output only, under a note of how the earlier ones ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-'))
    const counter = join(dir, 'count')
    // Attempts 1 and 2 print a few lines and fail; the third prints 90,002 lines (past what a
    // launcher hands over before writing to a file of its own) and succeeds.
    const { template, task, log, printed } = setUp(
      `echo x >> ${counter}; n=$(wc -l < ${counter}); echo "attempt $n starts"; ` +
        `[ $n -ge 3 ] || exit $n; seq 1 90000; echo "attempt $n ends"`,
      undefined,
      5
    )
    const report = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    await log.finish()
    expect(report.value.attempts).toBe(3)
    const lines = report.value.outputTail.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '── output of attempt 3 of 6; attempt 1 failed (exit code 1), attempt 2 failed (exit code 2) ──',
      'attempt 3 starts',
      '1'
    ])
    expect(lines[21]).toBe('… 89,932 lines left out …')
    expect(lines.slice(-2)).toEqual(['90000', 'attempt 3 ends'])
    expect(lines).toHaveLength(1 + 20 + 1 + 50)
    // The log has every attempt.
    expect(printed.join('')).toContain('attempt 1 starts\n\n── attempt 1 of 6 failed')
  })

  it('shows one rule for short attempts too: the last one, not both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-'))
    const counter = join(dir, 'count')
    const { template, task } = setUp(
      `echo x >> ${counter}; echo "attempt $(wc -l < ${counter})"; exit 3`,
      undefined,
      1
    )
    const report = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(report.value.outputTail).toBe(
      '── output of attempt 2 of 2; attempt 1 failed (exit code 3) ──\nattempt 2'
    )
  })

  it('gives up after the last retry, and retries timeouts too', async () => {
    const { template, task } = setUp('sleep 5', 30, 2)
    const report = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(report.status).toBe(TaskStatus.TimedOut)
    expect(report.value.attempts).toBe(3)
    expect('flaky' in report.value).toBe(false)
  }, 15_000)

  it('marks a task that timed out and then passed flaky, and one that passed at once not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-'))
    const counter = join(dir, 'count')
    const { template, task } = setUp(
      `echo x >> ${counter}; [ $(wc -l < ${counter}) -ge 2 ] || sleep 5`,
      200,
      2
    )
    const run = (index: number) =>
      task(
        { index, item: 'x', command: template.render('x', index + 1, 1) },
        { index, slot: 1, slots: [1], signal: new AbortController().signal }
      )
    const timedOutFirst = await run(0)
    expect(timedOutFirst.value).toMatchObject({
      status: TaskStatus.Success,
      attempts: 2,
      flaky: true
    })
    const passedAtOnce = await run(1)
    expect(passedAtOnce.value.attempts).toBe(1)
    expect('flaky' in passedAtOnce.value).toBe(false)
  }, 15_000)

  it('keeps the digests its item was prepared with in its record', async () => {
    const { template, task } = setUp('true')
    const digests = { command: 'c'.repeat(64), sources: 's'.repeat(64) }
    const report = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1), digests },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(report.value).toMatchObject({
      commandDigest: digests.command,
      sourcesDigest: digests.sources
    })
    const without = await task(
      { index: 0, item: 'x', command: template.render('x', 1, 1), digests: { command: 'c' } },
      { index: 0, slot: 1, slots: [1], signal: new AbortController().signal }
    )
    expect(without.value.commandDigest).toBe('c')
    expect('sourcesDigest' in without.value).toBe(false)
  })

  it('stops waiting for a retry when the run halts', async () => {
    const template = CommandTemplate.parse('exit 1', Shell.Bash)
    const halt = new AbortController()
    const started = Date.now()
    setTimeout(() => halt.abort(), 100)
    const slowRetries = commandTaskWithDelay(template, 60_000)
    const report = await slowRetries(
      { index: 0, item: 'x', command: template.render('x', 1, 1) },
      { index: 0, slot: 1, slots: [1], signal: halt.signal }
    )
    expect(report.status).toBe(TaskStatus.Cancelled)
    expect(report.value.attempts).toBe(1)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('grows the delay exponentially with jitter in [0.5, 1)', () => {
    expect(retryDelayMs(1000, 1, () => 0)).toBe(500)
    expect(retryDelayMs(1000, 1, () => 0.999)).toBe(1000)
    expect(retryDelayMs(1000, 3, () => 0.5)).toBe(3000)
    expect(retryDelayMs(1000, 40, () => 0.999)).toBeLessThanOrEqual(600_000)
  })
})

function commandTaskWithDelay(template: CommandTemplate, retryDelay: number) {
  return commandTask({
    template,
    cwd: tmpdir(),
    env: { PATH: process.env.PATH },
    timeoutMs: undefined,
    retries: 3,
    retryDelayMs: retryDelay,
    log: new TaskLog(LogMode.None, () => undefined),
    tempDir: tmpdir()
  })
}

describe('statusOf', () => {
  const result = runResult

  it('maps a process result to a task status', () => {
    expect(statusOf(result({}))).toBe(TaskStatus.Success)
    expect(statusOf(result({ exitCode: 1 }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: 143, signal: 'SIGTERM' }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: null, error: 'spawn x ENOENT' }))).toBe(TaskStatus.Failure)
    expect(statusOf(result({ exitCode: 143, timedOut: true }))).toBe(TaskStatus.TimedOut)
    expect(statusOf(result({ exitCode: 143, aborted: true }))).toBe(TaskStatus.Cancelled)
  })
})
