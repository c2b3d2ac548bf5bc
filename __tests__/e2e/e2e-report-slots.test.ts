import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readResultsFile } from '../../src/results/results-file.js'
import { runAction } from '../helpers/action.js'

// The reports of tasks that held several worker slots and locks, from the bundled action: a merge
// keeps them, numbered as each shard's, draws such a task on every slot it held, and refuses a
// results file whose slots no run could have written.

// A parsed results file, edited as freely as JSON.parse's own `any` allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonFile = Record<string, any>

/** The gantt bars of a summary whose label starts with `name`: [section, id], in order. */
function barsOf(summary: string, name: string): [string, string][] {
  const bars: [string, string][] = []
  let section = ''
  for (const line of summary.split('\n')) {
    section = /^ {2}section (.*)$/.exec(line)?.[1] ?? section
    const bar = /^ {4}(.*) :(?:[a-z]+, )*(t\d+(?:s\d+)?), \d+, \d+$/.exec(line)
    if (bar?.[1]?.startsWith(name)) bars.push([section, bar[2] as string])
  }
  return bars
}

/**
 * Two shards of six items on 3 workers each, run by the bundle, their results files in `dir`
 * under results-<index>/; in each, the first record edited as `edit` says.
 */
async function shardFiles(
  dir: string,
  edit: (record: JsonFile, index: number) => void
): Promise<void> {
  const items = ['e2e', 'unit-a', 'unit-b', 'db-test', 'unit-c', 'unit-d'].join('\n')
  for (const index of [0, 1]) {
    const shard = await runAction({
      items,
      command: 'echo {}',
      shard: `${index}/2`,
      'max-workers': '3'
    })
    expect(shard.code).toBe(0)
    const file = JSON.parse(readFileSync(shard.outputs['results-file'] as string, 'utf8'))
    edit(file.results[0], index)
    mkdirSync(join(dir, `results-${index}`))
    writeFileSync(join(dir, `results-${index}`, 'results.json'), JSON.stringify(file))
  }
}

describe('tasks that held several slots, in the reports of dist/index.js', () => {
  it('are merged with their slots numbered as their shard is, drawn on each, locks kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-report-slots-'))
    // As a run writes a task that held all 3 slots and two locks.
    await shardFiles(dir, record => {
      Object.assign(record, { slot: 1, slots: [1, 2, 3], locks: ['db', 'port 5432'] })
    })
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir })
    expect(merge.log).not.toContain('Invalid results file')
    expect(merge.code).toBe(0)
    expect(merge.log).toContain('Merged 2 results files of 2 shards: 6 results.')
    const merged = await readResultsFile(merge.outputs['results-file'] as string)
    expect(merged.workers).toBe(6)
    const held = merged.records
      .filter(record => record.slots !== undefined)
      .map(record => [record.item, record.slot, record.slots, record.locks])
    // Shard 0 ran items 1, 3, 5 (e2e first); shard 1 items 2, 4, 6 (unit-a first).
    expect(held).toEqual([
      ['e2e', 1, [1, 2, 3], ['db', 'port 5432']],
      ['unit-a', 4, [4, 5, 6], ['db', 'port 5432']]
    ])
    // The timeline: each on the 3 slots it held, labelled with how many.
    expect(barsOf(merge.summary, '#101;2e (3 slots)')).toEqual([
      ['Slot 1', 't0'],
      ['Slot 2', 't0s2'],
      ['Slot 3', 't0s3']
    ])
    expect(barsOf(merge.summary, '#117;nit-a (3 slots)').map(([section]) => section)).toEqual([
      'Slot 4',
      'Slot 5',
      'Slot 6'
    ])
    expect(merge.summary).toContain('Timeline: 6 tasks on 6 workers, each shard from its own start')
    // Lock names stay out of the log and the summary.
    expect(merge.log).not.toContain('port 5432')
    expect(merge.summary).not.toContain('port 5432')
  }, 120_000)

  it('refuses a shard whose slots no run could have written, naming the file and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-report-slots-'))
    await shardFiles(dir, (record, index) => {
      if (index === 1) Object.assign(record, { slot: 2, slots: [1, 2] })
    })
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir })
    expect(merge.code).toBe(1)
    expect(merge.log).toContain(
      '::error::1 of 2 shards has no valid results file (1/2): their 3 items have no result ' +
        `here. Re-run those shards. Invalid results file '${join('results-1', 'results.json')}': ` +
        "'results[0].slots[0]' is 1. Expected the result's slot, 2, first."
    )
    // The other shard is still merged.
    expect(merge.outputs).toMatchObject({ total: '6', succeeded: '3' })
  }, 120_000)

  it("refuses a shard whose locks name a lock twice, by position, never printing the lock's name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-report-slots-'))
    await shardFiles(dir, (record, index) => {
      if (index === 1) record.locks = ['db::error::x', 'port 5432', 'db::error::x']
    })
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir })
    expect(merge.code).toBe(1)
    expect(merge.log).toContain(
      `Invalid results file '${join('results-1', 'results.json')}': ` +
        "'results[0].locks[2]' repeats locks[0]. Expected each lock once."
    )
    expect(merge.log).not.toContain('db::error')
    expect(merge.log).not.toContain('port 5432')
  }, 120_000)

  it('draws a task that held more slots than the timeline has rows on its first 60', async () => {
    const run = await runAction({
      tasks: 'build:\n  run: sleep 0.3\n  slots: 64\nlint: "true"',
      'max-workers': '64'
    })
    expect(run.code).toBe(0)
    const results = await readResultsFile(run.outputs['results-file'] as string)
    expect(results.records.map(r => r.slots?.length ?? 1)).toEqual([64, 1])
    const bars = barsOf(run.summary, '#98;uild (64 slots)')
    expect(bars).toHaveLength(60)
    expect(bars[59]).toEqual(['Slot 60', 't0s60'])
    expect(run.summary).toContain(
      '<summary>Timeline: 2 tasks on 64 workers, 1 of them not drawn</summary>'
    )
  }, 120_000)
})
