import { describe, expect, it } from '@jest/globals'
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readTimings, writeTimings } from '../../src/results/timings-file.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { writeResultsFile } from '../../src/results/results-file.js'
import { record, report } from '../helpers/records.js'

const dir = mkdtempSync(join(tmpdir(), 'timings-'))

describe('readTimings and writeTimings', () => {
  it('reads a timings file and a results file, skipping tasks that did not run to an end', async () => {
    writeFileSync(join(dir, 't.json'), JSON.stringify({ version: 1, timings: { a: 5, b: 'x' } }))
    expect((await readTimings(join(dir, 't.json'))).timings).toEqual(new Map([['a', 5]]))
    writeFileSync(
      join(dir, 'r.json'),
      JSON.stringify({
        results: [
          { item: 'a', durationMs: 10, status: 'success' },
          { item: { k: 1 }, durationMs: 20, status: 'failure' },
          { item: 'c', durationMs: 0, status: 'skipped' }
        ]
      })
    )
    expect((await readTimings(join(dir, 'r.json'))).timings).toEqual(
      new Map([
        ['a', 10],
        ['{"k":1}', 20]
      ])
    )
  })

  it('reads the durations of a results file as a run writes it', async () => {
    const written = await writeResultsFile(
      join(dir, 'run'),
      report(
        [
          record(0, 'a', TaskStatus.Success, { durationMs: 10 }),
          record(1, 'b', TaskStatus.Failure, { durationMs: 20 }),
          record(2, 'c', TaskStatus.TimedOut, { durationMs: 30 })
        ],
        { workers: 2 }
      )
    )
    expect(await readTimings(written)).toEqual({
      timings: new Map([
        ['a', 10],
        ['b', 20]
      ])
    })
  })

  it('reads a timings file whatever its version says', async () => {
    writeFileSync(join(dir, 'v9.json'), JSON.stringify({ version: 9, timings: { a: 5 } }))
    expect(await readTimings(join(dir, 'v9.json'))).toEqual({ timings: new Map([['a', 5]]) })
  })

  it('treats JSON that holds neither timings nor results as no timings, saying why', async () => {
    for (const [name, text] of [
      ['array.json', '[]'],
      ['number.json', '5'],
      ['other.json', '{"timings": "x", "results": {}}']
    ]) {
      const path = join(dir, name as string)
      writeFileSync(path, text as string)
      expect(await readTimings(path)).toEqual({
        timings: new Map(),
        problem: `'${path}' holds neither timings nor results`
      })
    }
    for (const text of ['null', '{"results": [null]}']) {
      writeFileSync(join(dir, 'null.json'), text)
      expect(await readTimings(join(dir, 'null.json'))).toEqual({
        timings: new Map(),
        problem: `'${join(dir, 'null.json')}' is not JSON`
      })
    }
  })

  it('treats a missing or unreadable file as no timings, saying why', async () => {
    expect(await readTimings(join(dir, 'missing.json'))).toEqual({
      timings: new Map(),
      problem: `no file at '${join(dir, 'missing.json')}' (a first run or a cache miss)`
    })
    writeFileSync(join(dir, 'bad.json'), '{')
    expect((await readTimings(join(dir, 'bad.json'))).problem).toContain('is not JSON')
  })

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
