import { describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'

const REPOSITORY = 'https://github.com/octo/app'
/** 7 Dec 2025 10:02 UTC. */
const AT = Date.UTC(2025, 11, 7, 10, 2)

/** A task that succeeded in `attempt` of run `runId` and is reused. */
const reused = (index: number, item: string, runId = 123, attempt = 1): TaskRecord =>
  record(index, item, TaskStatus.Reused, { reusedFrom: { runId, attempt, at: AT } })

/** Where a piece of text starts in the summary, failing the test when it is not there. */
function at(text: string, piece: string): number {
  const index = text.indexOf(piece)
  if (index < 0) throw new Error(`Not in the summary: ${piece}`)
  return index
}

describe('a run that reused tasks', () => {
  it('counts them with the successes in the headline, and apart in the counts', () => {
    const text = buildSummary(
      report([reused(0, 'a'), record(1, 'b', TaskStatus.Success), reused(2, 'c')]),
      'tests'
    )
    expect(text).toContain('<h2>✅ tests: 3 of 3 succeeded (2 reused)</h2>\n')
    expect(text).toContain(
      '<p>✅ <strong>1</strong> succeeded · ♻️ <strong>2</strong> reused</p>\n'
    )
  })

  it('lists them collapsed after the table, by attempt, newest first, each linked', () => {
    const text = buildSummary(
      report([
        reused(0, 'a', 123, 1),
        record(1, 'b', TaskStatus.Failure),
        reused(2, 'c', 123, 2),
        reused(3, 'd', 123, 1)
      ]),
      'tests',
      undefined,
      { repository: REPOSITORY }
    )
    const url = (attempt: number): string => `${REPOSITORY}/actions/runs/123/attempts/${attempt}`
    expect(text).toContain(
      '<details><summary>♻️ 3 tasks reused: succeeded before with the same command, not run again</summary>\n' +
        `<p><a href="${url(2)}">Succeeded in run 123, attempt 2</a>, 7 Dec 2025 10:02 UTC (1 task): <code>c</code></p>\n` +
        `<p><a href="${url(1)}">Succeeded in run 123, attempt 1</a>, 7 Dec 2025 10:02 UTC (2 tasks): <code>a</code>, <code>d</code></p>\n` +
        '</details>\n'
    )
    expect(at(text, '♻️ 3 tasks reused')).toBeGreaterThan(at(text, 'All 4 tasks'))
    // In the table a reused row passes, its mark linking to the attempt.
    expect(text).toContain(
      `<tr><td>1</td><td title="reused: succeeded in run 123, attempt 1"><a href="${url(1)}">♻️</a></td>` +
        '<td><code>a</code></td><td></td><td></td></tr>'
    )
    // Never among the failures, nor in the failure's count.
    expect(text).not.toMatch(/<summary>♻️ <code>/)
    expect(text).toContain('❌ <strong>1</strong> failed: <code>b</code></p>')
  })

  it('names the attempts as plain text without a repository address', () => {
    const text = buildSummary(report([reused(0, 'a')]))
    expect(text).toContain('<p>Succeeded in run 123, attempt 1, 7 Dec 2025 10:02 UTC (1 task): ')
    expect(text).not.toContain('<a ')
  })

  it('escapes names, so that no item becomes a link, an image or markup', () => {
    const names = ['<img src=x onerror=alert(1)>', 'see https://evil.example/x', '**bold** `tick`']
    const text = buildSummary(
      report(names.map((name, index) => reused(index, name))),
      'tests',
      undefined,
      { repository: REPOSITORY }
    )
    const html = marked.parse(text, { gfm: true, async: false })
    expect(html).not.toMatch(/<img|<strong>bold|<a href="https:\/\/evil/)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    // Only the attempt links: one heading the group, and one per row of the table.
    expect(html.match(/<a /g)).toHaveLength(1 + names.length)
  })

  it('stays within the byte budget with 30,000 reused tasks and says how many it left out', () => {
    const records = Array.from({ length: 30_000 }, (_, i) =>
      reused(i, `packages/package-${i}/src/some/rather/long/path/to/a/test-file.spec.ts`)
    )
    const text = buildSummary(report(records), 'tests')
    expect(Buffer.byteLength(text)).toBeLessThan(DEFAULT_SUMMARY_LIMITS.maxBytes)
    const listed = (text.match(/<code>packages/g) ?? []).length
    expect(listed).toBeGreaterThan(1000)
    expect(text).toContain(
      `_${(30_000 - listed).toLocaleString('en-US')} more reused tasks not listed to stay within the size limit; ` +
        'every result is in the `results-file` output._'
    )
    // The list is closed properly whatever was cut: one HTML block, no blank line inside.
    const list = text.slice(at(text, '<details><summary>♻️'), at(text, '</p>\n</details>') + 4)
    expect(list).not.toContain('\n\n')
    expect(list.match(/<p>/g)).toHaveLength(list.match(/<\/p>/g)?.length ?? -1)
  })

  it('leaves reused tasks out of a large run’s table, as those that succeeded now', () => {
    const records = Array.from({ length: 600 }, (_, i) =>
      i === 5 ? record(i, `t${i}`, TaskStatus.Failure) : reused(i, `t${i}`)
    )
    const text = buildSummary(report(records))
    expect(text).toContain('<summary>The 1 task that did not succeed</summary>')
    expect(text).toContain('_The 599 tasks that succeeded are not listed;')
    expect(text).not.toMatch(/<tr><td>1<\/td>/)
  })
})

describe('a dry run that would reuse tasks', () => {
  it('says it is one, and how many tasks a run would reuse', () => {
    const records = [
      record(0, 'a', TaskStatus.Skipped, { skipReason: 'dry run' }),
      reused(1, 'b'),
      reused(2, 'c')
    ]
    const text = buildSummary(report(records, { dryRun: true }), 'ci')
    expect(text).toMatch(
      /^<h2>⏭️ ci: dry run of 3 tasks<\/h2>\n\n<p>Dry run: nothing was run\. The table lists the 3 tasks and the log each command\. 2 of them would be reused: they succeeded before with the same command\.<\/p>/
    )
    // A run that reused every task is no dry run.
    expect(buildSummary(report([reused(0, 'a')]), 'ci')).toMatch(/^<h2>✅ ci: 1 of 1 succeeded/)
  })
})

describe('flaky tasks', () => {
  it('names the tasks flaky in recent runs that passed first time here, with how often', () => {
    const records = [
      record(0, 'api', TaskStatus.Success),
      record(1, 'web', TaskStatus.Success, { attempts: 2, flaky: true }),
      record(2, 'db', TaskStatus.Failure),
      record(3, 'ui', TaskStatus.Success)
    ]
    const history = {
      recentlyFlaky: new Map([
        [0, { flaky: 2, of: 10 }],
        [1, { flaky: 1, of: 4 }],
        [2, { flaky: 1, of: 1 }]
      ])
    }
    const text = buildSummary(report(records), 'tests', undefined, { history })
    expect(text).toContain(
      '<h3>🔁 Flaky</h3>\n\n' +
        '<p>1 task failed, then succeeded on a retry: <code>web</code> (2 attempts).</p>\n\n' +
        '<p>Flaky in recent runs: <code>api</code> (flaky in 2 of its last 10 runs), ' +
        '<code>db</code> (flaky in its last run).</p>\n'
    )
    expect(text).not.toMatch(/Flaky in recent runs:.*web/)
  })

  it('has no section when nothing was flaky, now or recently', () => {
    const records = [record(0, 'api', TaskStatus.Success), record(1, 'db', TaskStatus.Failure)]
    const history = { recentlyFlaky: new Map<number, { flaky: number; of: number }>() }
    expect(buildSummary(report(records), 'tests', undefined, { history })).not.toContain('Flaky')
    expect(buildSummary(report(records))).not.toContain('Flaky')
  })

  it('names 20 of many, then how many more', () => {
    const records = Array.from({ length: 25 }, (_, i) =>
      record(i, `t${i}`, TaskStatus.Success, { attempts: 3, flaky: true })
    )
    const text = buildSummary(report(records))
    expect(text).toContain(
      '<p>25 tasks failed, then succeeded on a retry: <code>t0</code> (3 attempts)'
    )
    expect(text).toContain('<code>t19</code> (3 attempts) and 5 more.</p>')
  })
})

describe('a shard that reused tasks', () => {
  const shard = {
    index: 1,
    total: 3,
    itemCount: 9,
    itemsDigest: '0'.repeat(64),
    splitDigest: '0'.repeat(64),
    byTimings: true,
    estimatedMs: 1000,
    estimatedTotalMs: 3000,
    items: [1, 4, 7].map(index => ({ index, item: `i${index}` }))
  }

  it('says how many of its items it has and how many were reused, not that it ran them all', () => {
    const records = [reused(1, 'i1'), record(4, 'i4', TaskStatus.Success), reused(7, 'i7')]
    const text = buildSummary(report(records, { shard }), 'ci')
    expect(text).toContain(
      'Shard **1/3** has **3** of the **9** items, **2** of them reused, balanced by known durations (about 1.0s of 3.0s).'
    )
    expect(text).not.toMatch(/ran \*\*3\*\*|by timings/)
    const fresh = buildSummary(report([record(4, 'i4', TaskStatus.Success)], { shard }), 'ci')
    expect(fresh).toContain('Shard **1/3** has **1** of the **9** items, balanced by known')
  })
})

describe('a run that reused every task', () => {
  it('says nothing ran, not a wall time of 0ms', () => {
    const records = [reused(0, 'a'), reused(1, 'b')]
    const text = buildSummary(report(records, { durationMs: 0 }), 'ci')
    expect(text).toContain('<h2>✅ ci: 2 of 2 succeeded (2 reused)</h2>\n')
    expect(text).toContain('\nNothing ran: every task succeeded before.\n')
    expect(text).not.toContain('Wall time')
    // One task that ran, or an item without a result, and the wall time is said again.
    const ran = [reused(0, 'a'), record(1, 'b', TaskStatus.Success)]
    expect(buildSummary(report(ran), 'ci')).toContain('Wall time **2.0s** on **2 workers**')
    const lacking = report(records, { counts: { ...report(records).counts, total: 3 } })
    expect(buildSummary(lacking, 'ci')).not.toContain('Nothing ran')
  })
})
