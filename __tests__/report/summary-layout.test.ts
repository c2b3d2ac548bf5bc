import { beforeAll, expect, test } from '@jest/globals'
import { buildSummary } from '../../src/report/summary.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { HaltKind } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import {
  type Block,
  describeRendered,
  type PageFacts,
  renderedPages
} from '../helpers/rendered-page.js'
import { record, report } from '../helpers/records.js'

const START = 1_700_000_000_000

/** Names GFM would make links of in Markdown text, backslashes or not. */
const ADDRESSES = ['login at https://evil.example/reset', 'www.evil.example', 'mail a@evil.example']

/** A task that ran on `slot` from `startMs` for `ms`, with a few lines of output when it failed. */
function ran(
  index: number,
  name: string,
  status: TaskStatus,
  slot: number,
  startMs: number,
  ms: number
): TaskRecord {
  const output =
    status === TaskStatus.Success
      ? ''
      : Array.from({ length: 8 }, (_, line) => `  at step ${line} (${name}:${line + 1}:13)`).join(
          '\n'
        ) + `\nFAIL ${name}\n`
  return record(index, name, status, {
    slot,
    startedAt: START + startMs,
    endedAt: START + startMs + ms,
    durationMs: ms,
    outputTail: output,
    ...(status === TaskStatus.TimedOut ? { exitCode: 143, signal: 'SIGTERM' } : {})
  })
}

/** `count` tasks on 8 slots, back to back; the statuses are chosen by position. */
function run(
  count: number,
  status: (index: number) => TaskStatus,
  name = (i: number) => `test/unit/file-${i}.test.js`
): TaskRecord[] {
  return Array.from({ length: count }, (_, i) =>
    ran(i, name(i), status(i), (i % 8) + 1, Math.floor(i / 8) * 40, 40)
  )
}

/** Twelve checks: two fail, one times out, one passes on a retry. */
const checks = run(
  12,
  i =>
    i === 2 || i === 5 ? TaskStatus.Failure : i === 8 ? TaskStatus.TimedOut : TaskStatus.Success,
  i =>
    [
      'lint',
      'typecheck',
      'unit:web',
      'unit:api',
      'integration:api',
      'docs:links',
      'bundle-size',
      'licenses',
      'e2e:smoke',
      'format',
      'audit',
      'build'
    ][i] as string
).map(r => (r.index === 4 ? { ...r, attempts: 2 } : r))

/** A second attempt of 40 tasks: the 37 that passed in the first are reused, 3 ran again. */
const rerun = run(40, () => TaskStatus.Success).map(r =>
  r.index % 13 === 5
    ? r
    : record(r.index, r.item, TaskStatus.Reused, {
        reusedFrom: { runId: 123, attempt: 1, at: START - 3_600_000 }
      })
)

/** The <details> blocks of the failures section: those headed by a failed or timed-out task. */
const failureBlocks = (page: PageFacts): Block[] =>
  page.blocks.filter(block => block.tag === 'details' && /^(❌|⏱️)/u.test(block.summary ?? ''))

/** The index of the first block whose <summary> starts with `caption`. */
const blockIndex = (page: PageFacts, caption: string): number =>
  page.blocks.findIndex(block => block.summary?.startsWith(caption))

describeRendered('the job summary as GitHub renders it', () => {
  let pages: Record<
    'checks' | 'checksPassing' | 'thirty' | 'passing' | 'many' | 'addresses' | 'rerun',
    PageFacts
  >
  beforeAll(async () => {
    const allPass = (records: TaskRecord[]): TaskRecord[] =>
      records.map(r => ({
        ...r,
        status: TaskStatus.Success,
        exitCode: 0,
        signal: null,
        outputTail: ''
      }))
    pages = await renderedPages({
      checks: buildSummary(report(checks, { workers: 8 }), 'checks'),
      checksPassing: buildSummary(report(allPass(checks), { workers: 8 }), 'checks'),
      thirty: buildSummary(
        report(
          run(30, i => (i === 3 ? TaskStatus.Failure : TaskStatus.Success)),
          { workers: 8 }
        )
      ),
      passing: buildSummary(
        report(
          run(300, () => TaskStatus.Success),
          { workers: 8 }
        )
      ),
      many: buildSummary(
        report(
          run(2000, i => (i % 40 === 39 ? TaskStatus.Failure : TaskStatus.Success)),
          { workers: 8 }
        )
      ),
      addresses: buildSummary(
        report(
          run(
            6,
            i => (i < 3 ? TaskStatus.Failure : TaskStatus.Success),
            i => [ADDRESSES[i % 3], `ok ${ADDRESSES[i % 3]}`][i < 3 ? 0 : 1] as string
          ).map(r => (r.index >= 3 ? { ...r, attempts: 2 } : r)),
          { workers: 8, haltKind: HaltKind.Failures, haltReason: `${ADDRESSES[1]} failed` }
        ),
        ADDRESSES[0]
      ),
      rerun: buildSummary(
        report(rerun, { workers: 8, run: { id: 123, attempt: 2 } }),
        'tests',
        undefined,
        { repository: 'https://github.com/octo/repo' }
      )
    })
  }, 120_000)

  test('shows the failures right under the headline, above the table, the first open', () => {
    const { checks: page } = pages
    expect(page.error).toBeNull()
    const failures = failureBlocks(page)
    expect(
      failures.map(block => [block.summary?.split(' · ')[0]?.replace(/ \(.*\)$/, ''), block.open])
    ).toEqual([
      ['❌ unit:web failed', true],
      ['❌ docs:links failed', false],
      ['⏱️ e2e:smoke timed out', false]
    ])
    const table = page.blocks[blockIndex(page, 'All 12 tasks')] as Block
    expect(table.open).toBe(true)
    expect(failures.every(block => block.bottom <= table.top)).toBe(true)
    // Nothing but the headline's lines comes before the first failure.
    const first = page.blocks.indexOf(failures[0] as Block)
    expect(page.blocks.slice(0, first).map(block => block.tag)).toEqual(['h2', 'p', 'p'])
    expect(page.blocks[1]?.text).toBe(
      '✅ 9 succeeded · ❌ 2 failed: unit:web, docs:links · ⏱️ 1 timed out: e2e:smoke'
    )
    // The flaky task comes after the failures, under its own heading, above the table.
    const flaky = page.blocks.findIndex(block => block.text === '🔁 Flaky')
    expect(page.blocks.indexOf(failures[2] as Block)).toBeLessThan(flaky)
    expect(page.blocks[flaky + 1]?.text).toBe(
      '1 task failed, then succeeded on a retry: integration:api (2 attempts).'
    )
    expect(flaky).toBeLessThan(blockIndex(page, 'All 12 tasks'))
    // The open failure shows its output; the table comes after it.
    expect(failures[0]!.bottom - failures[0]!.top).toBeGreaterThan(150)
  })

  test('collapses the table when nothing failed, or when it is longer than 20 rows', () => {
    expect(failureBlocks(pages.checksPassing)).toEqual([])
    expect(pages.checksPassing.blocks[blockIndex(pages.checksPassing, 'All 12 tasks')]?.open).toBe(
      false
    )
    expect(pages.thirty.blocks[blockIndex(pages.thirty, 'All 30 tasks')]?.open).toBe(false)
    expect(failureBlocks(pages.thirty)).toHaveLength(1)
  })

  test('makes no link of an address in a title, a task name or a halt reason', () => {
    const { addresses: page } = pages
    expect(page.links).toBe(0)
    expect(page.blocks[0]?.text).toBe(`❌ ${ADDRESSES[0]}: 3 of 6 succeeded`)
    expect(page.blocks[1]?.text).toContain(`failed: ${ADDRESSES.join(', ')}`)
    expect(page.blocks.map(block => block.text).join('\n')).toContain(
      `failed, then succeeded on a retry: ok ${ADDRESSES[0]} (2 attempts)`
    )
  })

  test('keeps a 300-task run that passed short, and a 2,000-task run with 50 failures bounded', () => {
    expect(pages.passing.height).toBeLessThan(1500)
    // The table of all 300 tasks is there, collapsed to its one-line caption.
    const listed = pages.passing.blocks[blockIndex(pages.passing, 'All 300 tasks')] as Block
    expect(listed.tag).toBe('details')
    expect(listed.open).toBe(false)
    expect(listed.bottom - listed.top).toBeLessThan(60)
    const { many } = pages
    const failures = failureBlocks(many)
    expect(failures).toHaveLength(20)
    expect(failures.filter(block => block.open)).toHaveLength(1)
    const table = many.blocks[blockIndex(many, 'The 50 tasks that did not succeed')] as Block
    expect(table.open).toBe(false)
    expect(failures.every(block => block.bottom <= table.top)).toBe(true)
    expect(many.height).toBeLessThan(2500)
  })

  test('lists the reused tasks collapsed after the table, linked to the attempt they passed in', () => {
    const { rerun: page } = pages
    expect(page.error).toBeNull()
    expect(page.blocks[0]?.text).toBe('✅ tests: 40 of 40 succeeded (37 reused)')
    expect(page.blocks[1]?.text).toBe('✅ 3 succeeded · ♻️ 37 reused')
    const reused = blockIndex(page, '♻️ 37 tasks reused')
    expect(reused).toBeGreaterThan(blockIndex(page, 'All 40 tasks'))
    expect(page.blocks[reused]?.open).toBe(false)
    // Collapsed, it takes one line of the page.
    const block = page.blocks[reused] as Block
    expect(block.bottom - block.top).toBeLessThan(40)
    // One link heads the group, and each reused row's mark links to the same attempt.
    expect(page.links).toBe(1 + 37)
  })
})
