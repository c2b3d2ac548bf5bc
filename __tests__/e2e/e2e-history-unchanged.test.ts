import { describe, expect, it } from '@jest/globals'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'
import { attempt, keepHistory, resultsOf, takeRan, workspace } from '../helpers/history-runs.js'

// skip-passed: unchanged through dist/index.js, where the items' texts stay the same: only the
// command template or one item's sources change, and exactly what that touches runs again.

const NAMES = ['a', 'b', 'c']

/** Three packages a, b and c with a file each; the inputs that run one task per package. */
function packages(dir: string): Record<string, string> {
  for (const name of NAMES) {
    mkdirSync(join(dir, 'pkgs', name), { recursive: true })
    writeFileSync(join(dir, 'pkgs', name, 'one.txt'), `one of ${name}`)
  }
  return {
    items: NAMES.join('\n'),
    command: 'echo {} >> ran.txt',
    sources: 'pkgs/{}/**',
    history: 'history.json',
    'skip-passed': 'unchanged'
  }
}

describe('skip-passed: unchanged, the same items', () => {
  it('runs everything again when the command template changed, and nothing after that', async () => {
    const dir = workspace()
    const inputs = packages(dir)
    keepHistory(await attempt(dir, inputs, 500, 1), join(dir, 'history.json'))
    expect(takeRan(dir)).toEqual(NAMES)

    // An added argument: every item's rendered command changes, none of their texts or sources.
    const changed = { ...inputs, command: 'echo {} --verbose >> ran.txt' }
    const second = await attempt(dir, changed, 501, 1)
    expect(second.code).toBe(0)
    expect(takeRan(dir)).toEqual(NAMES.map(name => `${name} --verbose`))
    expect(second.outputs.reused).toBe('0')
    keepHistory(second, join(dir, 'history.json'))

    const third = await attempt(dir, changed, 502, 1)
    expect(takeRan(dir)).toEqual([])
    expect(resultsOf(third).map(result => result.reusedFrom?.runId)).toEqual([501, 501, 501])
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs again only the item whose sources file changed, its text and command the same', async () => {
    const dir = workspace()
    const inputs = packages(dir)
    keepHistory(await attempt(dir, inputs, 600, 1), join(dir, 'history.json'))
    expect(takeRan(dir)).toEqual(NAMES)

    writeFileSync(join(dir, 'pkgs', 'b', 'one.txt'), 'one of b, changed')
    const second = await attempt(dir, inputs, 601, 1)
    expect(second.code).toBe(0)
    expect(takeRan(dir)).toEqual(['b'])
    expect(resultsOf(second).map(result => result.status)).toEqual(['reused', 'success', 'reused'])
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('skip-passed outside a workflow run attempt', () => {
  it('says in one line that nothing is reused by attempt, naming what is missing', async () => {
    const dir = workspace()
    const inputs = { items: 'a', command: 'true', history: 'history.json', 'skip-passed': 'rerun' }
    const run = await runAction(inputs, { dir, env: { GITHUB_RUN_ID: '5', GITHUB_WORKSPACE: dir } })
    expect(run.code).toBe(0)
    const lines = run.log.split('\n').filter(line => line.includes('GITHUB_RUN'))
    expect(lines).toEqual([
      'Reused no task (skip-passed: rerun): GITHUB_RUN_ATTEMPT is not set, so this is no attempt of a workflow run.'
    ])
    rmSync(dir, { recursive: true, force: true })
  })
})
