import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction } from '../helpers/action.js'

interface Result {
  item: unknown
  status: string
  needs?: string[]
  command: string
}

const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

describe('named tasks with dependencies', () => {
  it('starts each task once its needs succeeded, and skips what needs a failure', async () => {
    const run = await runAction({
      tasks: [
        'build: sleep 0.3; echo built > built.txt',
        'lint: echo lint',
        'unit:',
        '  run: cat built.txt && echo "unit sees $LEVEL"',
        '  needs: build',
        '  env:',
        '    LEVEL: deep',
        'broken: exit 3',
        'deploy:',
        '  run: echo never',
        '  needs: [unit, broken]'
      ].join('\n'),
      'max-workers': '4'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => [r.item, r.status, r.needs])).toEqual([
      ['build', 'success', []],
      ['lint', 'success', []],
      ['unit', 'success', ['build']],
      ['broken', 'failure', []],
      ['deploy', 'skipped', ['unit', 'broken']]
    ])
    expect(run.log).toContain('built\nunit sees deep')
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    expect(file.results[4].skipReason).toBe('broken failed')
    expect(run.log).toContain('::error::1 of 5 tasks did not succeed (1 failed): broken.')
  })

  it('refuses a cycle before running anything, printing it', async () => {
    const run = await runAction({
      tasks: 'a:\n  run: touch ran\n  needs: b\nb:\n  run: touch ran\n  needs: a'
    })
    expect(run.code).toBe(1)
    expect(run.log).toContain('::error::Invalid tasks: the needs form a cycle: a → b → a.')
  })
})

describe('halt policies, end to end', () => {
  it('fail-fast N with drain lets running tasks finish and skips the rest', async () => {
    const run = await runAction({
      items: 'slow\nbad1\nbad2\nx1\nx2\nx3',
      command: 'case {} in bad*) exit 1;; *) sleep 1;; esac',
      'max-workers': '3',
      'fail-fast': '2',
      'fail-fast-mode': 'drain'
    })
    // x1 starts when bad1's worker frees up; bad2's failure halts the run: nothing more starts,
    // and what runs (slow, x1) is left to finish.
    expect(results(run.outputs).map(r => r.status)).toEqual([
      'success',
      'failure',
      'failure',
      'success',
      'skipped',
      'skipped'
    ])
    expect(run.summary).toContain('Halted early: fail-fast: 2 tasks did not succeed.')
  })

  it('fail-fast N% counts a share of all tasks', async () => {
    const run = await runAction({
      items: Array.from({ length: 10 }, (_, i) => String(i)).join('\n'),
      command: '[ {} -lt 2 ] && exit 1; sleep 5',
      'max-workers': '2',
      'fail-fast': '20%'
    })
    // 20% of 10 is 2: task 3 starts after the first failure and is cancelled by the second.
    expect(run.outputs).toMatchObject({ failed: '2', cancelled: '1', skipped: '7', succeeded: '0' })
  })

  it('stop-on-success takes the first task to succeed, cancels the rest, and the step succeeds', async () => {
    const run = await runAction({
      items: 'mirror-a\nmirror-b\nmirror-c',
      command: '[ {} = mirror-b ] && { sleep 0.2; echo answered; exit 0; }; sleep 30',
      'max-workers': '3',
      'stop-on-success': '1'
    })
    expect(run.code).toBe(0)
    expect(results(run.outputs).map(r => r.status)).toEqual(['cancelled', 'success', 'cancelled'])
  })

  it('total-timeout stops running tasks as timed-out, skips the rest, and still reports', async () => {
    const started = Date.now()
    const run = await runAction({
      items: 'a\nb\nc',
      command: 'sleep 30',
      'max-workers': '2',
      'total-timeout': '1s'
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => r.status)).toEqual(['timed-out', 'timed-out', 'skipped'])
    expect(run.summary).toContain('total-timeout of 1.0s ran out')
    expect(run.log).toMatch(/^Halted early: total-timeout of 1\.0s ran out\.$/m)
  })

  it('priorities start the highest first', async () => {
    const run = await runAction({
      items: '[{"n": "low"}, {"n": "high", "priority": 10}, {"n": "mid", "priority": 5}]',
      command: 'echo {n} >> order.txt',
      'max-workers': '1'
    })
    expect(readFileSync(`${run.dir}/order.txt`, 'utf8')).toBe('high\nmid\nlow\n')
    // Results stay in input order.
    expect(results(run.outputs).map(r => (r.item as { n: string }).n)).toEqual([
      'low',
      'high',
      'mid'
    ])
  })
})

describe('job log and dry run', () => {
  it('writes one JSON line per finished task as the run goes', async () => {
    const run = await runAction({ items: 'a\nb', command: 'exit {#}', 'max-workers': '1' })
    const lines = readFileSync(run.outputs['job-log'] as string, 'utf8')
      .trim()
      .split('\n')
      .map(line => JSON.parse(line))
    expect(
      lines.map(line => [line.seq, line.slot, line.exitCode, line.status, line.item, line.attempts])
    ).toEqual([
      [1, 1, 1, 'failure', 'a', 1],
      [2, 1, 2, 'failure', 'b', 1]
    ])
    expect(typeof lines[0].start).toBe('number')
    expect(typeof lines[0].runtime).toBe('number')
    expect(lines[0].command).toBe('exit 1')
  })

  it('dry-run prints every command and the needs, runs nothing, and reports all skipped', async () => {
    const run = await runAction({
      tasks: 'a: touch ran-a\nb:\n  run: touch ran-b\n  needs: a',
      'dry-run': 'true'
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Dry run: 2 tasks, nothing is run.')
    expect(run.log).toContain('#2 b  (needs a)\n  touch ran-b')
    expect(run.outputs).toMatchObject({ total: '2', skipped: '2' })
    expect(readFileSync(`${run.dir}/github-output`, 'utf8')).not.toContain('ran-a\n')
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })
})

describe('timing-aware scheduling', () => {
  it('starts the longest known task first and writes timings for the next run', async () => {
    const first = await runAction({
      items: 'quick1\nquick2\nslow',
      // Known durations apart by far more than a loaded machine's noise: 600, 200 and ~0 ms.
      command: '[ {} = slow ] && sleep 0.6; [ {} = quick1 ] && sleep 0.2; echo {} >> order.txt',
      'max-workers': '1'
    })
    expect(readFileSync(`${first.dir}/order.txt`, 'utf8')).toBe('quick1\nquick2\nslow\n')
    const timings = first.outputs['timings-file'] as string
    const second = await runAction({
      items: 'quick1\nquick2\nslow',
      // Known durations apart by far more than a loaded machine's noise: 600, 200 and ~0 ms.
      command: '[ {} = slow ] && sleep 0.6; [ {} = quick1 ] && sleep 0.2; echo {} >> order.txt',
      'max-workers': '1',
      timings
    })
    expect(readFileSync(`${second.dir}/order.txt`, 'utf8')).toBe('slow\nquick1\nquick2\n')
    expect(second.log).toContain('Durations known for 3 of 3: the longest start first.')
    expect(results(second.outputs).map(r => r.item)).toEqual(['quick1', 'quick2', 'slow'])
  })

  it('runs in input order when the timings file is missing', async () => {
    const run = await runAction({ items: 'a', command: 'true', timings: 'nope.json' })
    expect(run.code).toBe(0)
    expect(run.log).toContain("History not used: no file at '")
  })
})
