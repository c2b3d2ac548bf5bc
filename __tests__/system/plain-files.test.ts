import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAfresh, emptyFile, readPlainFile } from '../../src/system/plain-files.js'

describe('readPlainFile', () => {
  it('reads the start of a plain file, and nothing of anything else, without waiting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-files-'))
    const file = join(dir, 'file')
    writeFileSync(file, 'abcdef')
    expect(readPlainFile(file, 4)).toEqual({ bytes: Buffer.from('abcd'), size: 6 })
    expect(readPlainFile(file, 4, true)?.bytes.toString()).toBe('abcde')
    expect(readPlainFile(file, 100)?.bytes.toString()).toBe('abcdef')
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    symlinkSync(file, join(dir, 'link'))
    mkdirSync(join(dir, 'directory'))
    for (const name of ['fifo', 'link', 'directory', 'missing']) {
      expect(readPlainFile(join(dir, name), 100)).toBeUndefined()
    }
  })
})

describe('createAfresh and emptyFile', () => {
  it('replace what is at the path, never writing through a link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-files-'))
    const victim = join(dir, 'victim')
    writeFileSync(victim, 'keep me')
    const path = join(dir, 'ours')
    for (const put of [linkSync, symlinkSync]) {
      put(victim, path)
      createAfresh(path, 'new')
      expect(readFileSync(path, 'utf8')).toBe('new')
      emptyFile(path)
      expect(lstatSync(path)).toMatchObject({ size: 0, nlink: 1 })
      expect(readFileSync(victim, 'utf8')).toBe('keep me')
      execFileSync('rm', [path])
      put(victim, path)
      emptyFile(path)
      expect(lstatSync(path)).toMatchObject({ size: 0, nlink: 1 })
      expect(lstatSync(path).isFile()).toBe(true)
      expect(readFileSync(victim, 'utf8')).toBe('keep me')
      execFileSync('rm', [path])
    }
    mkdirSync(join(path, 'sub'), { recursive: true })
    emptyFile(path)
    expect(lstatSync(path).isFile()).toBe(true)
  })
})
