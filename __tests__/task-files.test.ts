import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_TASK_SUMMARY_BYTES, parseOutputFile, TaskFiles } from '../src/task-files.js'

describe('parseOutputFile', () => {
  it('reads name=value lines and name<<DELIMITER blocks, later values winning', () => {
    const text = 'a=1\nb=x=y\nmulti<<EOF\nline 1\n\nline 3\nEOF\na=2\r\nempty=\n'
    expect(parseOutputFile(text)).toEqual({
      a: '2',
      b: 'x=y',
      multi: 'line 1\n\nline 3',
      empty: ''
    })
  })

  it('keeps an output named __proto__ as data', () => {
    const outputs = parseOutputFile('__proto__=x\n')
    expect(Object.keys(outputs)).toEqual(['__proto__'])
    expect(outputs.__proto__).toBe('x')
  })
})

describe('TaskFiles', () => {
  it('empties the slot’s files for a task and collects what it wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 7)
    await files.reset('x')
    expect(readFileSync(files.outputPath, 'utf8')).toBe('')
    execFileSync('bash', ['-c', 'echo "n=$((6*7))" >> "$O"; echo "## Hi" >> "$S"'], {
      env: { O: files.outputPath, S: files.summaryPath }
    })
    expect(await files.collect(0)).toEqual({ outputs: { n: '42' }, summary: '## Hi\n' })
    // The next task in the slot starts from empty files.
    await files.reset('x')
    expect(await files.collect(0)).toEqual({ outputs: {}, summary: '' })
    expect(existsSync(files.outputPath)).toBe(true)
  })

  it('reads only the start of a huge summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 1)
    await files.reset('x')
    appendFileSync(files.summaryPath, 'x'.repeat(MAX_TASK_SUMMARY_BYTES * 3))
    expect((await files.collect(0)).summary).toHaveLength(MAX_TASK_SUMMARY_BYTES)
  })

  it('collects nothing when the task removed its files, and recreates them', async () => {
    const files = new TaskFiles(mkdtempSync(join(tmpdir(), 'task-files-')), 1)
    expect(await files.collect(0)).toEqual({ outputs: {}, summary: '' })
    await files.reset('x')
    expect(existsSync(files.summaryPath)).toBe(true)
  })

  it('empties files a leftover process wrote to, and replaces what a task put in their place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 2)
    await files.reset('x')
    expect(await files.collect(0)).toEqual({ outputs: {}, summary: '' })
    // written after the task was collected, e.g. by a process it left behind
    writeFileSync(files.outputPath, 'late=1\n')
    await files.reset('x')
    expect(await files.collect(0)).toEqual({ outputs: {}, summary: '' })
    // a directory, and a symlink to a file that is not ours
    rmSync(files.outputPath)
    mkdirSync(files.outputPath)
    const target = join(dir, 'not-ours')
    writeFileSync(target, 'keep me')
    rmSync(files.summaryPath)
    symlinkSync(target, files.summaryPath)
    expect(await files.collect(0)).toEqual({ outputs: {}, summary: '' })
    await files.reset('x')
    expect(lstatSync(files.outputPath).isFile()).toBe(true)
    expect(lstatSync(files.summaryPath).isFile()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
  })
})
