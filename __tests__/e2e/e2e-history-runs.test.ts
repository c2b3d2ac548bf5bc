import { describe, expect, it } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from '../helpers/action.js'
import {
  attempt,
  historyOf,
  keepHistory,
  resultsOf,
  statusByItem,
  takeRan,
  workspace
} from '../helpers/history-runs.js'

// The run history end to end, through dist/index.js: flaky tasks, the history's bounds, what a
// cancelled or dry run writes, and a re-run attempt of one shard.

describe('flaky tasks', () => {
  it('marks a task that passed on a retry flaky, and names it in later runs', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'wobble-once'), '')
    const inputs = {
      items: 'steady\nwobbly-item',
      // wobbly-item fails while the file wobble-once is there, removing it.
      command: '[ {} != wobbly-item ] || [ ! -e wobble-once ] || { rm wobble-once; exit 1; }',
      retries: '1',
      'retry-delay': '0s',
      history: 'history.json'
    }
    const first = await attempt(dir, inputs, 900, 1)
    expect(first.code).toBe(0)
    expect(statusByItem(first)).toEqual({ steady: 'success', 'wobbly-item': 'success' })
    expect(resultsOf(first).map(result => [result.flaky ?? false, result.attempts])).toEqual([
      [false, 1],
      [true, 2]
    ])
    expect(first.outputs.flaky).toBe('1')
    expect(first.log).toMatch(/::warning[^\n]*wobbly-item/)
    expect(first.summary).toMatch(/Flaky[\s\S]*wobbly-item/)
    expect(historyOf(first).items['wobbly-item']).toMatchObject({ runs: 1, flaky: 1 })
    keepHistory(first, join(dir, 'history.json'))

    // Passed at once today, yet flaky in a recent run: the summary still names it.
    const second = await attempt(dir, inputs, 901, 1)
    expect(second.outputs.flaky).toBe('0')
    expect(second.log).not.toMatch(/::warning[^\n]*wobbly-item/)
    expect(second.summary).toMatch(/[Ff]laky in recent runs[\s\S]*wobbly-item/)
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('the history file', () => {
  it('keeps at most 10 results per item and drops items not seen for 30 runs', async () => {
    const dir = workspace()
    const path = join(dir, 'history.json')
    let last
    for (let run = 1; run <= 35; run++) {
      const items = run === 1 ? 'gone\nkept' : 'kept'
      last = await attempt(dir, { items, command: 'true', history: 'history.json' }, 1000 + run)
      keepHistory(last, path)
    }
    const history = historyOf(last as NonNullable<typeof last>)
    expect(Object.keys(history.items)).toEqual(['kept'])
    expect(history.items.kept?.results).toHaveLength(10)
    expect(history.items.kept?.runs).toBe(35)
    expect(history.runs.length).toBeLessThanOrEqual(30)
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('is written when the runner cancels the run, with what ran', async () => {
    const dir = workspace()
    const run = await attempt(
      dir,
      { items: 'quick\nslow', command: 'touch started-{}; [ {} = quick ] || sleep 30' },
      1100,
      1,
      {
        onStart: child => {
          const started = (): boolean =>
            existsSync(join(dir, 'started-slow')) && existsSync(join(dir, 'started-quick'))
          void waitFor(started).then(() => setTimeout(() => child.kill('SIGTERM'), 300))
        }
      }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.cancelled).toBe('1')
    const history = historyOf(run)
    expect(history.items.quick?.runs).toBe(1)
    rmSync(dir, { recursive: true, force: true })
  })

  it('is written unchanged by a dry run, which shows what it would reuse', async () => {
    const dir = workspace()
    const inputs = { items: 'a\nb', command: 'echo {} >> ran.txt', history: 'history.json' }
    keepHistory(await attempt(dir, inputs, 1200, 1), join(dir, 'history.json'))
    takeRan(dir)
    const before = readFileSync(join(dir, 'history.json'), 'utf8')
    const dry = await attempt(
      dir,
      { ...inputs, 'skip-passed': 'rerun', 'dry-run': 'true' },
      1200,
      2
    )
    expect(dry.code).toBe(0)
    expect(takeRan(dir)).toEqual([])
    expect(statusByItem(dry)).toEqual({ a: 'reused', b: 'reused' })
    expect(JSON.parse(readFileSync(dry.outputs['history-file'] as string, 'utf8'))).toEqual(
      JSON.parse(before)
    )
  })
})

describe('a re-run attempt of one shard', () => {
  it('splits as the first attempt did, runs only what failed there, and merges', async () => {
    const dir = workspace()
    const items = Array.from({ length: 6 }, (_, index) => `item-${index}`)
    // An earlier run where item-0 and item-4 took longest: attempt 1 balances the shards by it.
    const slow = 'case {} in item-0) sleep 0.6;; item-4) sleep 0.4;; esac'
    keepHistory(
      await attempt(dir, { items: items.join('\n'), command: slow }, 1299),
      join(dir, 'history.json')
    )
    writeFileSync(join(dir, 'fail-once'), '')
    const inputs = {
      items: items.join('\n'),
      command:
        'echo {} >> ran.txt; [ {} != item-4 ] || [ ! -e fail-once ] || { rm fail-once; exit 1; }',
      history: 'history.json',
      'skip-passed': 'rerun'
    }
    const shardFile = (index: number): string => join(dir, 'shards', String(index), 'results.json')
    const firstShards = []
    for (const index of [0, 1]) {
      const run = await attempt(dir, { ...inputs, shard: `${index}/2` }, 1300, 1)
      mkdirSync(join(dir, 'shards', String(index)), { recursive: true })
      copyFileSync(run.outputs['results-file'] as string, shardFile(index))
      firstShards.push(run)
    }
    // Balanced by durations, item-0 and item-4 are on different shards (dealt round-robin, both on 0).
    const failing = firstShards.findIndex(run => run.outputs.failed === '1')
    expect(failing).toBe(1)
    expect(takeRan(dir)).toEqual(items)
    // The merge starts from no history: what it saves knows nothing of the run that balanced them.
    const merge = { 'merge-results': 'shards/**/results.json', history: 'none.json' }
    const firstMerge = await attempt(dir, merge, 1300, 1)
    expect(firstMerge.code).toBe(1)
    keepHistory(firstMerge, join(dir, 'history.json'))

    // Attempt 2 re-runs the failed shard and the merge, reading what the merge saved.
    const rerun = await attempt(dir, { ...inputs, shard: `${failing}/2` }, 1300, 2)
    expect(rerun.code).toBe(0)
    expect(rerun.log).toContain('split as the first attempt of this run split them')
    expect(takeRan(dir)).toEqual(['item-4'])
    const split = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8')).shard
    const firstSplit = split(shardFile(failing)) as { splitDigest: string; items: unknown[] }
    expect(split(rerun.outputs['results-file'] as string)).toMatchObject({
      splitDigest: firstSplit.splitDigest
    })
    copyFileSync(rerun.outputs['results-file'] as string, shardFile(failing))
    const secondMerge = await attempt(dir, { ...merge, history: 'history.json' }, 1300, 2)
    expect(secondMerge.code).toBe(0)
    const reused = String(firstSplit.items.length - 1)
    expect(rerun.outputs.reused).toBe(reused)
    expect(secondMerge.outputs).toMatchObject({ total: '6', failed: '0', reused })
    expect(statusByItem(secondMerge)['item-4']).toBe('success')
    // The merged history counts each item's run of attempt 1 once, and item-4's of attempt 2.
    const merged = historyOf(secondMerge)
    expect(merged.items['item-0']?.runs).toBe(1)
    expect(merged.items['item-4']).toMatchObject({ runs: 2, failures: 1 })
    rmSync(dir, { recursive: true, force: true })
  })
})
