import { describe, expect, it } from '@jest/globals'
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeTimings } from '../../src/results/timings-file.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record } from '../helpers/records.js'

const dir = mkdtempSync(join(tmpdir(), 'timings-'))

describe('writeTimings', () => {
  it('writes the previous timings updated with this run', async () => {
    const path = await writeTimings(
      dir,
      new Map([
        ['old', 1],
        ['a', 2]
      ]),
      [
        record(0, 'a', TaskStatus.Success, { durationMs: 30 }),
        record(1, 'b', TaskStatus.Cancelled, { durationMs: 5 })
      ]
    )
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      version: 1,
      timings: { old: 1, a: 30 }
    })
  })

  it('replaces a link a task put where the timings file goes, instead of writing through it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'timings-link-'))
    const target = join(directory, 'elsewhere.txt')
    writeFileSync(target, 'keep me')
    symlinkSync(target, join(directory, 'timings.json'))
    const path = await writeTimings(directory, new Map(), [record(0, 'a', TaskStatus.Success)])
    expect(lstatSync(path).isSymbolicLink()).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    expect(JSON.parse(readFileSync(path, 'utf8')).timings).toEqual({ a: expect.any(Number) })
  })
})
