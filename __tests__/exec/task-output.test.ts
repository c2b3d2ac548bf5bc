import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as fc from 'fast-check'
import { execFileSync, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { OutputFile } from '../../src/exec/launcher-protocol.js'
import { OutputExcerpt } from '../../src/exec/output-excerpt.js'
import { TaskOutput } from '../../src/exec/task-output.js'

let tempDir: string

beforeEach(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-output-test-'))
})

afterEach(() => {
  fs.rmSync(tempDir, { recursive: true, force: true })
})

async function replayed(output: TaskOutput): Promise<Buffer> {
  const chunks: Buffer[] = []
  await output.replay(chunk => {
    chunks.push(chunk)
  })
  return Buffer.concat(chunks)
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function writeInChunks(output: TaskOutput, data: Buffer, sizes: number[]): void {
  let offset = 0
  for (let index = 0; offset < data.length; index++) {
    const size = Math.max(1, sizes[index % sizes.length] ?? 1)
    output.write(data.subarray(offset, offset + size))
    offset += size
  }
}

describe('TaskOutput', () => {
  it('keeps small output in memory and replays it exactly', async () => {
    const output = new TaskOutput({ tempDir })
    output.write(Buffer.from('hello '))
    output.write(Buffer.from([0, 255, 10, 13]))
    output.write(Buffer.alloc(0))
    output.write(Buffer.from('world'))
    expect(output.byteLength).toBe(15)
    expect(output.spillPath).toBeUndefined()
    expect(await replayed(output)).toEqual(
      Buffer.concat([Buffer.from('hello '), Buffer.from([0, 255, 10, 13]), Buffer.from('world')])
    )
    await output.dispose()
  })

  it('spills past the memory limit and replays every byte in order', async () => {
    const memoryLimit = 100_000
    const output = new TaskOutput({ tempDir, memoryLimit })
    const written = createHash('sha256')
    let total = 0
    for (let index = 0; index < 2000; index++) {
      const chunk = randomBytes(1 + Math.floor(Math.random() * 3000))
      written.update(chunk)
      total += chunk.length
      output.write(chunk)
    }
    expect(output.byteLength).toBe(total)
    const spillPath = output.spillPath as string
    expect(path.dirname(spillPath)).toBe(tempDir)
    // Everything past the limit is on disk, so memory holds exactly the limit.
    expect(fs.statSync(spillPath).size).toBe(total - memoryLimit)

    const replay = createHash('sha256')
    let replayedBytes = 0
    await output.replay(chunk => {
      replay.update(chunk)
      replayedBytes += chunk.length
    })
    expect(replayedBytes).toBe(total)
    expect(replay.digest('hex')).toBe(written.digest('hex'))
    await output.dispose()
  })

  it('replays from disk alone when the memory limit is 0, in chunks it may keep', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 0 })
    const data = randomBytes(300_000)
    writeInChunks(output, data, [7, 70_000, 1])
    const chunks: Buffer[] = []
    await output.replay(async chunk => {
      chunks.push(chunk)
      await new Promise(resolve => setImmediate(resolve))
    })
    expect(chunks.length).toBeGreaterThan(1)
    expect(Math.max(...chunks.map(c => c.length))).toBeLessThanOrEqual(64 * 1024)
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(data))
    await output.dispose()
  })

  // Tasks can write to the directory spill files are in: a FIFO put in one's place used to make
  // the replay wait for a writer (here one comes after two seconds), and the action with it.
  it('fails a replay from a spill file replaced by a FIFO at once, without waiting on it', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 0 })
    output.write(randomBytes(1000))
    const spillPath = output.spillPath as string
    fs.unlinkSync(spillPath)
    execFileSync('mkfifo', [spillPath])
    const writer = spawn('sh', ['-c', 'sleep 2; : > "$0"', spillPath], { stdio: 'ignore' })
    try {
      const started = Date.now()
      await expect(output.replay(() => undefined)).rejects.toThrow(/ESPIPE|EAGAIN|truncated/)
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      writer.kill()
      await output.dispose()
    }
  })

  it('reads into the same buffer again only while the sink says it holds nothing', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 0 })
    const data = randomBytes(5 * 64 * 1024 + 123)
    output.write(data)
    const replayWith = async (holdsNothing: boolean): Promise<Set<ArrayBufferLike>> => {
      const copies: Buffer[] = []
      const buffers = new Set<ArrayBufferLike>()
      await output.replay(
        chunk => {
          copies.push(Buffer.from(chunk))
          buffers.add(chunk.buffer)
        },
        () => holdsNothing
      )
      expect(sha256(Buffer.concat(copies))).toBe(sha256(data))
      return buffers
    }
    expect((await replayWith(true)).size).toBe(1)
    expect((await replayWith(false)).size).toBe(6)
    await output.dispose()
  })

  it('lets the event loop run during a long replay into a sink that never waits', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 0 })
    output.write(Buffer.alloc(3 * 1024 * 1024, 'x'))
    let turned = false
    setImmediate(() => (turned = true))
    let turnedBeforeTheEnd = false
    let replayedBytes = 0
    await output.replay(chunk => {
      replayedBytes += chunk.length
      if (replayedBytes < output.byteLength) turnedBeforeTheEnd ||= turned
    })
    expect(replayedBytes).toBe(3 * 1024 * 1024)
    expect(turnedBeforeTheEnd).toBe(true)
    await output.dispose()
  })

  it('takes in what someone else appended to a target file, in order, excerpt included', async () => {
    const excerpt = { headLines: 1, tailLines: 3, tailBytes: 64 }
    const output = new TaskOutput({ tempDir, memoryLimit: 100, excerpt })
    output.write(Buffer.from('kept in memory\n'))
    const target = output.spillTarget(10) as OutputFile
    expect(target.after).toBe(10)
    const outside = 'line 1\nline 2\nline 3\nline 4\nline 5\n'
    fs.writeFileSync(target.path, outside, { flag: 'wx' })
    target.appended(outside.length)
    // Memory still has room, but what comes next must follow the appended bytes.
    output.write(Buffer.from('after\n'))
    // A second target (the next attempt) after that, with more bytes in its file than reported.
    const next = output.spillTarget() as OutputFile
    expect(next.after).toBe(0)
    fs.writeFileSync(next.path, 'again\nnot reported')
    next.appended(6)
    const all = 'kept in memory\n' + outside + 'after\nagain\n'
    expect(output.byteLength).toBe(all.length)
    expect((await replayed(output)).toString()).toBe(all)
    const text = 'kept in memory\n… 4 lines left out …\nline 5\nafter\nagain'
    expect(output.excerpt()).toBe(text)
    await output.dispose()
    expect(output.excerpt()).toBe(text)
    expect(fs.readdirSync(tempDir)).toEqual([])
  })

  it('has the excerpt of appended output after dispose, and no target when not kept', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 0 })
    const target = output.spillTarget() as OutputFile
    expect(target.after).toBe(0)
    fs.appendFileSync(target.path, 'a\nb\n')
    target.appended(4)
    await output.dispose()
    expect(fs.existsSync(target.path)).toBe(false)
    expect(output.excerpt()).toBe('a\nb')
    expect(new TaskOutput({ tempDir, retain: false }).spillTarget()).toBeUndefined()
  })

  it('removes only the target files that can exist', async () => {
    const output = new TaskOutput({ tempDir })
    const unused = output.spillTarget(100) as OutputFile
    output.write(Buffer.from('short'))
    const reached = output.spillTarget(5) as OutputFile
    output.write(Buffer.from('12345'))
    // A writer that created its file and died before reporting anything.
    fs.writeFileSync(reached.path, 'unreported')
    const removed: string[] = []
    const rm = fs.promises.rm
    fs.promises.rm = async (file, options) => {
      removed.push(String(file))
      return rm(file, options)
    }
    try {
      await output.dispose()
    } finally {
      fs.promises.rm = rm
    }
    expect(removed).toEqual([reached.path])
    expect(unused.path).not.toBe(reached.path)
    expect(fs.readdirSync(tempDir)).toEqual([])
  })

  it('replays only what was written before the call, and can replay twice', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 10 })
    output.write(Buffer.from('0123456789abcdef'))
    const first = await replayed(output)
    output.write(Buffer.from('XYZ'))
    expect(first.toString()).toBe('0123456789abcdef')
    expect((await replayed(output)).toString()).toBe('0123456789abcdefXYZ')
    await output.dispose()
  })

  it('dispose removes the spill file, is idempotent and keeps the excerpt', async () => {
    const output = new TaskOutput({ tempDir, memoryLimit: 4 })
    output.write(Buffer.from('line one\nline two\n'))
    const spillPath = output.spillPath as string
    expect(fs.existsSync(spillPath)).toBe(true)
    await output.dispose()
    expect(fs.existsSync(spillPath)).toBe(false)
    await output.dispose()
    expect(output.excerpt()).toBe('line one\nline two')
    await expect(output.replay(() => {})).rejects.toThrow(/dispose/)
    expect(() => output.write(Buffer.from('x'))).toThrow(/dispose/)
  })

  it('keeps what it can and reports it when the spill file cannot be written', async () => {
    const output = new TaskOutput({ tempDir: path.join(tempDir, 'missing'), memoryLimit: 5 })
    output.write(Buffer.from('12345678'))
    output.write(Buffer.from('90'))
    expect(output.spillError?.message).toMatch(/^ENOENT/)
    expect(output.droppedBytes).toBe(5)
    expect(output.byteLength).toBe(10)
    expect((await replayed(output)).toString()).toBe('12345')
    expect(output.excerpt()).toBe('1234567890')
    await output.dispose()
  })

  describe('excerpt', () => {
    it('is the excerpt of the same bytes however they came: written, or appended by a launcher', () => {
      const byte = fc.constantFrom(0x61, 0x0a, 0x0d, 0xc3, 0xa9, 0xff)
      const piece = fc.record({
        bytes: fc.array(byte, { minLength: 1, maxLength: 40 }),
        appended: fc.boolean()
      })
      let cases = 0
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), pieces => {
          cases++
          const limits = { headLines: 2, headBytes: 30, tailLines: 3, tailBytes: 40, lineBytes: 12 }
          const output = new TaskOutput({ tempDir, memoryLimit: 50, excerpt: limits })
          const whole = new OutputExcerpt(limits)
          for (const { bytes, appended } of pieces) {
            const data = Buffer.from(bytes)
            whole.write(data)
            const target = appended ? output.spillTarget() : undefined
            if (target === undefined) {
              output.write(data)
              continue
            }
            fs.appendFileSync(target.path, data)
            target.appended(data.length)
          }
          expect(output.excerpt()).toBe(whole.excerpt())
        }),
        { numRuns: 300 }
      )
      expect(cases).toBe(300)
    })

    it('starts afresh with each attempt, while the replay keeps every attempt', async () => {
      const output = new TaskOutput({ tempDir, memoryLimit: 0 })
      output.write(Buffer.from('attempt 1 fails\n'))
      const target = output.spillTarget() as OutputFile
      fs.appendFileSync(target.path, 'more of attempt 1\n')
      target.appended(18)
      output.write(Buffer.from('── retrying ──\n'))
      output.startAttempt()
      output.write(Buffer.from('attempt 2\n'))
      expect(output.excerpt()).toBe('attempt 2')
      expect((await replayed(output)).toString()).toBe(
        'attempt 1 fails\nmore of attempt 1\n── retrying ──\nattempt 2\n'
      )
      await output.dispose()
    })

    it('reads what a launcher appended as it is reported: write() and excerpt() read nothing', async () => {
      const output = new TaskOutput({ tempDir, memoryLimit: 0 })
      output.write(Buffer.from('written\n'))
      const target = output.spillTarget() as OutputFile
      for (const line of ['appended 1\n', 'appended 2\n']) {
        fs.appendFileSync(target.path, line)
        target.appended(line.length)
      }
      // Whatever the file holds now is not what the excerpt shows: it was read when reported.
      fs.writeFileSync(target.path, 'REWRITTEN\n'.repeat(5))
      output.write(Buffer.from('written again\n'))
      expect(output.excerpt()).toBe('written\nappended 1\nappended 2\nwritten again')
      fs.rmSync(target.path)
      expect(output.excerpt()).toBe('written\nappended 1\nappended 2\nwritten again')
      await output.dispose()
    })

    it("reads nothing a launcher appends to an earlier attempt's file", async () => {
      const output = new TaskOutput({ tempDir, memoryLimit: 0 })
      const first = output.spillTarget() as OutputFile
      fs.appendFileSync(first.path, 'attempt 1\n')
      first.appended(10)
      output.startAttempt()
      // Reported late, after the next attempt started: the log has it, the new excerpt does not.
      fs.appendFileSync(first.path, 'late\n')
      first.appended(5)
      output.write(Buffer.from('attempt 2\n'))
      expect(output.excerpt()).toBe('attempt 2')
      expect((await replayed(output)).toString()).toBe('attempt 1\nlate\nattempt 2\n')
      await output.dispose()
    })

    it('replaces invalid UTF-8', () => {
      const output = new TaskOutput({ tempDir })
      output.write(Buffer.from([0x61, 0xff, 0x62, 0x0a]))
      expect(output.excerpt()).toBe('a\uFFFDb')
    })
  })

  it('takes a 50 MB line without newlines in linear time and bounded memory', async () => {
    const output = new TaskOutput({ tempDir, excerpt: { headLines: 0, lineBytes: 100 } })
    const chunk = Buffer.alloc(4096, 'y')
    const chunks = (50 * 1024 * 1024) / chunk.length
    const started = performance.now()
    for (let index = 0; index < chunks; index++) output.write(chunk)
    const elapsed = performance.now() - started
    // Concatenating per chunk would copy ~320 GB here (minutes); linear work takes well under 1 s.
    expect(elapsed).toBeLessThan(10_000)
    expect(output.byteLength).toBe(50 * 1024 * 1024)
    expect(fs.statSync(output.spillPath as string).size).toBe(49 * 1024 * 1024)
    expect(output.excerpt()).toBe(`(52,428,700 earlier bytes) …${'y'.repeat(100)}`)

    let replayedBytes = 0
    await output.replay(part => {
      replayedBytes += part.length
    })
    expect(replayedBytes).toBe(50 * 1024 * 1024)
    await output.dispose()
  })
})
