import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TaskStatus } from '../../src/model/task-status.js'
import { MAX_CHART_TEXT } from '../../src/report/mermaid-chart.js'
import {
  MAX_BUCKETS,
  busyWorkers,
  busyWorkersChart,
  chooseBuckets
} from '../../src/report/mermaid-xychart.js'
import { slotTimes, type TimelineTask } from '../../src/report/timeline-tasks.js'
import { measuredWidth } from '../../src/report/label-width.js'

const task = (
  slot: number,
  startMs: number,
  endMs: number,
  status = TaskStatus.Success
): TimelineTask => ({ label: `task ${slot} ${startMs}`, slot, startMs, endMs, status })

describe('slotTimes', () => {
  it('cuts a task back to the start of the next one on its slot', () => {
    // As recorded: a start read from the wall clock, an end from it plus a rounded duration.
    const tasks = [task(1, 0, 451), task(1, 450, 700), task(2, 10, 900), task(1, 700, 650)]
    expect(slotTimes(tasks)).toEqual([
      { index: 0, slot: 1, start: 0, end: 450 },
      { index: 1, slot: 1, start: 450, end: 700 },
      { index: 3, slot: 1, start: 700, end: 700 },
      { index: 2, slot: 2, start: 10, end: 900 }
    ])
  })

  it('puts a task on every slot it held, cutting each slot on its own', () => {
    const tasks = [
      { ...task(1, 0, 500), slots: [1, 3] },
      task(3, 400, 800),
      task(1, 500, 900),
      // Slots as a file may hold them: repeated, unordered, not whole: each drawn once.
      { ...task(2, 0, 100), slots: [4, 2, 4, 2.5] }
    ]
    expect(slotTimes(tasks)).toEqual([
      { index: 0, slot: 1, start: 0, end: 500 },
      { index: 2, slot: 1, start: 500, end: 900 },
      { index: 3, slot: 2, start: 0, end: 100 },
      { index: 0, slot: 3, start: 0, end: 400 },
      { index: 1, slot: 3, start: 400, end: 800 },
      { index: 3, slot: 4, start: 0, end: 100 }
    ])
  })

  it('leaves skipped tasks out and makes times and slots valid', () => {
    const tasks = [
      task(1, 0, 0, TaskStatus.Skipped),
      task(NaN, -5, Infinity),
      task(2.7, 30, NaN),
      task(0, 5, 10)
    ]
    expect(slotTimes(tasks)).toEqual([
      { index: 1, slot: 1, start: 0, end: 0 },
      { index: 3, slot: 1, start: 5, end: 10 },
      { index: 2, slot: 2, start: 30, end: 30 }
    ])
  })

  it('never lets two tasks of a slot overlap, and never moves a start', () => {
    let runs = 0
    let multiSlot = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slot: fc.integer({ min: 1, max: 4 }),
            more: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
            start: fc.integer({ min: -10, max: 10_000 }),
            length: fc.integer({ min: -10, max: 10_000 })
          }),
          { maxLength: 40 }
        ),
        entries => {
          runs++
          const tasks = entries.map(e => ({
            ...task(e.slot, e.start, e.start + e.length),
            ...(e.more.length > 0 ? { slots: [e.slot, ...e.more] } : {})
          }))
          const times = slotTimes(tasks)
          // Each task once on each distinct slot it held.
          const held = tasks.flatMap((t, i) =>
            [...new Set([t.slot, ...(t.slots ?? [])])].map(slot => `${i}:${slot}`)
          )
          multiSlot += tasks.filter(t => new Set(t.slots).size > 1).length
          expect(times.map(t => `${t.index}:${t.slot}`).sort()).toEqual(held.sort())
          for (const t of times) {
            const given = tasks[t.index] as TimelineTask
            expect(t.start).toBe(Math.max(0, given.startMs))
            expect(t.end).toBeGreaterThanOrEqual(t.start)
            expect(t.end).toBeLessThanOrEqual(Math.max(t.start, given.endMs))
          }
          times.forEach((t, k) => {
            const next = times[k + 1]
            if (next?.slot === t.slot) expect(t.end).toBeLessThanOrEqual(next.start)
          })
        }
      ),
      { seed: 20261207, numRuns: 500 }
    )
    expect(runs).toBe(500)
    expect(multiSlot).toBeGreaterThan(1_000)
  })
})

describe('measuredWidth', () => {
  it('is at least the width Chromium draws at 11 px, per character and per entity code', () => {
    // Measured in the preview's Chromium: a gantt label of 20 of each, its width / 20.
    const drawn: [string, number][] = [
      ['a', 6.16],
      ['m', 9.16],
      ['_', 6.21],
      ['ß', 6.73],
      ['~', 6.42],
      ['W', 10.41],
      ['M', 9.16],
      ['@', 11.17],
      ['—', 11.0],
      ['…', 11.0],
      ['ш', 8.83],
      ['Ш', 10.08],
      ['Ж', 10.16],
      ['ω', 8.61],
      ['Ω', 8.22],
      ['😀', 13.74]
    ]
    expect(drawn.filter(([ch, width]) => measuredWidth(ch) < width)).toEqual([])
    // An entity code as its placeholder: ﬂ 5.5, ° 4.4 twice, ¶ 5.91, ß 6.73, and 6.12 a digit.
    const placeholder = (digits: number): number => 5.5 + 2 * 4.4 + 5.91 + 6.73 + 6.12 * digits
    expect(measuredWidth('#58;')).toBeGreaterThanOrEqual(placeholder(2))
    expect(measuredWidth('#8212;')).toBeGreaterThanOrEqual(placeholder(4))
  })
})

describe('chooseBuckets', () => {
  it.each([
    [0, 'milliseconds', 1, 1],
    [146, 'milliseconds', 5, 30],
    [999, 'milliseconds', 50, 20],
    [1_450, 'seconds', 50, 29],
    [2_600, 'seconds', 100, 26],
    [90_000, 'seconds', 5_000, 18],
    [45 * 60_000, 'minutes', 120_000, 23],
    [3 * 3_600_000, 'minutes', 600_000, 18],
    [10 * 3_600_000, 'hours', 1_800_000, 20],
    [40 * 24 * 3_600_000, 'hours', 180_000_000, 20]
  ])('splits a run of %d ms into %s, %d ms each, %d buckets', (span, unit, width, count) => {
    const buckets = chooseBuckets(span)
    expect([buckets.unit.name, buckets.width, buckets.count]).toEqual([unit, width, count])
    expect(buckets.count).toBeLessThanOrEqual(MAX_BUCKETS)
    expect(buckets.count * buckets.width).toBeGreaterThanOrEqual(span)
  })

  it('labels every bucket in at most 4 characters, at any span', () => {
    let spans = 0
    // Every span from 1 ms to 100 days, 40 to each power of ten.
    for (let span = 1; span < 1e10; span = Math.ceil(span * 1.06)) {
      spans++
      const chart = busyWorkersChart([task(1, 0, span)], 1)
      const labels = JSON.parse(`[${/x-axis "[a-z ]+" \[(.*)\]\n/.exec(chart.text)?.[1]}]`)
      for (const label of labels as string[]) expect(label.length).toBeLessThanOrEqual(4)
    }
    expect(spans).toBeGreaterThan(300)
  })
})

describe('busyWorkers', () => {
  const SECONDS = { name: 'seconds', ms: 1000 }

  it('averages the tasks running in each bucket, the last one over its part of the run', () => {
    // Buckets of 100 ms over a run of 250 ms.
    const tasks = [task(1, 0, 100), task(2, 50, 250), task(1, 100, 150), task(3, 0, 0)]
    expect(busyWorkers(tasks, { unit: SECONDS, width: 100, count: 3 })).toEqual([1.5, 1.5, 1])
  })

  it('counts a task once on each slot it held', () => {
    const tasks = [{ ...task(1, 0, 100), slots: [1, 2, 3] }, task(4, 0, 50)]
    expect(busyWorkers(tasks, { unit: SECONDS, width: 100, count: 1 })).toEqual([3.5])
  })

  it('counts a slot once however its recorded times overlap', () => {
    const tasks = [task(1, 0, 101), task(1, 100, 200)]
    expect(busyWorkers(tasks, chooseBuckets(200))).toEqual(Array(20).fill(1))
  })

  it('adds up to the time every task ran, at any scale', () => {
    let runs = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            slot: fc.integer({ min: 1, max: 8 }),
            more: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
            start: fc.nat({ max: 10_000_000 }),
            length: fc.nat({ max: 10_000_000 })
          }),
          { minLength: 1, maxLength: 60 }
        ),
        entries => {
          runs++
          const tasks = entries.map(e => ({
            ...task(e.slot, e.start, e.start + e.length),
            ...(e.more.length > 0 ? { slots: [e.slot, ...e.more] } : {})
          }))
          const times = slotTimes(tasks)
          const span = Math.max(...times.map(t => t.end))
          const buckets = chooseBuckets(span)
          const busy = busyWorkers(tasks, buckets)
          expect(busy).toHaveLength(buckets.count)
          const spent = busy.reduce(
            (sum, value, b) =>
              sum + value * Math.max(0, Math.min(buckets.width, span - b * buckets.width)),
            0
          )
          const ran = times.reduce((sum, t) => sum + t.end - t.start, 0)
          expect(spent).toBeCloseTo(ran, 3)
          // One task at a time per slot: never more busy than slots in use.
          const slots = new Set(times.map(t => t.slot)).size
          for (const value of busy) expect(value).toBeLessThanOrEqual(slots + 1e-9)
        }
      ),
      { seed: 20261208, numRuns: 500 }
    )
    expect(runs).toBe(500)
  })
})

describe('busyWorkersChart', () => {
  it('draws one bar per bucket, labelled by its start, on an axis up to the workers', () => {
    const tasks = [task(1, 0, 1000), task(2, 500, 2000), task(1, 1000, 1500, TaskStatus.Failure)]
    expect(busyWorkersChart(tasks, 4)).toEqual({
      omitted: 0,
      text: [
        '---',
        'config:',
        '  xyChart:',
        '    width: 900',
        '    height: 260',
        '    xAxis:',
        '      labelFontSize: 12',
        '    yAxis:',
        '      labelFontSize: 14',
        '  themeVariables:',
        '    xyChart:',
        '      plotColorPalette: "#54aeff"',
        '---',
        'xychart-beta',
        '  x-axis "seconds since the start" ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9"]',
        '  y-axis "busy workers" 0.162 --> 4',
        '  bar [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1]'
      ].join('\n')
    })
  })

  it('stays small and holds no task text for 100,000 tasks', () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) =>
      task((i % 64) + 1, Math.floor(i / 64) * 1000, Math.floor(i / 64) * 1000 + 900)
    )
    const chart = busyWorkersChart(tasks, 64)
    expect(chart.text.length).toBeLessThan(MAX_CHART_TEXT / 20)
    expect(chart.text).not.toContain('task ')
    expect(chart.text).toContain('x-axis "minutes since the start"')
    expect(chart.text).toMatch(/y-axis "busy workers" 2\.586 --> 64\n/)
  })
})
