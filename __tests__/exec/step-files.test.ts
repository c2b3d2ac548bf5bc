import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fileLines,
  MAX_TASK_STEP_FILE_BYTES,
  parseEnvFile,
  StepFiles
} from '../../src/exec/step-files.js'
import { serializeEnvEntries } from '../../src/exec/key-value-file.js'

describe('parseEnvFile', () => {
  it('reads NAME=value lines and NAME<<DELIMITER blocks as the runner does', () => {
    const text = 'A=1\nB=x=y<<z\n\nM<<EOF\nline 1\n\nEOF \nEOF\nC<<D=E\nv\nD=E\nR=1\r\nE=\n'
    expect(parseEnvFile(text)).toEqual({
      entries: [
        ['A', '1'],
        ['B', 'x=y<<z'],
        ['M', 'line 1\n\nEOF '],
        ['C', 'v'],
        // No CR handling outside Windows: the runner keeps it.
        ['R', '1\r'],
        ['E', '']
      ]
    })
    expect(parseEnvFile('\uFEFFA<<EOF\nEOF')).toEqual({ entries: [['A', '']] })
    expect(parseEnvFile('A<<EOF\n\n\nEOF\n')).toEqual({ entries: [['A', '\n']] })
  })

  it('names the line the runner would refuse', () => {
    expect(parseEnvFile('A=1\nB<<EOF\nnever closed\n')).toEqual({
      problem: 'the value that starts on line 2 has no closing delimiter line'
    })
    expect(parseEnvFile('A=1\njust text\n')).toEqual({
      problem: 'line 2 is neither NAME=value nor NAME<<DELIMITER'
    })
    expect(parseEnvFile('<<EOF\nx\nEOF\n')).toEqual({
      problem: "line 1 needs a name before '<<' and a delimiter after it"
    })
    expect(parseEnvFile('A<<\n')).toEqual({
      problem: "line 1 needs a name before '<<' and a delimiter after it"
    })
    expect(parseEnvFile('=value\n')).toEqual({ problem: 'line 1 sets a variable without a name' })
  })
})

// Names as the runner can read them back: no '=', no '<<', no line break, not empty.
const envName = fc
  .string({ minLength: 1, maxLength: 12, unit: 'binary' })
  .filter(name => !/[=\n]/.test(name) && !name.includes('<<'))
const envValue = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc
    .array(fc.constantFrom('EOF', 'ghadelimiter_', '', '\r', 'x=y', 'A<<EOF', '\uFEFF'), {
      maxLength: 6
    })
    .map(parts => parts.join('\n'))
)

describe('serializeEnvEntries', () => {
  it('writes blocks the runner reads back as exactly the same variables (1,000 cases)', () => {
    let cases = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(envName, envValue), { maxLength: 6 }), pairs => {
        // A name ending in '<' only comes from a NAME=value line, whose value is one line.
        const entries = pairs.map(([name, value]): [string, string] =>
          name.endsWith('<') ? [name, value.replaceAll('\n', ' ')] : [name, value]
        )
        cases++
        expect(parseEnvFile(serializeEnvEntries(entries))).toEqual({ entries })
      }),
      { seed: 42, numRuns: 1000 }
    )
    expect(cases).toBe(1000)
  })

  // Whatever a task writes, the step's file stays parseable and keeps the other tasks' variables.
  it('keeps any task file that parses, and only such files, from spoiling the next (2,000 cases)', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 12, unit: 'binary' }),
      fc.constantFrom('A=1', 'B<<EOF', 'EOF', 'C<<', '<<X', '=v', 'X', '', 'a<=1', 'b<<<E', '<E')
    )
    let parsed = 0
    let refused = 0
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), lines => {
        const result = parseEnvFile(lines.join('\n'))
        if ('problem' in result) {
          refused++
          return
        }
        parsed++
        const step = serializeEnvEntries(result.entries) + serializeEnvEntries([['NEXT', 'task']])
        expect(parseEnvFile(step)).toEqual({ entries: [...result.entries, ['NEXT', 'task']] })
      }),
      { seed: 7, numRuns: 2000 }
    )
    expect(parsed + refused).toBe(2000)
    expect(Math.min(parsed, refused)).toBeGreaterThan(100)
  })
})

describe('fileLines', () => {
  it('splits as .NET ReadAllLines does and drops empty lines', () => {
    expect(fileLines('\uFEFF/a\r\n\n/b\r/c')).toEqual(['/a', '/b', '/c'])
  })
})

describe('StepFiles', () => {
  it('applies task files in input order, skipping and naming a malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-files-'))
    const env = join(dir, 'env')
    const path = join(dir, 'path')
    writeFileSync(env, 'BEFORE=1\n')
    writeFileSync(path, '')
    const files = new StepFiles({ GITHUB_ENV: env, GITHUB_PATH: path })
    expect(files.commands).toEqual(['GITHUB_ENV', 'GITHUB_PATH'])
    const taskFile = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    // Added as tasks end, out of order.
    files.add(2, { GITHUB_ENV: taskFile('e3', 'X=3\nM<<EOF\nthree\nEOF\n') })
    files.add(1, { GITHUB_ENV: taskFile('e2', 'X<<EOF\nnever closed\n') })
    files.add(0, {
      GITHUB_ENV: taskFile('e1', 'X=1\n'),
      GITHUB_PATH: taskFile('p1', '/one\n/first')
    })
    files.add(3, { GITHUB_PATH: taskFile('p4', '/four\n') })
    files.add(4, undefined)
    const warnings: string[] = []
    files.apply(
      index => `Task ${index + 1}`,
      message => warnings.push(message)
    )
    expect(warnings).toEqual([
      'Task 2: its GITHUB_ENV was not applied: the value that starts on line 1 has no closing delimiter line.'
    ])
    expect(parseEnvFile(readFileSync(env, 'utf8'))).toEqual({
      entries: [
        ['BEFORE', '1'],
        ['X', '1'],
        ['X', '3'],
        ['M', 'three']
      ]
    })
    expect(readFileSync(path, 'utf8')).toBe('/one\n/first\n/four\n')
    expect(['e1', 'e2', 'e3', 'p1', 'p4'].some(name => existsSync(join(dir, name)))).toBe(false)
  })

  it('leaves out a file too large to apply, naming its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-files-'))
    const env = join(dir, 'env')
    writeFileSync(env, '')
    writeFileSync(join(dir, 'big'), `A=${'x'.repeat(MAX_TASK_STEP_FILE_BYTES)}\n`)
    const files = new StepFiles({ GITHUB_ENV: env })
    files.add(0, { GITHUB_ENV: join(dir, 'big') })
    const warnings: string[] = []
    files.apply(
      index => `Task ${index + 1}`,
      message => warnings.push(message)
    )
    expect(warnings).toEqual([
      'Task 1: its GITHUB_ENV was not applied: it holds 1,048,579 bytes, more than the 1,048,576 applied.'
    ])
    expect(readFileSync(env, 'utf8')).toBe('')
  })

  // A process a task left behind can put a FIFO where the task's file was kept: reading it would
  // wait for a writer, and the action with it. The writer here only comes after two seconds.
  it('leaves out what is no longer a plain file without waiting on it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'step-files-'))
    const env = join(dir, 'env')
    writeFileSync(env, '')
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', 'sleep 2; : > "$0"', fifo], { stdio: 'ignore' })
    try {
      const files = new StepFiles({ GITHUB_ENV: env })
      files.add(0, { GITHUB_ENV: fifo })
      const warnings: string[] = []
      const started = Date.now()
      files.apply(
        index => `Task ${index + 1}`,
        message => warnings.push(message)
      )
      expect(Date.now() - started).toBeLessThan(1000)
      expect(warnings).toEqual([
        'Task 1: its GITHUB_ENV was not applied: it is no longer a plain file.'
      ])
      expect(existsSync(fifo)).toBe(false)
    } finally {
      writer.kill()
    }
  })
})
