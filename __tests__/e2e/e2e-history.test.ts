import { describe, expect, it } from '@jest/globals'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  attempt,
  historyOf,
  keepHistory,
  REPOSITORY,
  resultsOf,
  SERVER,
  statusByItem,
  takeRan,
  workspace
} from '../helpers/history-runs.js'

// The run history end to end, through dist/index.js: re-run attempts, unchanged sources, tasks.

/** Items a, b and c; c fails until the file `fixed` exists. Each run appends its item to ran.txt. */
const ABC = {
  items: 'a\nb\nc',
  command: 'echo {} >> ran.txt; [ {} != c ] || [ -e fixed ]',
  history: 'history.json'
}

describe('skip-passed: rerun', () => {
  it('runs in a re-run attempt only what did not succeed in the earlier one', async () => {
    const dir = workspace()
    const first = await attempt(dir, ABC, 100, 1)
    expect(first.code).toBe(1)
    expect(first.outputs.failed).toBe('1')
    // No history yet: a notice, and the run goes on as a first run.
    expect(first.log).toMatch(/::notice[^\n]*history/i)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    keepHistory(first, join(dir, 'history.json'))

    writeFileSync(join(dir, 'fixed'), '')
    const second = await attempt(dir, { ...ABC, 'skip-passed': 'rerun' }, 100, 2)
    expect(second.code).toBe(0)
    expect(takeRan(dir)).toEqual(['c'])
    expect(second.outputs).toMatchObject({ total: '3', succeeded: '1', reused: '2', failed: '0' })
    expect(statusByItem(second)).toEqual({ a: 'reused', b: 'reused', c: 'success' })
    const reusedA = resultsOf(second)[0]
    expect(reusedA?.reusedFrom).toMatchObject({ runId: 100, attempt: 1 })
    expect(Date.parse(reusedA?.reusedFrom?.at ?? '')).toBeGreaterThan(Date.now() - 120_000)
    expect(second.log).toMatch(/Reused 2 of 3\b[^\n]*/)
    expect(second.summary).toContain(`${SERVER}/${REPOSITORY}/actions/runs/100/attempts/1`)
    keepHistory(second, join(dir, 'history.json'))

    // Attempt 3 runs nothing: a and b still stand on attempt 1, c on attempt 2.
    const third = await attempt(dir, { ...ABC, 'skip-passed': 'rerun' }, 100, 3)
    expect(third.code).toBe(0)
    expect(takeRan(dir)).toEqual([])
    expect(resultsOf(third).map(result => result.reusedFrom?.attempt)).toEqual([1, 1, 2])
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs everything in a new workflow run, and everything without skip-passed', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'fixed'), '')
    const first = await attempt(dir, ABC, 200, 1)
    keepHistory(first, join(dir, 'history.json'))
    takeRan(dir)
    const newRun = await attempt(dir, { ...ABC, 'skip-passed': 'rerun' }, 201, 1)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    expect(newRun.outputs.reused).toBe('0')
    const never = await attempt(dir, ABC, 200, 2)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    expect(never.outputs.reused).toBe('0')
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs an item again when its command changed since the attempt it passed in', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'fixed'), '')
    keepHistory(await attempt(dir, ABC, 300, 1), join(dir, 'history.json'))
    takeRan(dir)
    const changed = { ...ABC, command: `${ABC.command} # changed`, 'skip-passed': 'rerun' }
    await attempt(dir, changed, 300, 2)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    rmSync(dir, { recursive: true, force: true })
  })
})

/** Five packages with a file or two each, as objects whose `flag` goes into the command. */
function packages(dir: string): string {
  for (const name of ['a', 'b', 'c', 'd', 'e']) {
    mkdirSync(join(dir, 'pkgs', name), { recursive: true })
    writeFileSync(join(dir, 'pkgs', name, 'one.txt'), `one of ${name}`)
    writeFileSync(join(dir, 'pkgs', name, 'two.txt'), `two of ${name}`)
  }
  return ['a', 'b', 'c', 'd', 'e'].map(name => JSON.stringify({ name, flag: 'x' })).join('\n')
}

describe('skip-passed: unchanged', () => {
  it('runs again exactly the items whose sources or command changed since they passed', async () => {
    const dir = workspace()
    const inputs = {
      items: packages(dir),
      command: 'echo {name} >> ran.txt; echo {flag}',
      sources: 'pkgs/{name}/**',
      history: 'history.json',
      'skip-passed': 'unchanged'
    }
    keepHistory(await attempt(dir, inputs, 400, 1), join(dir, 'history.json'))
    expect(takeRan(dir)).toEqual(['a', 'b', 'c', 'd', 'e'])

    writeFileSync(join(dir, 'pkgs', 'a', 'one.txt'), 'changed') // content
    writeFileSync(join(dir, 'pkgs', 'b', 'three.txt'), 'new') // added
    rmSync(join(dir, 'pkgs', 'c', 'two.txt')) // removed
    // A new item (its text changed) has no history: it runs.
    const items = inputs.items.replace('{"name":"d","flag":"x"}', '{"name":"d","flag":"y"}')
    const second = await attempt(dir, { ...inputs, items }, 401, 1)
    expect(second.code).toBe(0)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c', 'd'])
    expect(second.outputs.reused).toBe('1')
    expect(resultsOf(second)[4]?.reusedFrom).toMatchObject({ runId: 400, attempt: 1 })
    keepHistory(second, join(dir, 'history.json'))

    // Nothing changed since: everything is reused, each from the run it last passed in.
    const third = await attempt(dir, { ...inputs, items }, 402, 1)
    expect(takeRan(dir)).toEqual([])
    expect(resultsOf(third).map(result => result.reusedFrom?.runId)).toEqual([
      401, 401, 401, 401, 400
    ])
    rmSync(dir, { recursive: true, force: true })
  })

  it('never skips items without sources across runs', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'fixed'), '')
    const inputs = { ...ABC, 'skip-passed': 'unchanged' }
    keepHistory(await attempt(dir, inputs, 500, 1), join(dir, 'history.json'))
    takeRan(dir)
    await attempt(dir, inputs, 501, 1)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    rmSync(dir, { recursive: true, force: true })
  })

  it.each(['/etc/*', '../outside/*', 'pkgs/{}/../../../elsewhere/*'])(
    'refuses sources %s outside the workspace before anything runs',
    async sources => {
      const dir = workspace()
      const run = await attempt(dir, { ...ABC, sources, 'skip-passed': 'unchanged' }, 600, 1)
      expect(run.code).toBe(1)
      expect(run.log).toMatch(/::error::Invalid sources '[^\n]*outside the workspace/)
      expect(takeRan(dir)).toEqual([])
      rmSync(dir, { recursive: true, force: true })
    }
  )

  it('refuses skip-passed sometimes, naming the input', async () => {
    const dir = workspace()
    const run = await attempt(dir, { ...ABC, 'skip-passed': 'sometimes' }, 600, 1)
    expect(run.code).toBe(1)
    expect(run.log).toContain("::error::Invalid skip-passed 'sometimes'.")
    expect(takeRan(dir)).toEqual([])
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('named tasks with history', () => {
  it('lets a task run that needs a reused one', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'src', 'main.c'), 'int main() {}')
    const inputs = {
      tasks: [
        'build:',
        '  run: echo build >> ran.txt',
        '  sources: [src/**]',
        'test:',
        '  run: echo test >> ran.txt',
        '  needs: build'
      ].join('\n'),
      history: 'history.json',
      'skip-passed': 'unchanged'
    }
    keepHistory(await attempt(dir, inputs, 700, 1), join(dir, 'history.json'))
    expect(takeRan(dir)).toEqual(['build', 'test'])
    const second = await attempt(dir, inputs, 701, 1)
    expect(second.code).toBe(0)
    expect(takeRan(dir)).toEqual(['test'])
    expect(statusByItem(second)).toEqual({ build: 'reused', test: 'success' })
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('named tasks with sources', () => {
  it('runs again only the task whose command changed, its sources unchanged', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'src', 'lib.c'), 'int x;')
    const tasks = (lintFlags: string): string =>
      [
        'lint:',
        `  run: FLAGS=${lintFlags}; echo lint >> ran.txt`,
        '  sources: src/**',
        'test:',
        '  run: echo test >> ran.txt',
        '  sources: src/**'
      ].join('\n')
    const inputs = { history: 'history.json', 'skip-passed': 'unchanged' }
    keepHistory(
      await attempt(dir, { ...inputs, tasks: tasks('-q') }, 710, 1),
      join(dir, 'history.json')
    )
    expect(takeRan(dir)).toEqual(['lint', 'test'])
    const second = await attempt(dir, { ...inputs, tasks: tasks('--strict') }, 711, 1)
    expect(takeRan(dir)).toEqual(['lint'])
    expect(statusByItem(second)).toEqual({ lint: 'success', test: 'reused' })
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('a history that cannot be used', () => {
  it.each([
    ['corrupt', '{'],
    ['foreign', '{"a":1}'],
    ['newer', '{"version":99,"kind":"parallel-exec-history","runs":[],"items":{}}'],
    ['a directory', null]
  ])('is a notice when %s, and every item runs', async (_, content) => {
    const dir = workspace()
    writeFileSync(join(dir, 'fixed'), '')
    if (content === null) mkdirSync(join(dir, 'history.json'))
    else writeFileSync(join(dir, 'history.json'), content)
    const run = await attempt(dir, { ...ABC, 'skip-passed': 'rerun' }, 800, 2)
    expect(run.code).toBe(0)
    expect(run.log).toMatch(/::notice[^\n]*history/i)
    expect(takeRan(dir)).toEqual(['a', 'b', 'c'])
    expect(Object.keys(historyOf(run).items).sort()).toEqual(['a', 'b', 'c'])
    rmSync(dir, { recursive: true, force: true })
  })
})
