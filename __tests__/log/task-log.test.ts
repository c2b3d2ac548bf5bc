import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { LogMode } from '../../src/log/log-mode.js'
import { escapeCommandData, streamSink, TaskLog } from '../../src/log/task-log.js'
import { taskHeadline } from '../../src/log/task-title.js'
import { TaskOutput } from '../../src/exec/task-output.js'
import { STATUS_WORDS, TaskStatus } from '../../src/model/task-status.js'
import { WorkflowCommands } from '../../src/action/workflow-commands.js'
import { record } from '../helpers/records.js'

function collect(): { sink: (data: string | Buffer) => void; text: () => string } {
  const parts: Buffer[] = []
  return {
    sink: data => parts.push(Buffer.isBuffer(data) ? Buffer.from(data) : Buffer.from(data)),
    text: () => Buffer.concat(parts).toString('utf8')
  }
}

function outputOf(...chunks: string[]): TaskOutput {
  const output = new TaskOutput({ memoryLimit: 8 })
  for (const chunk of chunks) output.write(Buffer.from(chunk))
  return output
}

describe('taskHeadline', () => {
  it('says how the task ended on one line, in plain English, named by # and its item', () => {
    expect(taskHeadline(record(0, 'a\nb', TaskStatus.Success))).toBe('✅ #1 a⏎b: succeeded in 1.0s')
    expect(
      taskHeadline(record(1, 'x', TaskStatus.Failure, { exitCode: 143, signal: 'SIGTERM' }))
    ).toBe('❌ #2 x: failed (SIGTERM, exit code 143) in 1.0s')
    expect(taskHeadline(record(2, 'y', TaskStatus.TimedOut, { attempts: 2 }))).toBe(
      '⏱️ #3 y: timed out (exit code 1) after 1.0s (2 attempts)'
    )
    expect(
      taskHeadline(record(11, 'z', TaskStatus.Cancelled, { exitCode: null, signal: null }))
    ).toBe('⛔ #12 z: cancelled after 1.0s')
    // A signal without an exit code (a results file may say so): no 'exit code null'.
    expect(
      taskHeadline(record(12, 'v', TaskStatus.Failure, { exitCode: null, signal: 'SIGKILL' }))
    ).toBe('❌ #13 v: failed (SIGKILL) in 1.0s')
    expect(taskHeadline(record(4, 'w', TaskStatus.Success, { attempts: 2 }))).toBe(
      '✅ #5 w: succeeded in 1.0s (2 attempts)'
    )
  })

  it('says where a reused task succeeded, with no time: it did not run here', () => {
    const reusedFrom = { runId: 123, attempt: 1, at: 1_700_000_000_000 }
    expect(taskHeadline(record(2, 'lint', TaskStatus.Reused, { reusedFrom }))).toBe(
      '♻️ #3 lint: reused (succeeded in run 123, attempt 1)'
    )
  })

  it('never prints a status value where prose is expected', () => {
    for (const status of Object.values(TaskStatus)) {
      const line = taskHeadline(record(0, 'a', status))
      expect(line).toContain(`: ${STATUS_WORDS[status]}`)
      expect(line).not.toMatch(/\b(failure|timed-out|success)\b/)
    }
  })
})

describe('TaskLog', () => {
  it('grouped: closes the group even when the output cannot be read back', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Grouped, out.sink)
    const output = outputOf('kept in memory', ' then spilled to a file')
    rmSync(output.spillPath as string)
    await log.end(record(0, 'a', TaskStatus.Success), output)
    await log.finish()
    const text = out.text()
    expect(text).toContain('kept in')
    expect(text).toMatch(/\n::endgroup::\n/)
    expect(text).toContain('Could not print the output of task #1')
  })

  it('grouped: prints each task whole in a group, closing it on its own line', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Grouped, out.sink)
    log.output(0, 'a', Buffer.from('ignored until the end'))
    await log.end(record(0, 'a', TaskStatus.Success), outputOf('first ', 'line\nno newline'))
    await log.end(record(1, '100%\r\n', TaskStatus.Failure), outputOf(''))
    expect(out.text()).toBe(
      '::group::✅ #1 a: succeeded in 1.0s\nfirst line\nno newline\n::endgroup::\n' +
        '::group::❌ #2 100%25�⏎: failed (exit code 1) in 1.0s\n::endgroup::\n'
    )
  })

  it('grouped: tasks ending together are printed one after the other, in order', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Grouped, out.sink)
    const big = 'x'.repeat(100_000)
    void log.end(record(0, 'a', TaskStatus.Success), outputOf(big, '\n'))
    void log.end(record(1, 'b', TaskStatus.Success), outputOf('b\n'))
    await log.finish()
    const text = out.text()
    expect(text.indexOf('#2 b')).toBeGreaterThan(text.indexOf(big))
  })

  it('stream: prefixes complete lines and flushes the unfinished one at the end', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink)
    log.output(0, 'a', Buffer.from('one\ntw'))
    log.output(1, 'b', Buffer.from('other\n'))
    log.output(0, 'a', Buffer.from('o\nthree'))
    await log.end(record(0, 'a', TaskStatus.Success), outputOf())
    expect(out.text()).toBe(
      '[#1 a] one\n[#2 b] other\n[#1 a] two\n[#1 a] three\n✅ #1 a: succeeded in 1.0s\n'
    )
  })

  it('stream: prints a very long line in pieces instead of holding it', () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink)
    log.output(0, 'a', Buffer.alloc(100_000, 'y'))
    expect(out.text()).toBe(`[#1 a] ${'y'.repeat(100_000)}\n`)
  })

  it('failures: groups only unsuccessful tasks, one line for the rest', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Failures, out.sink)
    await log.end(record(0, 'a', TaskStatus.Success), outputOf('hidden\n'))
    await log.end(record(1, 'b', TaskStatus.TimedOut, { error: 'why' }), outputOf('shown\n'))
    expect(out.text()).toBe(
      '✅ #1 a: succeeded in 1.0s\n' +
        '::group::⏱️ #2 b: timed out (exit code 1) after 1.0s\nwhy\nshown\n::endgroup::\n'
    )
  })

  it('none: prints nothing', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.None, out.sink)
    log.output(0, 'a', Buffer.from('x\n'))
    await log.end(record(0, 'a', TaskStatus.Failure), outputOf('x\n'))
    expect(out.text()).toBe('')
  })

  it('disposes of the output once printed', async () => {
    const log = new TaskLog(LogMode.Grouped, () => undefined)
    const output = outputOf('more than eight bytes, so it spilled\n')
    expect(output.spillPath).toBeDefined()
    await log.end(record(0, 'a', TaskStatus.Success), output)
    const { existsSync } = await import('node:fs')
    expect(existsSync(output.spillPath as string)).toBe(false)
  })
})

describe('streamSink', () => {
  it('says it holds nothing only once the stream has written everything out', async () => {
    let release: (() => void) | undefined
    const stream = new Writable({
      highWaterMark: 4,
      write(_chunk, _encoding, callback) {
        release = callback
      }
    })
    const sink = streamSink(stream)
    expect(sink.holdsNothing?.()).toBe(true)
    const drained = sink(Buffer.from('0123456789'))
    expect(drained).toBeDefined()
    expect(sink.holdsNothing?.()).toBe(false)
    release?.()
    await drained
    expect(sink.holdsNothing?.()).toBe(true)
  })

  it('grouped: a spilled output printed through a file stream arrives byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-log-test-'))
    try {
      const file = join(dir, 'log')
      const stream = createWriteStream(file)
      const log = new TaskLog(LogMode.Grouped, streamSink(stream), WorkflowCommands.All)
      const output = new TaskOutput({ memoryLimit: 1000, tempDir: dir })
      const data = randomBytes(700_000)
      output.write(data)
      await log.end(record(0, 'a', TaskStatus.Success), output)
      await log.finish()
      await new Promise(resolve => stream.end(resolve))
      const printed = readFileSync(file)
      const start = printed.indexOf('\n') + 1
      expect(printed.subarray(start, start + data.length).equals(data)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('TaskLog and workflow commands in task output', () => {
  const forged = '::set-output name=total::999\n::error::real annotation\n::endgroup::\n'

  it('grouped, annotations: wraps forged commands in stop-commands, keeps annotations and every byte', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Grouped, out.sink, WorkflowCommands.Annotations)
    await log.end(record(0, 'a', TaskStatus.Success), outputOf(forged))
    const text = out.text()
    expect(text).toMatch(
      /^::group::.*\n::stop-commands::([0-9a-f]{32})\n::set-output name=total::999\n::\1::\n::error::real annotation\n::stop-commands::([0-9a-f]{32})\n::endgroup::\n::\2::\n::endgroup::\n$/
    )
  })

  it('grouped, none: wraps the whole output; all: passes it through', async () => {
    const none = collect()
    await new TaskLog(LogMode.Grouped, none.sink, WorkflowCommands.None).end(
      record(0, 'a', TaskStatus.Success),
      outputOf(forged)
    )
    expect(none.text()).toMatch(
      /^::group::.*\n::stop-commands::(\w+)\n::set-output[^]*::endgroup::\n::\1::\n::endgroup::\n$/
    )
    const all = collect()
    await new TaskLog(LogMode.Grouped, all.sink, WorkflowCommands.All).end(
      record(0, 'a', TaskStatus.Success),
      outputOf(forged)
    )
    expect(all.text()).toContain(`\n${forged}::endgroup::\n`)
  })

  it('neutralises commands in items shown in group titles and stream prefixes', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink)
    log.output(0, 'x ##[set-output name=a;]b', Buffer.from('line\n'))
    await log.finish()
    expect(out.text()).not.toContain('##[')
    const grouped = collect()
    await new TaskLog(LogMode.Grouped, grouped.sink).end(
      record(0, '##[error]x', TaskStatus.Success),
      outputOf()
    )
    expect(grouped.text()).not.toContain('##[')
  })

  it('stream, none: closes the neutralisation before our own lines and at the end', async () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink, WorkflowCommands.None)
    log.output(0, 'a', Buffer.from('p\r::warning::x\n'))
    log.own('::debug::ours\n')
    await log.finish()
    expect(out.text()).toMatch(
      /^::stop-commands::(\w+)\n\[#1 a\] p\r::warning::x\n::\1::\n::debug::ours\n$/
    )
  })
})

describe('escapeCommandData', () => {
  it('escapes %, CR and LF as @actions/core does', () => {
    expect(escapeCommandData('a%b\r\nc')).toBe('a%25b%0D%0Ac')
  })
})

describe('TaskLog.own', () => {
  it('grouped: prints a line of ours after the group being replayed, and finish() waits for it', async () => {
    const parts: string[] = []
    // A slow log: every write settles on a later turn of the event loop.
    const sink = (data: string | Buffer): Promise<void> => {
      parts.push(data.toString())
      return new Promise(resolve => setImmediate(resolve))
    }
    sink.holdsNothing = () => true
    const log = new TaskLog(LogMode.Grouped, sink)
    const output = outputOf('first\n', 'x'.repeat(3000), '\nlast\n')
    void log.end(record(0, 'a', TaskStatus.Success), output)
    await new Promise(resolve => setImmediate(resolve))
    log.own('ours\n')
    const finished = log.finish()
    log.own('later\n')
    await finished
    expect(parts.join('')).toMatch(/::endgroup::\nours\nlater\n$/)
  })

  it('stream: closes the neutralisation a task opened before a line of ours', () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink, WorkflowCommands.Annotations)
    log.output(0, 'a', Buffer.from('x ##[add-mask]y\n'))
    log.own('::warning::ours\n')
    expect(out.text()).toMatch(/\n::(\w+)::\n::warning::ours\n$/)
  })
})

describe('TaskLog.own in stream mode', () => {
  it('prints a plain line of ours inside an open neutralisation, without closing it', () => {
    const out = collect()
    const log = new TaskLog(LogMode.Stream, out.sink, WorkflowCommands.Annotations)
    log.output(0, 'a', Buffer.from('x ##[add-mask]y\n'))
    log.own('Progress: 0/1 done\n')
    log.output(0, 'a', Buffer.from('x ##[add-mask]z\n'))
    expect(out.text().match(/::stop-commands::/g)).toHaveLength(1)
    expect(out.text()).toMatch(
      /\[#1 a\] x ##\[add-mask\]y\nProgress: 0\/1 done\n\[#1 a\] x ##\[add-mask\]z\n$/
    )
  })
})
