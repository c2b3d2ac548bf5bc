import { beforeAll, describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readResultsFile } from '../../src/results/results-file.js'
import { runAction, type ActionRun } from '../helpers/action.js'

// The reports of batched runs, from the bundled action: what a batch printed is shown once, every
// item has its result, and the results files of batched shards merge.

const ITEMS = Array.from({ length: 12 }, (_, index) => `f${String(index + 1).padStart(2, '0')}.ts`)

let lint: string
/** A linter stand-in: prints a marker line once per run, fails when given f05.ts or f08.ts. */
beforeAll(() => {
  lint = join(mkdtempSync(join(tmpdir(), 'parallel-exec-report-batches-')), 'lint.mjs')
  writeFileSync(
    lint,
    [
      'const files = process.argv.slice(2)',
      'const bad = files.filter(file => file === "f05.ts" || file === "f08.ts")',
      'console.log(`checked ${files.length} files BATCH-OUTPUT-${process.env.PARALLEL_SEQ}`)',
      'for (const file of bad) console.log(`${file}:1:1 error no-unused-vars`)',
      'process.exit(bad.length > 0 ? 1 : 0)'
    ].join('\n')
  )
})

const INPUTS = { items: ITEMS.join('\n'), shell: 'none', 'batch-size': '3', 'max-workers': '2' }

/** Runs the linter over the items in batches of 3, with `extra` inputs. */
function lintRun(
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {}
): Promise<ActionRun> {
  return runAction(
    { ...INPUTS, command: `node ${lint} {}`, ...extra },
    { env: { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', ...env } }
  )
}

/** How many times `part` occurs in `text`. */
const occurrences = (text: string, part: string): number => text.split(part).length - 1

describe('the reports of a batched run through dist/index.js', () => {
  it('shows each failed batch once, its output once, and lists every item', async () => {
    const run = await lintRun()
    expect(run.code).toBe(1)
    // Batches 2 (f04–f06) and 3 (f07–f09) failed: their 6 items fail, each batch is one block.
    expect(JSON.parse(run.outputs['failed-items'] as string)).toEqual(ITEMS.slice(3, 9))
    expect(run.outputs.failed).toBe('6')
    expect(run.summary).toContain('6 of 12 succeeded in 4 batches</h2>')
    expect(run.summary).toContain(
      '<code>Batch 2 (f04.ts, f05.ts, f06.ts)</code> failed (exit code 1)'
    )
    expect(run.summary).toContain(
      '<code>Batch 3 (f07.ts, f08.ts, f09.ts)</code> failed (exit code 1)'
    )
    for (const batch of [2, 3]) expect(occurrences(run.summary, `BATCH-OUTPUT-${batch}`)).toBe(1)
    for (const item of ITEMS) expect(run.summary).toContain(`<code>${item}</code></td><td>`)
    // One annotation per failed batch, titled as the log titles it.
    const annotations = run.log.split('\n').filter(line => line.startsWith('::error title=Batch'))
    expect(annotations.map(line => /^::error title=([^:]*)::/.exec(line)?.[1])).toEqual([
      'Batch 2 (f04.ts%2C f05.ts%2C f06.ts)',
      'Batch 3 (f07.ts%2C f08.ts%2C f09.ts)'
    ])
    expect(run.log).toContain('Batch 2 (f04.ts, f05.ts, f06.ts): failed (exit code 1)')
    // One bar per batch on the timeline.
    expect(run.summary).toContain('Timeline: 4 batches of 12 tasks on 2 workers')
    // The JUnit file: a test case per item, each batch's output once.
    const junit = readFileSync(run.outputs['junit-file'] as string, 'utf8')
    expect(occurrences(junit, '<testcase ')).toBe(12)
    expect(occurrences(junit, '<failure ')).toBe(6)
    for (const batch of [2, 3]) expect(occurrences(junit, `BATCH-OUTPUT-${batch}`)).toBe(1)
    // The results file it wrote reads back, batches checked.
    const report = await readResultsFile(run.outputs['results-file'] as string)
    expect(report.batchSize).toBe(3)
    expect(report.records.map(record => record.batch)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
  }, 60_000)

  it('merges the results files of two batched shards, each numbering its batches from 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-report-batches-merge-'))
    const failedInShards: string[] = []
    for (const index of [0, 1]) {
      const shard = await lintRun({ shard: `${index}/2` })
      failedInShards.push(...(JSON.parse(shard.outputs['failed-items'] as string) as string[]))
      mkdirSync(join(dir, 'shards', String(index)), { recursive: true })
      copyFileSync(
        shard.outputs['results-file'] as string,
        join(dir, 'shards', String(index), 'results.json')
      )
    }
    const merge = await runAction(
      { 'merge-results': 'shards/**/results.json' },
      { dir, env: { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' } }
    )
    expect(merge.code).toBe(1)
    expect(merge.log).toContain('Merged 2 results files of 2 shards: 12 results.')
    expect(merge.log).not.toContain('Invalid results file')
    // Every item of each shard's failed batches, in input order.
    const failed = JSON.parse(merge.outputs['failed-items'] as string) as string[]
    expect(failed).toEqual(ITEMS.filter(item => failedInShards.includes(item)))
    expect(failed).toEqual(expect.arrayContaining(['f05.ts', 'f08.ts']))
    const merged = await readResultsFile(merge.outputs['results-file'] as string)
    expect(merged.batchSize).toBe(3)
    expect(merged.records).toHaveLength(12)
    // Both shards have a batch 1: the merge keeps their numbers.
    expect(merged.records.filter(record => record.batch === 1)).toHaveLength(6)
    expect(merge.summary).toContain('in 4 batches</h2>')
  }, 120_000)

  it.each([
    ['dry-run shards', { 'dry-run': 'true' }, 'dry run of 12 tasks in 4 batches</h2>'],
    [
      'fail-fast shards whose later batches never started',
      { 'max-workers': '1', 'fail-fast': 'true', command: `node ${'{LINT}'} {} f05.ts` },
      '0 of 12 succeeded in 4 batches</h2>'
    ]
  ])(
    "merges %s, each shard's batches that never started apart, also in a merge of merges",
    async (_, extra, headline) => {
      const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-report-batches-unstarted-'))
      const inputs = Object.fromEntries(
        Object.entries(extra).map(([key, value]) => [key, value.replace('{LINT}', lint)])
      )
      for (const index of [0, 1]) {
        const shard = await lintRun({ shard: `${index}/2`, ...inputs })
        mkdirSync(join(dir, 'shards', String(index)), { recursive: true })
        copyFileSync(
          shard.outputs['results-file'] as string,
          join(dir, 'shards', String(index), 'results.json')
        )
      }
      const merge = await runAction({ 'merge-results': 'shards/**/results.json' }, { dir })
      expect(merge.log).toContain('Merged 2 results files of 2 shards: 12 results.')
      expect(merge.summary).toContain(headline)
      // Merged again with a copy of itself: twice the batches, none of them joined.
      for (const copy of ['a', 'b']) {
        mkdirSync(join(dir, 'merges', copy), { recursive: true })
        copyFileSync(
          merge.outputs['results-file'] as string,
          join(dir, 'merges', copy, 'results.json')
        )
      }
      const twice = await runAction({ 'merge-results': 'merges/**/results.json' }, { dir })
      expect(twice.log).toContain('Merged 2 results files: 24 results.')
      expect(twice.summary).toContain('in 8 batches</h2>')
    },
    120_000
  )
})
