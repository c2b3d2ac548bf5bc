import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { prioritiesFromTimings, readTimings, writeTimings } from '../../src/plan/timings.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record } from '../helpers/records.js'

const dir = mkdtempSync(join(tmpdir(), 'timings-'))

/** The start order the executor would use for these priorities (higher first, ties by index). */
const startOrder = (priorities: number[]): number[] =>
  priorities
    .map((_, i) => i)
    .sort((a, b) => (priorities[b] as number) - (priorities[a] as number) || a - b)

describe('prioritiesFromTimings', () => {
  it('starts the longest known first; unknown ones count as average and keep input order', () => {
    const timings = new Map([
      ['a', 100],
      ['b', 2000],
      ['c', 300]
    ])
    // average of known: 800 → the unknowns x, y go between b and c, in input order
    const order = startOrder(
      prioritiesFromTimings(['a', 'x', 'b', 'y', 'c'], [0, 0, 0, 0, 0], timings)
    )
    expect(order.map(i => ['a', 'x', 'b', 'y', 'c'][i])).toEqual(['b', 'x', 'y', 'c', 'a'])
  })

  it('keeps explicit priorities first', () => {
    const timings = new Map([['long', 9000]])
    const order = startOrder(prioritiesFromTimings(['short', 'long'], [1, 0], timings))
    expect(order).toEqual([0, 1])
  })
})

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
})
