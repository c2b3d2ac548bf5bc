import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

describe('the job summary of the bundled action', () => {
  it('is titled by summary-title, else the step’s id, else parallel-exec', async () => {
    const inputs = { items: 'a\nb', command: 'echo {}' }
    const [byId, noId, given] = await Promise.all([
      runAction(inputs, { env: { GITHUB_ACTION: 'lint-and-test' } }),
      runAction(inputs, { env: { GITHUB_ACTION: '__run_2' } }),
      runAction(
        { ...inputs, 'summary-title': ' Unit <tests> *web* ' },
        { env: { GITHUB_ACTION: 'lint-and-test' } }
      )
    ])
    expect(byId.summary).toMatch(/^<h2>✅ lint-and-test: 2 of 2 succeeded<\/h2>\n/)
    expect(noId.summary).toMatch(/^<h2>✅ parallel-exec: 2 of 2 succeeded<\/h2>\n/)
    expect(given.summary).toMatch(/^<h2>✅ Unit &lt;tests&gt; \*web\*: 2 of 2 succeeded<\/h2>\n/)
  })

  it('refuses a summary-title of two lines before any command runs, naming the input', async () => {
    const run = await runAction({
      items: 'a',
      command: 'touch ran-{}',
      'summary-title': 'lint\ntest'
    })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid summary-title 'lint⏎test'. Expected one line: the title of the job summary."
    )
    expect(existsSync(join(run.dir, 'ran-a'))).toBe(false)
  })

  it('puts the failed task and its output first, and the task that passed on a retry apart', async () => {
    const run = await runAction({
      tasks:
        'ok: echo fine\nbroken:\n  run: echo "FAIL one.test"; exit 3\n' +
        'flaky:\n  run: if [ ! -f once ]; then touch once; exit 1; fi\n  retries: 1\n',
      'retry-delay': '0'
    })
    expect(run.code).toBe(1)
    const summary = run.summary
    expect(summary).toContain(
      '<p>✅ <strong>2</strong> succeeded · ❌ <strong>1</strong> failed: <code>broken</code></p>\n'
    )
    expect(summary).toContain(
      '<h3>🔁 Flaky</h3>\n\n<p>1 task failed, then succeeded on a retry: <code>flaky</code> (2 attempts).</p>'
    )
    const failure = summary.indexOf(
      '<details open><summary>❌ <code>broken</code> failed (exit code 3) · '
    )
    expect(failure).toBeGreaterThan(0)
    expect(summary.indexOf('FAIL one.test')).toBeGreaterThan(failure)
    expect(summary.indexOf('<table>')).toBeGreaterThan(summary.indexOf('FAIL one.test'))
  })

  it('lists a task skipped for its needs with the failures, naming what it needed', async () => {
    const run = await runAction({
      tasks:
        'build: echo built\ntest:\n  run: exit 1\n  needs: build\n' +
        'deploy:\n  run: echo deploying\n  needs: [build, test]\n'
    })
    expect(run.summary).toContain('<p>⏭️ <code>deploy</code> skipped, because test failed</p>')
    expect(run.summary.indexOf('<p>⏭️')).toBeLessThan(run.summary.indexOf('<table>'))
  })

  it('lists no task a halt kept from starting, and annotates no task a won race cancelled', async () => {
    const run = await runAction({
      tasks: 'a: sleep 0.2; echo ok\nb: sleep 3\nc:\n  run: echo c\n  needs: b\n',
      'stop-on-success': '1',
      'max-workers': '2'
    })
    expect(run.code).toBe(0)
    expect(run.summary).not.toContain('<code>c</code> skipped')
    expect(run.log).not.toContain('::error')
    expect(run.summary).not.toMatch(/<summary>(❌|⛔)/)
    expect(run.summary).toMatch(/^<h2>✅ /)
    const failFast = await runAction({
      tasks: 'a: sleep 0.2; exit 1\nb: sleep 3\nc:\n  run: echo c\n  needs: b\n',
      'fail-fast': 'true',
      'max-workers': '2'
    })
    expect(failFast.code).toBe(1)
    expect(failFast.summary).toContain('<summary>⛔ <code>b</code> cancelled')
    expect(failFast.summary).not.toContain('<code>c</code> skipped')
  })
})
