import { describe, expect, it } from '@jest/globals'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { escapeHtml } from '../../src/report/markdown-escape.js'
import { HaltKind } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { marked } from 'marked'
import { leftOutLinesMark } from '../../src/model/left-out-lines.js'
import { wholeLinesWithin } from '../../src/report/whole-lines.js'
import { record, report } from '../helpers/records.js'
import { failureMessage } from '../../src/report/outputs.js'
import { junitXml } from '../../src/report/junit.js'

/** Where a piece of text starts in the summary, failing the test when it is not there. */
function at(text: string, piece: string): number {
  const index = text.indexOf(piece)
  if (index < 0) throw new Error(`Not in the summary: ${piece}`)
  return index
}

describe('the headline', () => {
  it('names the title, the failed tasks, the counts that are not zero, wall time and speed-up', () => {
    const text = buildSummary(
      report([
        record(0, 'a', TaskStatus.Success),
        record(1, 'b', TaskStatus.Failure, { outputTail: 'bad\n' }),
        record(2, 'c', TaskStatus.TimedOut, { exitCode: 143, signal: 'SIGTERM' })
      ]),
      'lint-and-test'
    )
    expect(text).toContain('<h2>❌ lint-and-test: 1 of 3 succeeded</h2>\n')
    expect(text).toContain(
      '<p>✅ <strong>1</strong> succeeded · ❌ <strong>1</strong> failed: <code>b</code> · ' +
        '⏱️ <strong>1</strong> timed out: <code>c</code></p>\n'
    )
    expect(text).not.toMatch(/<strong>0<\/strong>/)
    expect(text).toContain('Wall time **2.0s** on **2 workers** (bash)')
    expect(text).toContain('speed-up over running one by one: **1.5×**')
  })

  it('names the first five failed tasks, then how many more', () => {
    const records = Array.from({ length: 1200 }, (_, i) => record(i, `t${i}`, TaskStatus.Failure))
    const text = buildSummary(report(records))
    expect(text).toContain(
      '❌ <strong>1,200</strong> failed: <code>t0</code>, <code>t1</code>, <code>t2</code>, ' +
        '<code>t3</code>, <code>t4</code> and 1,195 more</p>\n'
    )
    expect(text).toContain('<h2>❌ parallel-exec: 0 of 1,200 succeeded</h2>')
  })

  it('names tasks that passed on a retry under Flaky, after the failures, apart from those that failed', () => {
    const text = buildSummary(
      report([
        record(0, 'flaky', TaskStatus.Success, { attempts: 2 }),
        record(1, 'broken', TaskStatus.Failure, { attempts: 3 }),
        record(2, 'fine', TaskStatus.Success)
      ])
    )
    expect(text).toContain(
      '<h3>🔁 Flaky</h3>\n\n<p>1 task failed, then succeeded on a retry: <code>flaky</code> (2 attempts).</p>\n'
    )
    expect(text).not.toMatch(/on a retry:.*broken/)
    expect(at(text, '🔁 Flaky')).toBeGreaterThan(at(text, '<code>broken</code> failed'))
    expect(at(text, '🔁 Flaky')).toBeLessThan(at(text, 'All 3 tasks'))
    expect(text).toContain('<code>broken</code> failed (exit code 1) · 1.0s · 3 attempts')
  })

  it('escapes the title, which may hold any characters', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Success)]),
      '<img src=x> [a](b) *c*'
    )
    expect(text).toContain('<h2>✅ &lt;img src=x&gt; [a](b) *c*: 1 of 1 succeeded</h2>')
  })

  it('does not count tasks cancelled by a won stop-on-success race as failures', () => {
    const text = buildSummary(
      report([record(0, 'fast', TaskStatus.Success), record(1, 'slow', TaskStatus.Cancelled)], {
        haltKind: HaltKind.Successes,
        haltReason: 'stop-on-success: 1 task succeeded'
      })
    )
    expect(text).toContain('<h2>✅ parallel-exec: 1 of 2 succeeded</h2>')
    expect(text).toContain('⛔ <strong>1</strong> cancelled</p>\n')
    expect(text).not.toContain('<code>slow</code> cancelled')
  })

  it('mentions a halt, escaped so an item cannot become an image or a link', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Skipped)], {
        haltReason: 'fail-fast after <x> (see ![pixel](https://example.invalid/t.png))'
      })
    )
    expect(text).toContain(
      '> [!WARNING]\n> <p>Halted early: fail-fast after &lt;x&gt; ' +
        '(see ![pixel](https://example.invalid/t.png)).</p>\n'
    )
  })
})

describe('failures first', () => {
  const run = report([
    record(0, 'build', TaskStatus.Success, { needs: [] }),
    record(1, 'lint', TaskStatus.TimedOut, { needs: [], exitCode: 143, signal: 'SIGTERM' }),
    record(2, 'test', TaskStatus.Failure, { needs: ['build'], outputTail: 'FAIL a.test\n' }),
    record(3, 'deploy', TaskStatus.Skipped, {
      needs: ['build', 'test'],
      skipReason: 'test failed',
      blockedBy: [2]
    }),
    record(4, 'docs', TaskStatus.Skipped, { needs: [], skipReason: 'not started: fail-fast' })
  ])
  const text = buildSummary(run)

  it('shows what did not succeed under the headline, the failed before the timed out, above the table', () => {
    const test = at(
      text,
      '<details open><summary>❌ <code>test</code> failed (exit code 1) · 1.0s</summary>'
    )
    const lint = at(
      text,
      '<details><summary>⏱️ <code>lint</code> timed out (SIGTERM, exit code 143) · 1.0s</summary>'
    )
    const deploy = at(text, '<p>⏭️ <code>deploy</code> skipped, because test failed</p>')
    expect(at(text, 'Wall time')).toBeLessThan(test)
    expect(test).toBeLessThan(lint)
    expect(lint).toBeLessThan(deploy)
    expect(deploy).toBeLessThan(at(text, '<table>'))
    expect(text).toContain('<pre>FAIL a.test\n</pre>')
  })

  it('leaves out tasks a halt kept from starting: they are counted, not failures', () => {
    expect(text).not.toContain('<p>⏭️ <code>docs</code>')
    expect(text).toContain('⏭️ <strong>2</strong> skipped')
  })

  it('lists a task skipped because of a skip for needs, down a chain, but none in a dry run', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      record(i, `t${i}`, i === 0 ? TaskStatus.Failure : TaskStatus.Skipped, {
        needs: i === 0 ? [] : [`t${i - 1}`],
        skipReason: 'the one before did not succeed',
        ...(i === 0 ? {} : { blockedBy: [i - 1] })
      })
    )
    const text = buildSummary(report(chain))
    expect(text).toContain('<p>⏭️ <code>t19</code> skipped, because the one before')
    expect(text).toContain('_19,980 more tasks did not succeed')
    const dryRun = chain.map(r => ({
      ...r,
      status: TaskStatus.Skipped,
      skipReason: 'dry run',
      blockedBy: undefined
    }))
    expect(buildSummary(report(dryRun.slice(0, 5), { dryRun: true }))).not.toContain('<p>⏭️')
  })

  it('does not list a task a halt skipped while its need still ran, whatever the need then became', () => {
    const halted = (haltKind: HaltKind, first: TaskStatus): string =>
      buildSummary(
        report(
          [
            record(0, 'a', first),
            record(1, 'b', TaskStatus.Cancelled, { exitCode: null, signal: 'SIGTERM' }),
            // No blockedBy: the scheduler skipped it for the halt, not for its needs.
            record(2, 'c', TaskStatus.Skipped, { needs: ['b'], skipReason: 'not started: halt' })
          ],
          { haltKind, haltReason: 'halt' }
        )
      )
    const raceWon = halted(HaltKind.Successes, TaskStatus.Success)
    expect(raceWon).toContain('<h2>✅ parallel-exec: 1 of 3 succeeded</h2>')
    expect(raceWon).not.toContain('<code>c</code> skipped')
    expect(raceWon).not.toMatch(/<summary>(❌|⏱️|⛔|⏭️)/)
    const failFast = halted(HaltKind.Failures, TaskStatus.Failure)
    expect(failFast).toContain('<summary>⛔ <code>b</code> cancelled')
    expect(failFast).not.toContain('<code>c</code> skipped')
    // Absent from a results file written before blockedBy: counted, not listed.
    expect(failFast).toContain('⏭️ <strong>1</strong> skipped</p>')
  })

  it('shows the output as recorded, cut only at line boundaries when it is over the limit', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} of the output`)
    const tail = lines.join('\n') + '\n'
    const one = buildSummary(
      report([record(0, 'x', TaskStatus.Failure, { outputTail: tail })]),
      'x',
      {
        ...DEFAULT_SUMMARY_LIMITS,
        maxTailChars: 1000
      }
    )
    const shown = /<pre>([\s\S]*)<\/pre>/.exec(one)?.[1] ?? ''
    const kept = shown.split('\n').filter(line => line !== '' && !line.startsWith('…'))
    expect(kept.length).toBeGreaterThan(10)
    for (const line of kept) expect(lines).toContain(line)
    expect(kept[0]).toBe('line 0 of the output')
    expect(kept.at(-1)).toBe('line 499 of the output')
    expect(shown).toMatch(/\n… \d+ lines left out …\n/)
    const whole = buildSummary(report([record(0, 'x', TaskStatus.Failure, { outputTail: tail })]))
    expect(whole).toContain(`<pre>${tail}</pre>`)
  })

  it('caps the tasks shown with their output and says where the others are', () => {
    const records = Array.from({ length: 100 }, (_, i) =>
      record(i, `item-${i}`, i % 10 === 9 ? TaskStatus.Failure : TaskStatus.Success)
    )
    const capped = buildSummary(report(records), 'x', { ...DEFAULT_SUMMARY_LIMITS, maxFailures: 3 })
    expect(capped.match(/<details( open)?><summary>❌/g)).toHaveLength(3)
    expect(capped.match(/<details open>/g)).toHaveLength(1)
    expect(capped).toContain(
      '_7 more tasks did not succeed; their output is not shown here. Every result is in the ' +
        '`results-file` output._'
    )
  })
})

describe('the table', () => {
  it('lists every task of a small run in input order, with no repeated defaults', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Success), record(1, 'b', TaskStatus.Failure)])
    )
    expect(text).toContain(
      '<details open><summary>All 2 tasks</summary>\n\n<table><tr><th>#</th><th>Status</th>' +
        '<th>Task</th><th>Exit code</th><th>Duration</th></tr>\n' +
        '<tr><td>1</td><td title="succeeded">✅</td><td><code>a</code></td><td></td><td>1.0s</td></tr>\n' +
        '<tr><td>2</td><td title="failed">❌</td><td><code>b</code></td><td>1</td><td>1.0s</td></tr>\n'
    )
    expect(text).not.toContain('Attempts')
  })

  it('is collapsed when nothing failed, or when it is longer than 20 rows', () => {
    const passing = buildSummary(report([record(0, 'a', TaskStatus.Success, { attempts: 2 })]))
    expect(passing).toContain('<details><summary>The task</summary>')
    expect(passing).toContain('<th>Duration</th><th>Attempts</th>')
    expect(passing).not.toContain('Exit code')
    const long = Array.from({ length: 21 }, (_, i) => record(i, `t${i}`, TaskStatus.Failure))
    expect(buildSummary(report(long))).toContain('<details><summary>All 21 tasks</summary>')
  })

  it('at scale lists only what did not succeed and says where the rest is', () => {
    const records = Array.from({ length: 501 }, (_, i) =>
      record(i, `t${i}`, i === 7 ? TaskStatus.Failure : TaskStatus.Success)
    )
    const text = buildSummary(report(records))
    expect(text).toContain('<details open><summary>The 1 task that did not succeed</summary>')
    expect(text.match(/<tr><td>/g)).toHaveLength(1)
    expect(text).toContain('<tr><td>8</td>')
    expect(text).toContain(
      '_The 500 tasks that succeeded are not listed; every result is in the `results-file` output._'
    )
    const passing = buildSummary(report(records.map(r => ({ ...r, status: TaskStatus.Success }))))
    expect(passing).not.toContain('<table>')
    expect(passing).toContain('_The 501 tasks that succeeded are not listed;')
    // Up to 500 tasks every one is listed, in a collapsed table.
    const listed = buildSummary(report(records.slice(0, 500)))
    expect(listed).toContain('<details><summary>All 500 tasks</summary>')
    expect(listed.match(/<tr><td>/g)).toHaveLength(500)
  })

  it('caps its rows and says how many it left out', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, `t${i}`, TaskStatus.Failure))
    const text = buildSummary(report(records), 'x', { ...DEFAULT_SUMMARY_LIMITS, maxRows: 30 })
    expect(text.match(/<tr><td>/g)).toHaveLength(30)
    expect(text).toContain(
      '_970 more tasks not shown; every result is in the `results-file` output._'
    )
  })

  it('escapes items and output so they cannot inject HTML or break the table', () => {
    const hostile = '<img src=x onerror=alert(1)>\n| a | b |\n\n## heading'
    const text = buildSummary(
      report([
        record(0, hostile, TaskStatus.Failure, {
          outputTail: '</pre><script>x</script>\n\n# h',
          skipReason: 'x'
        }),
        record(1, 'b', TaskStatus.Skipped, {
          needs: [hostile],
          skipReason: 'a\n\n<b>x</b>',
          blockedBy: [0]
        }),
        // A merged results file may name any signal.
        record(2, 'c', TaskStatus.Failure, { exitCode: 137, signal: '<img src=x>\n\n# h' })
      ])
    )
    expect(text).not.toContain('<img')
    expect(text).not.toContain('<script>')
    expect(text).not.toContain('</pre><')
    expect(text).not.toContain('<b>')
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;⏎| a | b |⏎⏎## heading')
    expect(text).toContain('<p>⏭️ <code>b</code> skipped, because a⏎⏎&lt;b&gt;x&lt;/b&gt;</p>')
    expect(text).toContain('<td>&lt;img src=x&gt;⏎⏎# h, 137</td>')
    expect(text).toContain('failed (&lt;img src=x&gt;⏎⏎# h, exit code 137) · ')
    // A blank line would end the HTML block of the table and let Markdown in.
    const table = text.slice(text.indexOf('<table>'), text.indexOf('</table>'))
    expect(table).not.toContain('\n\n')
  })
})

describe('the byte budget', () => {
  it('stays under it with 100,000 items and huge failure tails that escape 6×', () => {
    const records = Array.from({ length: 100_000 }, (_, i) =>
      record(i, `${'"'.repeat(300)}-${i}`, i % 2 ? TaskStatus.Failure : TaskStatus.Success, {
        outputTail: '"'.repeat(8192)
      })
    )
    const text = buildSummary(report(records))
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512 * 1024)
    expect(text).toContain('more tasks not shown')
    expect(text).toContain('more tasks did not succeed')
    // Each tail is 49 KB once escaped: four fit in the failures' share.
    expect(text.match(/<details( open)?><summary>❌/g)?.length).toBeGreaterThan(3)
  })

  it('keeps room for the table when one failure’s output alone is over the failures’ share', () => {
    const limits = { ...DEFAULT_SUMMARY_LIMITS, maxBytes: 100_000 }
    const text = buildSummary(
      report([
        record(0, 'huge', TaskStatus.Failure, { outputTail: '"'.repeat(16_000) }),
        record(1, 'small', TaskStatus.Failure)
      ]),
      'x',
      limits
    )
    // 96 KB once escaped: over the failures' 45 KB, so left out, and not counted against the rest.
    expect(text).not.toContain('&quot;'.repeat(100))
    expect(text).toContain('<tr><td>1</td>')
    expect(text).toContain('<tr><td>2</td>')
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(limits.maxBytes)
  })
})

describe('escapeHtml', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
  })
})

describe('what tasks add to the summary', () => {
  it('shows each task’s own summary under its heading', () => {
    const text = buildSummary(
      report([
        record(0, 'a', TaskStatus.Success),
        record(1, 'b_[x](y)', TaskStatus.Success, { summary: '**bold** from b\n' }),
        record(2, 'c', TaskStatus.Success, { summary: '  \n' })
      ])
    )
    expect(text).toContain('## Task summaries')
    expect(text).toContain('<h3>2. b_[x](y)</h3>\n\n**bold** from b\n')
    expect(text).not.toContain('<h3>3.')
  })

  it('keeps task summaries within the byte budget and says how many were left out', () => {
    const records = Array.from({ length: 50 }, (_, i) =>
      record(i, `t${i}`, TaskStatus.Success, { summary: 's'.repeat(60_000) })
    )
    const text = buildSummary(report(records))
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512 * 1024)
    expect(text).toMatch(/_\d+ more task summaries left out to stay within the size limit/)
  })
})

describe('charts', () => {
  it('come after the table', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Success, { slot: 1 }), record(1, 'b', TaskStatus.Failure)])
    )
    expect(at(text, '</table>')).toBeLessThan(at(text, '```mermaid'))
  })
})

describe('as Markdown renders it', () => {
  /** The summary as GFM renders it to HTML. */
  const rendered = (text: string): string => marked.parse(text, { gfm: true, async: false })

  it('shows an apostrophe in the title and in names as one, not as an entity', () => {
    const html = rendered(
      buildSummary(report([record(0, "can't connect", TaskStatus.Failure)]), "Bob's checks")
    )
    expect(html).toContain('<h2>❌ Bob&#39;s checks: 0 of 1 succeeded</h2>')
    expect(html).toContain('<code>can&#39;t connect</code>')
    expect(html).not.toContain('&amp;#39;')
  })

  it('makes no link of an address in the title, names, retries, halt, merge problems or resolves', () => {
    const names = ['login at https://evil.example/reset', 'www.evil.example', 'mail a@evil.example']
    const records = [
      ...names.map((name, i) => record(i, name, TaskStatus.Failure)),
      ...names.map((name, i) => record(i + 3, `ok ${name}`, TaskStatus.Success, { attempts: 2 })),
      record(6, 'r', TaskStatus.Success, {
        resolve: { resolved: false, error: 'see https://evil.example/r' }
      })
    ]
    const text = buildSummary(
      report(records, {
        haltKind: HaltKind.Failures,
        haltReason: 'www.evil.example failed',
        counts: { ...report(records).counts, total: 9 },
        merged: { files: 1, shards: 2, missingShards: [1], problems: ['see www.evil.example'] }
      }),
      'https://evil.example/title'
    )
    const html = rendered(text)
    expect(html).toContain('www.evil.example')
    expect(html).not.toMatch(/<a\b/)
  })
})

describe('in a dry run', () => {
  it('says it is one, with no speed-up, and lists no task as a failure', () => {
    const records = ['a', 'b'].map((name, i) =>
      record(i, name, TaskStatus.Skipped, { skipReason: 'dry run', durationMs: 0 })
    )
    const text = buildSummary(report(records, { dryRun: true }), 'ci')
    expect(text).toMatch(/^<h2>⏭️ ci: dry run of 2 tasks<\/h2>\n\n<p>Dry run: nothing was run\./)
    expect(text).not.toContain('speed-up')
    expect(text).not.toContain('succeeded')
    expect(text).not.toContain('<p>⏭️')
  })
})

describe('a merge that lacks records', () => {
  it('marks the count without a result, opens the table and says of how many it is', () => {
    const records = [record(0, 'a', TaskStatus.Success), record(1, 'b', TaskStatus.Success)]
    const text = buildSummary(
      report(records, {
        counts: { ...report(records).counts, total: 5 },
        merged: { files: 1, shards: 2, missingShards: [1], problems: [] }
      })
    )
    expect(text).toContain('<h2>❌ parallel-exec: 2 of 5 succeeded</h2>')
    expect(text).toContain('· ❓ <strong>3</strong> without a result</p>')
    expect(text).toContain('<details open><summary>The 2 tasks with a result, of 5</summary>')
  })
})

describe('limits at scale', () => {
  it('caps a huge error like the output, so the first failure is still shown', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => `error line ${i}`).join('\n')
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Failure, { error: huge, outputTail: 'the end\n' })])
    )
    expect(text).toContain('<details open><summary>❌ <code>a</code> failed')
    expect(text).toContain('error line 0\n')
    expect(text).toContain('error line 99999\nthe end\n</pre>')
    expect(text).toMatch(/\n… 9\d,\d{3} lines left out …\n/)
    expect(Buffer.byteLength(text)).toBeLessThan(DEFAULT_SUMMARY_LIMITS.maxTailChars * 2)
  })

  it('does not say "more" when no failure could be shown', () => {
    const records = [0, 1].map(i =>
      record(i, `t${i}`, TaskStatus.Failure, { outputTail: 'x'.repeat(4000) })
    )
    const text = buildSummary(report(records), 'x', {
      ...DEFAULT_SUMMARY_LIMITS,
      maxBytes: 3000
    })
    expect(text).not.toContain('<details open><summary>❌')
    expect(text).toContain('_2 tasks did not succeed; their output is not shown here.')
  })
})

describe('wholeLinesWithin', () => {
  it('marks the lines it left out as the log and the results do, with a thousands separator', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n')
    const kept = wholeLinesWithin(text, 300)
    const left = 2000 - kept.split('\n').length + 1
    expect(left).toBeGreaterThan(1000)
    expect(kept).toContain(`\n${leftOutLinesMark(left)}\n`)
    expect(leftOutLinesMark(1234)).toBe('… 1,234 lines left out …')
    expect(leftOutLinesMark(1)).toBe('… 1 line left out …')
  })
})

describe('names two tasks of a run apart', () => {
  it('adds the task number where two items share a name: headline, failure blocks, failure message, JUnit', () => {
    const thread = (body: string) => ({ path: 'src/b.ts', line: 3, body })
    const records = [
      record(0, thread('one'), TaskStatus.Failure),
      record(1, thread('two'), TaskStatus.Failure),
      record(2, 'build', TaskStatus.Failure),
      record(3, 'x', TaskStatus.Success, { exitCode: null, signal: 'SIGKILL' })
    ]
    const text = buildSummary(report(records))
    expect(text).toContain(
      'failed: <code>src/b.ts:3 (#1)</code>, <code>src/b.ts:3 (#2)</code>, <code>build</code>'
    )
    expect(text).toContain('<summary>❌ <code>src/b.ts:3 (#2)</code> failed')
    expect(text).toContain('<td>SIGKILL</td>')
    expect(failureMessage(report(records))).toContain(': src/b.ts:3 (#1), src/b.ts:3 (#2), build.')
    const xml = junitXml(report(records))
    expect(xml).toContain('<testcase name="src/b.ts:3 (#1)"')
    expect(xml).toContain('<testcase name="src/b.ts:3 (#2)"')
    expect(xml).toContain('<testcase name="build"')
  })
})
