import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  existsSync,
  linkSync,
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
import {
  MAX_TASK_SUMMARY_BYTES,
  parseOutputFile,
  removeItemFiles,
  TaskFiles
} from '../../src/exec/task-files.js'

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

/** Runs a bash script as a task would, and expects it to succeed without a word on stderr. */
function bash(script: string, env: Record<string, string>): void {
  // Without --norc, bash reads the developer's ~/.bashrc when its stdin is a socket, as Node's
  // pipes are.
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', script], { env })
  expect(result.stderr.toString()).toBe('')
  expect(result.status).toBe(0)
}

describe('TaskFiles', () => {
  it('empties the slot’s files for a task and collects what it wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 7)
    await files.reset('x')
    expect(readFileSync(files.outputPath, 'utf8')).toBe('')
    bash('echo "n=$((6*7))" >> "$O"; echo "## Hi" >> "$S"', {
      O: files.outputPath,
      S: files.summaryPath
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

  it('writes each task its item afresh, never through what a task put in its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 3)
    await files.reset('first item')
    expect(readFileSync(files.itemPath, 'utf8')).toBe('first item')
    const target = join(dir, 'not-ours')
    writeFileSync(target, 'keep me')
    rmSync(files.itemPath)
    symlinkSync(target, files.itemPath)
    await files.reset('second')
    expect(lstatSync(files.itemPath).isFile()).toBe(true)
    expect(readFileSync(files.itemPath, 'utf8')).toBe('second')
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    rmSync(files.itemPath)
    mkdirSync(join(files.itemPath, 'sub'), { recursive: true })
    await files.reset('third')
    expect(readFileSync(files.itemPath, 'utf8')).toBe('third')
    // A task whose item is not written leaves the file as it is.
    await files.reset()
    expect(readFileSync(files.itemPath, 'utf8')).toBe('third')
    removeItemFiles(dir, 3)
    expect(existsSync(files.itemPath)).toBe(false)
  })

  it('moves a step file a task wrote aside, named by the task, and gives the next task an empty one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const files = new TaskFiles(dir, 1, ['GITHUB_ENV', 'GITHUB_PATH'])
    expect(Object.keys(files.variables)).toEqual([
      'GITHUB_OUTPUT',
      'GITHUB_STEP_SUMMARY',
      'GITHUB_ENV',
      'GITHUB_PATH'
    ])
    await files.reset('x')
    const envPath = files.variables.GITHUB_ENV as string
    writeFileSync(envPath, 'A=1\n')
    // What a task put at the name its file is kept under does not stop it.
    mkdirSync(join(dir, 'github-env-task-42', 'sub'), { recursive: true })
    const collected = await files.collect(41)
    expect(collected.stepFiles).toEqual({ GITHUB_ENV: join(dir, 'github-env-task-42') })
    expect(readFileSync(join(dir, 'github-env-task-42'), 'utf8')).toBe('A=1\n')
    await files.reset('y')
    expect(readFileSync(envPath, 'utf8')).toBe('')
    expect((await files.collect(42)).stepFiles).toBeUndefined()
  })

  // A task replaced its files with hard links to a file elsewhere and failed: the retry (or the
  // next task in the slot) used to truncate that file through the link.
  it('never truncates a file a task linked in place of its own, and gives the next one its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
    const victims = mkdtempSync(join(tmpdir(), 'victims-'))
    const files = new TaskFiles(dir, 4, ['GITHUB_ENV'])
    const paths = [files.outputPath, files.summaryPath, files.variables.GITHUB_ENV as string]
    await files.reset('x')
    for (const [number, path] of paths.entries()) {
      const victim = join(victims, `victim-${number}`)
      writeFileSync(victim, `keep me ${number}`)
      rmSync(path)
      linkSync(victim, path)
    }
    // And an empty file, linked: the next task's writes would go to it.
    const empty = join(victims, 'empty')
    writeFileSync(empty, '')
    rmSync(files.itemPath)
    linkSync(empty, files.itemPath)
    await files.reset('item')
    for (const number of paths.keys()) {
      expect(readFileSync(join(victims, `victim-${number}`), 'utf8')).toBe(`keep me ${number}`)
    }
    expect(readFileSync(empty, 'utf8')).toBe('')
    for (const path of paths) {
      expect(lstatSync(path)).toMatchObject({ size: 0, nlink: 1 })
    }
    expect(lstatSync(files.itemPath).nlink).toBe(1)
    // A task that wrote nothing: its empty linked file is replaced all the same.
    rmSync(files.outputPath)
    linkSync(empty, files.outputPath)
    await files.reset()
    expect(lstatSync(files.outputPath).nlink).toBe(1)
    bash('echo a=1 >> "$O"', { O: files.outputPath })
    expect(readFileSync(empty, 'utf8')).toBe('')
  })

  // Whatever a task leaves at each of its paths, collecting and resetting never touch another
  // file, never wait, and leave each path an empty plain file of ours.
  it('never writes through or waits on what a task put at its paths (300 cases)', async () => {
    const kinds = [
      'nothing',
      'text',
      'hard link',
      'empty hard link',
      'symlink',
      'directory',
      'fifo'
    ]
    const victims = mkdtempSync(join(tmpdir(), 'victims-'))
    let cases = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        async (chosen, writesItem) => {
          cases++
          const dir = mkdtempSync(join(tmpdir(), 'task-files-'))
          const files = new TaskFiles(dir, 1, ['GITHUB_ENV', 'GITHUB_PATH'])
          const paths = [...Object.values(files.variables), files.itemPath]
          await files.reset('item')
          const victim = join(victims, 'victim')
          const empty = join(victims, 'empty')
          writeFileSync(victim, 'keep me')
          writeFileSync(empty, '')
          for (const [number, path] of paths.entries()) {
            const kind = chosen[number] as string
            if (kind === 'nothing') continue
            rmSync(path, { force: true, recursive: true })
            if (kind === 'text') writeFileSync(path, 'A=1\n')
            if (kind === 'hard link') linkSync(victim, path)
            if (kind === 'empty hard link') linkSync(empty, path)
            if (kind === 'symlink') symlinkSync(victim, path)
            if (kind === 'directory') mkdirSync(path)
            if (kind === 'fifo') execFileSync('mkfifo', [path])
          }
          await files.collect(0)
          await files.reset(writesItem ? 'item' : undefined)
          expect(readFileSync(victim, 'utf8')).toBe('keep me')
          expect(readFileSync(empty, 'utf8')).toBe('')
          for (const path of paths.slice(0, -1)) {
            const stats = lstatSync(path)
            expect([stats.isFile(), stats.size, stats.nlink]).toEqual([true, 0, 1])
          }
          if (writesItem) {
            expect(lstatSync(files.itemPath).nlink).toBe(1)
            expect(readFileSync(files.itemPath, 'utf8')).toBe('item')
          }
          rmSync(dir, { recursive: true })
        }
      ),
      { numRuns: 300 }
    )
    expect(cases).toBe(300)
  })
})
