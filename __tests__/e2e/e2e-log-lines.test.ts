import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction } from '../helpers/action.js'

/** The lines of a log that are the action's prose: not task output, not annotations. */
function ownLines(log: string): string[] {
  return log
    .split('\n')
    .filter(line => /^(::group::|⏭️|Running|Done|Halted)/.test(line) || line.includes('── attempt'))
}

describe('the log of a run with failures, a time-out, a retry and skipped tasks', () => {
  it('titles groups with # and the name, in plain English, and gives each skipped task a line naming its needs', async () => {
    const run = await runAction({
      tasks: [
        'build: echo built',
        'test: echo "FAIL app.test.js"; exit 1',
        'e2e:',
        '  run: sleep 5',
        '  timeout: 1s',
        'flaky:',
        '  run: if [ ! -e tried ]; then touch tried; exit 2; fi; echo ok',
        '  retries: 1',
        'deploy:',
        '  run: echo never',
        '  needs: [build, test, e2e]',
        'notify:',
        '  run: echo never',
        '  needs: deploy'
      ].join('\n'),
      'max-workers': '4',
      'retry-delay': '0'
    })
    expect(run.code).toBe(1)
    const log = run.log
    expect(log).toMatch(/^::group::✅ #1 build: succeeded in \S+$/m)
    expect(log).toMatch(/^::group::❌ #2 test: failed \(exit code 1\) in \S+$/m)
    expect(log).toMatch(/^::group::⏱️ #3 e2e: timed out \(SIGTERM, exit code 143\) after \S+$/m)
    expect(log).toMatch(/^::group::✅ #4 flaky: succeeded in \S+ \(2 attempts\)$/m)
    expect(log).toContain('── attempt 1 of 2 failed (exit code 2); retrying in 0ms ──')
    // deploy waits for e2e's time-out, then names both needs that did not succeed.
    expect(log).toContain('\n⏭️ #5 deploy: skipped, because test failed and e2e timed out\n')
    expect(log).toContain('\n⏭️ #6 notify: skipped, because deploy was skipped\n')
    expect(log.indexOf('⏭️ #5 deploy')).toBeGreaterThan(log.indexOf('⏱️ #3 e2e'))
    expect(log).toMatch(/^Done in \S+: 2 succeeded, 1 failed, 1 timed out, 2 skipped\.$/m)
    // No status value where prose is expected.
    for (const line of ownLines(log)) {
      expect(line).not.toMatch(/\b(failure|timed-out|ended)\b|\[\d+\/\d+\]/)
    }

    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    expect(file.results.map((r: { skipReason?: string }) => r.skipReason)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'test failed and e2e timed out',
      'deploy was skipped'
    ])
  }, 30_000)

  it('names the task that halted a fail-fast run in plain English', async () => {
    const run = await runAction({
      items: 'slow\nbad',
      command: 'if [ {} = bad ]; then exit 1; fi; sleep 5',
      'fail-fast': 'true',
      'max-workers': '2'
    })
    expect(run.summary).toContain('fail-fast after task 2 (bad) failed')
    expect(run.log).toMatch(/^Halted early: fail-fast after task 2 \(bad\) failed\.$/m)
    expect(run.log).toMatch(
      /^::group::⛔ #1 slow: cancelled \(SIGTERM, exit code 143\) after \S+$/m
    )
  }, 30_000)
})
