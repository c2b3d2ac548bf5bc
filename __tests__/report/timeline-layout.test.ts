import { beforeAll, expect, test } from '@jest/globals'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { summaryCharts } from '../../src/report/summary-charts.js'
import { record, report } from '../helpers/records.js'
import {
  type Box,
  describeRendered,
  type GanttFacts,
  labelsOnOtherBars,
  overlap,
  type PageFacts,
  renderedPages
} from '../helpers/rendered-page.js'

const T0 = 1_700_000_000_000

/** A record that ran on `slot` from `start` to `end` ms after T0. */
const ran = (
  index: number,
  name: string,
  slot: number,
  start: number,
  end: number,
  status = TaskStatus.Success
): TaskRecord =>
  record(index, name, status, {
    slot,
    startedAt: T0 + start,
    endedAt: T0 + end,
    durationMs: end - start
  })

/**
 * The twelve CI checks of the issue (named tasks, none needing another), as recorded: short tasks
 * with names longer than their bars, followed on their slot by another task, either right at
 * their end or (lint, docs:links) overlapping it by 1 ms.
 */
const CHECKS = [
  ran(0, 'lint', 1, 2, 120),
  ran(1, 'typecheck', 2, 18, 652),
  ran(2, 'unit:web', 3, 25, 567, TaskStatus.Failure),
  ran(3, 'unit:api', 4, 30, 883),
  ran(4, 'integration:api', 5, 0, 60),
  ran(5, 'docs:links', 6, 38, 90, TaskStatus.Failure),
  ran(6, 'bundle-size', 7, 51, 90),
  ran(7, 'licenses', 8, 53, 80),
  ran(8, 'e2e:smoke', 8, 80, 1219, TaskStatus.TimedOut),
  ran(9, 'format', 5, 60, 609),
  ran(10, 'audit', 1, 119, 761),
  ran(11, 'build', 6, 89, 1250)
].map(check => ({ ...check, needs: [] }))

/** 30 tasks with long names on 8 workers: short ones beside long ones, some failing. */
const THIRTY = (() => {
  const ends = new Array<number>(8).fill(0)
  return Array.from({ length: 30 }, (_, i) => {
    const slot = (i % 8) + 1
    const start = ends[slot - 1] as number
    const end = start + [40, 900, 120, 2500, 15, 600][i % 6]!
    ends[slot - 1] = end + 1
    const status =
      i % 7 === 3 ? TaskStatus.Failure : i === 20 ? TaskStatus.TimedOut : TaskStatus.Success
    // Each end 1 ms after the next start on the slot, as recorded.
    return ran(
      i,
      `packages/pkg-${String(i).padStart(3, '0')}/src/index.test.ts`,
      slot,
      start,
      end + 2,
      status
    )
  })
})()

/**
 * 30 tasks on a slot each, named in the widest characters there are, with bars too short for
 * them all over the chart: Mermaid draws such a label beside its bar, left when right has no room.
 */
const WIDE = Array.from({ length: 30 }, (_, i) => {
  const name = ['W'.repeat(60), '名'.repeat(60), 'm'.repeat(60), '😀'.repeat(60)][i % 4] as string
  const start = (i * 37) % 700
  const status = i % 5 === 0 ? TaskStatus.TimedOut : TaskStatus.Success
  return ran(i, name, i + 1, start, start + [30, 200, 350, 5][i % 4]!, status)
})

/**
 * 26 tasks, a slot each, named with the characters Mermaid measures widest: escaped ones (`_` `:`
 * `@` `[` `,`, each measured as its ~7-character entity placeholder), capitals, other scripts,
 * emoji; short bars near the left edge, the middle and the right edge of the chart, some failing.
 */
const ESCAPED = (() => {
  const names = [
    'x:'.repeat(20),
    '~%'.repeat(20),
    'tests/test_users.py::test_login_with_expired_token',
    'tests/api/test_orders.py::TestCheckout::test_pay_with_card[visa-3ds]',
    'ci@example.com:deploy_prod_eu_west_1',
    'a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t',
    '@'.repeat(40),
    '::'.repeat(20),
    'Проверка_интеграции_платежей_и_возвратов',
    'ΔΟΚΙΜΗ_ΣΥΣΤΗΜΑΤΟΣ—ωωωωωωωωωωωωωωωωω',
    'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW',
    '😀'.repeat(40),
    'x,y,z,[1],[2],[3],~a,~b,%c,%d,#e,#f'
  ]
  return names
    .flatMap((name, i) =>
      [5, 640].map((start, k) => {
        const at = start + 37 * i
        const status = (i + k) % 3 === 0 ? TaskStatus.Failure : TaskStatus.Success
        return ran(2 * i + k, name, 2 * i + k + 1, at, at + 25, status)
      })
    )
    .concat([ran(24, 'long', 25, 0, 1300)])
})()

/** 2,000 tasks on 8 workers, every 40th failing. */
const MANY = Array.from({ length: 2_000 }, (_, i) => {
  const start = Math.floor(i / 8) * 50
  const status = i % 40 === 39 ? TaskStatus.Failure : TaskStatus.Success
  return ran(
    i,
    `test/unit/file-${String(i).padStart(4, '0')}.test.js`,
    (i % 8) + 1,
    start,
    start + 20 + (i % 29),
    status
  )
})

/** Whether `inner` lies within `outer`'s left and right edges. */
const within = (inner: Box, outer: Box): boolean =>
  inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5

/** The checks every Gantt chart of the summary must pass. */
function expectReadable(gantt: GanttFacts, chart: Box, tasks: number): void {
  expect(gantt.bars).toHaveLength(tasks)
  expect(gantt.labels).toHaveLength(tasks)
  expect(labelsOnOtherBars(gantt)).toEqual([])
  // Every task on its own row: no two bars share any height.
  const rows = gantt.bars.map(bar => [bar.top, bar.bottom]).sort((a, b) => a[0]! - b[0]!)
  rows.forEach((row, k) => k > 0 && expect(row[0]).toBeGreaterThanOrEqual(rows[k - 1]![1]!))
  // Labels: none on another, and each wholly inside the chart.
  for (const label of gantt.labels) {
    expect(within(label, chart)).toBe(true)
    for (const other of gantt.labels) {
      if (other !== label) expect(overlap(label, other)).toBe(false)
    }
  }
}

describeRendered('the timeline as GitHub draws it', () => {
  let pages: Record<'checks' | 'thirty' | 'many' | 'wide' | 'escaped', PageFacts>
  beforeAll(async () => {
    pages = await renderedPages(
      {
        checks: summaryCharts(report(CHECKS, { workers: 8 })).join('\n'),
        thirty: summaryCharts(report(THIRTY, { workers: 8 })).join('\n'),
        many: summaryCharts(report(MANY, { workers: 8 })).join('\n'),
        wide: summaryCharts(report(WIDE, { workers: 30 })).join('\n'),
        escaped: summaryCharts(report(ESCAPED, { workers: 27 })).join('\n')
      },
      { open: true }
    )
  }, 120_000)

  test('the 12 checks: one row per task, no label on another task’s bar, no task graph', () => {
    const page = pages.checks
    expect(page.error).toBeNull()
    expectReadable(page.gantts[0]!, page.charts[0]!, 12)
    expect(page.charts.map(chart => chart.kind)).toEqual(['gantt'])
  })

  test('30 tasks with long names: one row per task, every label readable', () => {
    const page = pages.thirty
    expect(page.error).toBeNull()
    expect(page.charts.map(chart => chart.kind)).toEqual(['gantt'])
    expectReadable(page.gantts[0]!, page.charts[0]!, 30)
  })

  test('labels of the widest characters stay whole inside the chart', () => {
    const page = pages.wide
    expect(page.error).toBeNull()
    expectReadable(page.gantts[0]!, page.charts[0]!, 30)
  })

  test('labels of escaped characters (pytest ids) and of other scripts stay inside the chart', () => {
    const page = pages.escaped
    expect(page.error).toBeNull()
    expectReadable(page.gantts[0]!, page.charts[0]!, 27)
  })

  test('2,000 tasks: how busy the workers were, and the slowest and failed tasks, drawn', () => {
    const page = pages.many
    expect(page.error).toBeNull()
    expect(page.charts.map(chart => chart.kind)).toEqual(['xychart', 'gantt'])
    expectReadable(page.gantts[0]!, page.charts[1]!, 30)
    for (const chart of page.charts) expect(chart.bottom - chart.top).toBeLessThan(1_000)
  })
})
