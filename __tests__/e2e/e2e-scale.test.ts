import { describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

interface Result {
  index: number
  item: string
  status: string
}
// A results file, edited as freely as JSON.parse's own `any` allows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonFile = Record<string, any>

const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

/** A count with thousands separators, as the action writes it. */
const n = (value: number): string => value.toLocaleString('en-US')

describe('sharding over matrix jobs, and merging the shards', () => {
  const items = Array.from({ length: 11 }, (_, i) => `item-${i}`).concat('long', 'bad')
  const command = 'echo "number {#} of {}"; [ {} != bad ]'
  const root = mkdtempSync(join(tmpdir(), 'shards-'))
  // A previous run's timings: 'long' takes as long as all the others together.
  const timingsFile = join(root, 'timings.json')
  writeFileSync(
    timingsFile,
    JSON.stringify({
      version: 1,
      timings: Object.fromEntries(items.map(item => [item, item === 'long' ? 1200 : 100]))
    })
  )

  it('runs every item in exactly one shard, balanced by known durations, then merges them', async () => {
    const shards = await Promise.all(
      [0, 1, 2].map(index =>
        runAction({
          items: items.join('\n'),
          command,
          shard: `${index}/3`,
          timings: timingsFile,
          'max-workers': '2'
        })
      )
    )
    const ran = shards.map(shard => results(shard.outputs))
    // the long item has a shard to itself; the twelve short ones split 6 and 6
    expect(ran.map(shardResults => shardResults.map(r => r.item))).toEqual([
      ['long'],
      ['item-0', 'item-2', 'item-4', 'item-6', 'item-8', 'item-10'],
      ['item-1', 'item-3', 'item-5', 'item-7', 'item-9', 'bad']
    ])
    const indexes = ran
      .flatMap(shardResults => shardResults.map(r => r.index))
      .sort((a, b) => a - b)
    expect(indexes).toEqual(items.map((_, index) => index))
    for (const [index, shard] of shards.entries()) {
      expect(shard.outputs.shard).toBe(`${index}/3`)
      expect(shard.outputs.total).toBe(String(ran[index]?.length))
      expect(shard.summary).toContain(
        `Shard **${index}/3** has **${ran[index]?.length}** of the **13** items, balanced by known durations`
      )
    }
    expect(shards[0]?.log).toContain(
      'Shard 0/3: 1 of 13 items (balanced by known durations: about 1.2s of 2.4s in all).'
    )
    // {#} is the item's number among all the items, in every shard
    expect(shards[1]?.log).toContain('number 11 of item-10')
    expect(shards[2]?.log).toContain('number 13 of bad')
    expect(shards.map(shard => shard.code)).toEqual([0, 0, 1])

    // The final job downloads each shard's results-file and merges them.
    const merged = mkdtempSync(join(tmpdir(), 'merged-'))
    shards.forEach((shard, index) => {
      mkdirSync(join(merged, `results-${index}`))
      copyFileSync(
        shard.outputs['results-file'] as string,
        join(merged, `results-${index}`, 'results.json')
      )
    })
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir: merged })
    expect(merge.code).toBe(1)
    expect(results(merge.outputs).map(r => [r.index, r.item, r.status])).toEqual(
      items.map((item, index) => [index, item, item === 'bad' ? 'failure' : 'success'])
    )
    expect(merge.outputs).toMatchObject({
      total: '13',
      succeeded: '12',
      failed: '1',
      'failed-items': '["bad"]',
      shard: '',
      'job-log': ''
    })
    expect(merge.log).toContain('Merged 3 results files of 3 shards: 13 results.')
    expect(merge.log).toContain('::error::1 of 13 tasks did not succeed (1 failed): bad.')
    expect(merge.summary).toContain('Merged from 3 of 3 shards')
    expect(merge.summary).toContain('parallel-exec: 12 of 13 succeeded')
    // the merged timings cover every shard, for the next run's cache
    const timings = JSON.parse(readFileSync(merge.outputs['timings-file'] as string, 'utf8')) as {
      timings: Record<string, number>
    }
    expect(Object.keys(timings.timings).sort()).toEqual([...items].sort())

    // A shard whose results never arrived fails the merge, naming it; the rest is still reported.
    const partial = mkdtempSync(join(tmpdir(), 'partial-'))
    copyFileSync(shards[0]?.outputs['results-file'] as string, join(partial, 'a.json'))
    copyFileSync(shards[1]?.outputs['results-file'] as string, join(partial, 'b.json'))
    const incomplete = await runAction({ 'merge-results': '*.json' }, { dir: partial })
    expect(incomplete.code).toBe(1)
    expect(incomplete.outputs).toMatchObject({ total: '13', succeeded: '7' })
    expect(incomplete.log).toContain(
      '1 of 3 shards has no results file (2/3): their 6 items have no result here. Re-run those shards.'
    )
    expect(incomplete.summary).toContain('<h2>❌ parallel-exec: 7 of 13 succeeded</h2>')
    expect(incomplete.summary).toContain('❓ <strong>6</strong> without a result')
    expect(incomplete.summary).toContain('1 of 3 shards has no results file (2/3)')
  })

  it('fails a merge whose shard file lacks a record, has one twice or one of another shard', async () => {
    const shards = await Promise.all(
      [0, 1].map(index =>
        runAction({ items: 'a\nb\nc\nd', command: 'echo {}', shard: `${index}/2` })
      )
    )
    /** Merges the two shards' files after `edit` changed the second one's results, `change` the rest. */
    const mergeWith = async (
      edit: (results: unknown[]) => unknown[],
      change: (file: {
        results: Record<string, unknown>[]
        shard: Record<string, unknown>
      }) => void = () => {}
    ) => {
      const dir = mkdtempSync(join(tmpdir(), 'merged-'))
      shards.forEach((shard, index) => {
        mkdirSync(join(dir, `results-${index}`))
        const file = JSON.parse(readFileSync(shard.outputs['results-file'] as string, 'utf8'))
        if (index === 1) {
          file.results = edit(file.results)
          file.counts.total = file.counts.succeeded = file.results.length
          change(file)
        }
        writeFileSync(join(dir, `results-${index}`, 'results.json'), JSON.stringify(file))
      })
      const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir })
      // a failed check still sets every output and writes the summary
      expect(merge.code).toBe(1)
      expect(merge.outputs.total).toBe('4')
      expect(merge.summary).toContain('parallel-exec')
      return merge
    }
    const second = join('results-1', 'results.json')
    const missing = await mergeWith(results => results.slice(1))
    expect(missing.outputs).toMatchObject({ succeeded: '3', failed: '0' })
    expect(missing.log).toContain(`::error::Shard 1/2 (${second}) has no record for item 2 'b'.`)
    expect(missing.summary).toContain('❓ <strong>1</strong> without a result')
    const twice = await mergeWith(results => [...results, results[0]])
    expect(twice.outputs).toMatchObject({ succeeded: '4' })
    expect(twice.log).toContain(
      `::error::Shard 1/2 (${second}) has more than one record for item 2 'b'; the first is kept.`
    )
    const foreign = await mergeWith(results => [
      ...results,
      { ...(results[0] as object), index: 0, item: 'a' }
    ])
    expect(foreign.outputs).toMatchObject({ succeeded: '4' })
    expect(foreign.log).toContain(
      `::error::Shard 1/2 (${second}) has records for items that are not its own: item 1 'a'.`
    )
    // A file that is not valid is named with its bad field; the other shard is still merged.
    const invalid = await mergeWith(
      results => results,
      file => ((file.results[0] as Record<string, unknown>).durationMs = 'x')
    )
    expect(invalid.outputs).toMatchObject({ succeeded: '2' })
    expect(invalid.log).toContain(
      '::error::1 of 2 shards has no valid results file (1/2): their 2 items have no result here. ' +
        `Re-run those shards. Invalid results file '${second}': 'results[0].durationMs' is "x". ` +
        'Expected a number of milliseconds ≥ 0.'
    )
    // Shards that split differently merge nothing, and still say so in outputs and summary.
    const split = await mergeWith(
      results => results,
      file => (file.shard.splitDigest = 'x')
    )
    expect(split.outputs).toMatchObject({ succeeded: '0', results: '[]', 'failed-items': '[]' })
    expect(split.log).toContain(
      `::error::Invalid merge-results: '${second}' and '${join('results-0', 'results.json')}' split the items differently`
    )
    expect(split.summary).toContain('<h2>❌ parallel-exec: 0 of 4 succeeded</h2>')
    expect(split.summary).toContain('❓ <strong>4</strong> without a result')
  })

  it('refuses a results file whose numbers no run could have, and fails on items without a result', async () => {
    const shard = await runAction({ items: 'a\nb\nc', command: 'echo {}', shard: '0/1' })
    const written = readFileSync(shard.outputs['results-file'] as string, 'utf8')
    /** Merges the shard's results file alone, after `change` edited it. */
    const mergeChanged = async (change: (file: JsonFile) => void) => {
      const dir = mkdtempSync(join(tmpdir(), 'merged-'))
      const file = JSON.parse(written)
      change(file)
      writeFileSync(join(dir, 'results.json'), JSON.stringify(file))
      // A merge builds only from what its files hold: a small heap is plenty.
      const merge = await runAction(
        { 'merge-results': 'results.json' },
        { dir, env: { NODE_OPTIONS: '--max-old-space-size=128' } }
      )
      // it ends as a failed step, with every output and the summary, never as a crash
      expect(merge.code).toBe(1)
      expect(merge.summary).toContain('<h2>❌ parallel-exec')
      return merge
    }
    const refused = "::error::Invalid results file 'results.json': "
    const shards = await mergeChanged(file => (file.shard.total = 2 ** 31))
    expect(shards.outputs).toMatchObject({ total: '0', results: '[]' })
    expect(shards.log).toContain(
      `${refused}'shard.total' is 2147483648. Expected a whole number from 1 to 256.`
    )
    const items = await mergeChanged(file => (file.shard.itemCount = 2 ** 40))
    expect(items.log).toContain(
      `${refused}'shard.itemCount' is 1099511627776. Expected a whole number from 0 to 4294967295.`
    )
    /** The shard's file as a merge's own file of `total` items, with `merged` as given. */
    const asMerge = (total: number, merged: object) => (file: JsonFile) => {
      delete file.shard
      file.counts.total = total
      file.merged = { files: 2, shards: null, missingShards: [], problems: [], ...merged }
    }
    const most = 2 ** 32 - 1
    const huge = await mergeChanged(asMerge(most, { problems: ['A shard was refused.'] }))
    expect(huge.outputs).toMatchObject({ total: String(most), succeeded: '3' })
    expect(huge.log).toContain(
      `::error::A shard was refused. ${n(most - 3)} of ${n(most)} tasks did not succeed (${n(most - 3)} without a result).`
    )
    // A merge's file cannot claim items without a result, or missing shards, and no problem.
    const silent = await mergeChanged(asMerge(10, {}))
    expect(silent.outputs).toMatchObject({ total: '0', succeeded: '0' })
    expect(silent.log).toContain(
      `${refused}'merged.problems' is empty, but 7 of the 10 items have no result.`
    )
    const declared = await mergeChanged(asMerge(10, { shards: 2, missingShards: [0] }))
    expect(declared.log).toContain(`${refused}'merged.problems' is empty`)
  })

  it('deals items round-robin without timings, and gives an empty shard nothing to do', async () => {
    const run = await runAction({ items: 'a\nb\nc\nd\ne', command: 'echo {}', shard: '1/2' })
    expect(results(run.outputs).map(r => r.item)).toEqual(['b', 'd'])
    expect(run.log).toContain(
      'Shard 1/2: 2 of 5 items (dealt round-robin; give history to balance by duration).'
    )
    const empty = await runAction({ items: 'a', command: 'echo {}', shard: '3/4' })
    expect(empty.code).toBe(0)
    expect(empty.outputs).toMatchObject({ total: '0', shard: '3/4', results: '[]', 'job-log': '' })
    expect(empty.log).not.toContain('No items to run')
  })

  it('takes a fail-fast percentage of all the items, not of the shard', async () => {
    const items = Array.from({ length: 20 }, (_, i) => `i${i}`).join('\n')
    const run = await runAction({
      items,
      command: 'false',
      shard: '0/4',
      'fail-fast': '10%',
      'max-workers': '1'
    })
    // 10% of 20 items is 2: the shard's 5 items halt after two failures, not one
    expect(run.outputs).toMatchObject({ total: '5', failed: '2', skipped: '3' })
  })

  it('refuses a bad shard before running anything', async () => {
    const run = await runAction({ items: 'a', command: 'touch ran', shard: '2/2' })
    expect(run.code).toBe(1)
    expect(run.log).toContain("::error::Invalid shard '2/2'. Expected {index}/{total}")
  })
})
