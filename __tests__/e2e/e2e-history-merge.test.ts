import { describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ActionRun } from '../helpers/action.js'
import { attempt, historyOf, keepHistory, workspace } from '../helpers/history-runs.js'

// A merge job's history through dist/index.js: what the summary and log say of it, and what a
// merge of dry runs or of files written outside a workflow run leaves in it.

/** steady and wobbly-item; wobbly-item fails once while the file wobble-once is there. */
const INPUTS = {
  items: 'steady\nwobbly-item',
  command: '[ {} != wobbly-item ] || [ ! -e wobble-once ] || { rm wobble-once; exit 1; }',
  retries: '1',
  'retry-delay': '0s',
  history: 'history.json'
}

const MERGE = { 'merge-results': 'shards/**/results.json', history: 'history.json' }

/** Keeps a shard's results file where the merge finds it. */
function keepShard(dir: string, index: number, run: ActionRun): void {
  mkdirSync(join(dir, 'shards', String(index)), { recursive: true })
  copyFileSync(
    run.outputs['results-file'] as string,
    join(dir, 'shards', String(index), 'results.json')
  )
}

describe('a merge job and the history', () => {
  it('names the items flaky in recent runs and says how many results were reused', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'wobble-once'), '')
    keepHistory(await attempt(dir, INPUTS, 1400, 1), join(dir, 'history.json'))
    const sharded = { ...INPUTS, 'skip-passed': 'rerun' }
    for (const index of [0, 1])
      keepShard(dir, index, await attempt(dir, { ...sharded, shard: `${index}/2` }, 1401, 1))
    keepHistory(await attempt(dir, MERGE, 1401, 1), join(dir, 'history.json'))
    // Attempt 2 re-runs shard 0 with what that merge saved: its item passed, so it is reused.
    const rerun = await attempt(dir, { ...sharded, shard: '0/2' }, 1401, 2)
    expect(rerun.outputs.reused).toBe('1')
    keepShard(dir, 0, rerun)
    const merge = await attempt(dir, MERGE, 1401, 2)
    expect(merge.code).toBe(0)
    expect(merge.outputs).toMatchObject({ total: '2', reused: '1', flaky: '0' })
    expect(merge.log).toContain(
      'Merged 2 results files of 2 shards: 2 results. 1 of them reused: they succeeded before with the same command and did not run again.'
    )
    expect(merge.summary).toMatch(/[Ff]laky in recent runs[\s\S]*wobbly-item/)
    rmSync(dir, { recursive: true, force: true })
  })

  it('leaves the history as it was after a merge of dry runs', async () => {
    const dir = workspace()
    keepHistory(await attempt(dir, INPUTS, 1500, 1), join(dir, 'history.json'))
    const before = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as unknown
    for (const index of [0, 1]) {
      const dry = { ...INPUTS, shard: `${index}/2`, 'dry-run': 'true' }
      keepShard(dir, index, await attempt(dir, dry, 1501, 1))
    }
    const merge = await attempt(dir, MERGE, 1501, 1)
    expect(merge.code).toBe(0)
    expect(historyOf(merge)).toEqual(before)
    rmSync(dir, { recursive: true, force: true })
  })

  it('counts nothing twice when a merge of files written outside a workflow run runs again', async () => {
    const dir = workspace()
    keepHistory(await attempt(dir, INPUTS, 1600, 1), join(dir, 'history.json'))
    const outside = { GITHUB_RUN_ID: '', GITHUB_RUN_ATTEMPT: '' }
    for (const index of [0, 1]) {
      const shard = { ...INPUTS, shard: `${index}/2` }
      keepShard(dir, index, await attempt(dir, shard, 0, 1, { env: outside }))
    }
    const first = await attempt(dir, MERGE, 1601, 1)
    keepHistory(first, join(dir, 'history.json'))
    const again = await attempt(dir, MERGE, 1601, 2)
    expect(historyOf(again).items.steady?.runs).toBe(1)
    expect(historyOf(again).runs).toHaveLength(1)
    expect(again.log).toContain(
      'History: not recorded: 2 results of files written outside a workflow run (no run id).'
    )
    rmSync(dir, { recursive: true, force: true })
  })
})
