import { describe, expect, it } from '@jest/globals'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ActionRun } from '../helpers/action.js'
import { attempt, keepHistory, statusByItem, workspace } from '../helpers/history-runs.js'

// Reused tasks that need reused tasks, end to end through dist/index.js: none of them runs, each
// gets one result and one job log line.

/** A task that leaves a marker file of its own in `ran/` each time it runs. */
const marking = (name: string): string => `mktemp ran/${name}.XXXXXX`

/** How many times each task ran since the last call, by its marker files, which it then clears. */
function takeRuns(dir: string): Record<string, number> {
  const runs: Record<string, number> = {}
  for (const file of readdirSync(join(dir, 'ran'))) {
    const task = file.split('.')[0] as string
    runs[task] = (runs[task] ?? 0) + 1
    rmSync(join(dir, 'ran', file))
  }
  return runs
}

/** The job log's lines as [task, status], in the order written. */
function jobLog(run: ActionRun): [unknown, string][] {
  const path = run.outputs['job-log'] as string
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as { item: unknown; status: string })
    .map(({ item, status }) => [item, status])
}

describe('reused tasks that need reused tasks', () => {
  it('runs none of build → test → deploy when all are unchanged, each reused once', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'ran'))
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'src', 'main.c'), 'int main() {}')
    const inputs = {
      tasks: [
        'build:',
        `  run: ${marking('build')}`,
        '  sources: [src/**]',
        'test:',
        `  run: ${marking('test')}`,
        '  needs: build',
        '  sources: [src/**]',
        'deploy:',
        `  run: ${marking('deploy')}`,
        '  needs: test',
        '  sources: [src/**]'
      ].join('\n'),
      history: 'history.json',
      'skip-passed': 'unchanged'
    }
    keepHistory(await attempt(dir, inputs, 720, 1), join(dir, 'history.json'))
    expect(takeRuns(dir)).toEqual({ build: 1, test: 1, deploy: 1 })
    const second = await attempt(dir, inputs, 721, 1)
    expect(second.code).toBe(0)
    expect(takeRuns(dir)).toEqual({})
    expect(statusByItem(second)).toEqual({ build: 'reused', test: 'reused', deploy: 'reused' })
    expect(second.outputs.reused).toBe('3')
    expect(jobLog(second)).toEqual([
      ['build', 'reused'],
      ['test', 'reused'],
      ['deploy', 'reused']
    ])
    expect(second.log).not.toMatch(/::error/)
    expect(second.log).toContain('Nothing to run: all 3 tasks were reused.')
    expect(second.log).toContain('Done: nothing ran, 3 reused.')
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs in a re-run attempt only the task that failed, not the reused test of a reused build', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'ran'))
    writeFileSync(join(dir, 'lint-fails'), '')
    const inputs = {
      tasks: [
        `build: ${marking('build')}`,
        'test:',
        `  run: ${marking('test')}`,
        '  needs: build',
        `lint: ${marking('lint')}; test ! -e lint-fails`
      ].join('\n'),
      history: 'history.json',
      'skip-passed': 'rerun'
    }
    const first = await attempt(dir, inputs, 730, 1)
    expect(first.code).toBe(1)
    keepHistory(first, join(dir, 'history.json'))
    expect(takeRuns(dir)).toEqual({ build: 1, test: 1, lint: 1 })
    rmSync(join(dir, 'lint-fails'))
    const second = await attempt(dir, inputs, 730, 2)
    expect(second.code).toBe(0)
    expect(takeRuns(dir)).toEqual({ lint: 1 })
    expect(statusByItem(second)).toEqual({ build: 'reused', test: 'reused', lint: 'success' })
    expect(jobLog(second).sort()).toEqual([
      ['build', 'reused'],
      ['lint', 'success'],
      ['test', 'reused']
    ])
    expect(second.log).not.toMatch(/::error/)
    rmSync(dir, { recursive: true, force: true })
  })
})
