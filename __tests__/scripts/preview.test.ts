import { beforeAll, expect, test } from '@jest/globals'
import {
  describeRendered,
  labelsOnOtherBars,
  type PageFacts,
  renderedPages
} from '../helpers/rendered-page.js'

/** A Gantt chart of two tasks on one row: a short bar whose label does not fit, then another. */
const gantt = (compact: boolean): string =>
  [
    '```mermaid',
    ...(compact ? ['---', 'displayMode: compact', '---'] : []),
    'gantt',
    '  dateFormat x',
    '  axisFormat %Q ms',
    '  section Slot 1',
    '    a task with a long name that does not fit :t0, 0, 10',
    '    second :t1, 10, 1000',
    '```'
  ].join('\n')

describeRendered('preview --facts (the rendered-page harness)', () => {
  let pages: Record<'compact' | 'rows' | 'broken' | 'closed' | 'alert', PageFacts>
  beforeAll(async () => {
    pages = await renderedPages(
      {
        compact: gantt(true),
        rows: gantt(false),
        broken: '```mermaid\ngantt\n  this is not a chart :\n```',
        closed: `# Title\n\n<details><summary>Chart</summary>\n\n${gantt(false)}\n\n</details>\n`,
        alert: '> [!WARNING]\n> <p>Halted early: fail-fast.</p>\n\nAfter.\n'
      },
      { open: true }
    )
  }, 120_000)

  test('finds a label drawn on another task’s bar, and none when each task has its row', () => {
    expect(pages.compact.gantts).toHaveLength(1)
    expect(labelsOnOtherBars(pages.compact.gantts[0]!)).toEqual([
      'a task with a long name that does not fit (t0) on t1'
    ])
    expect(labelsOnOtherBars(pages.rows.gantts[0]!)).toEqual([])
    expect(pages.rows.error).toBeNull()
  })

  test('reports mermaid’s error', () => {
    expect(pages.broken.error).toMatch(/\S/)
  })

  test('lists the top-level blocks with whether each <details> was open as written', () => {
    const [heading, details] = pages.closed.blocks
    expect(heading).toMatchObject({ tag: 'h1', text: 'Title' })
    expect(details).toMatchObject({ tag: 'details', open: false, summary: 'Chart' })
    // Opened to be measured: the chart inside has a size.
    expect(pages.closed.charts).toHaveLength(1)
    expect(pages.closed.charts[0]!.bottom - pages.closed.charts[0]!.top).toBeGreaterThan(50)
    expect(pages.closed.height).toBeGreaterThan(pages.closed.charts[0]!.bottom)
  })

  test('draws GitHub’s alerts as GitHub does, not as quotes', () => {
    expect(pages.alert.blocks.map(block => [block.tag, block.text])).toEqual([
      ['div', 'Warning Halted early: fail-fast.'],
      ['p', 'After.']
    ])
  })
})
