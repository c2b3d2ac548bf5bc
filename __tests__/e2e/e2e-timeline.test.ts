import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction } from '../helpers/action.js'

/** The Mermaid charts of a summary, by their first line (`gantt`, `xychart-beta`, …). */
function charts(summary: string): Record<string, string> {
  const found = [...summary.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map(m => m[1] as string)
  return Object.fromEntries(
    found.map(text => [text.split('\n').find(l => !/^-|^ |^config/.test(l)), text])
  )
}

/** A gantt chart's bars by section: [id, start, end] in the order written. */
function barsBySection(gantt: string): Map<string, [string, number, number][]> {
  const sections = new Map<string, [string, number, number][]>()
  let section = ''
  for (const line of gantt.split('\n')) {
    const head = /^ {2}section (.*)$/.exec(line)
    if (head) section = head[1] as string
    const bar = /:(?:.*, )?(t\d+), (\d+), (\d+)$/.exec(line)
    if (bar)
      sections.set(section, [
        ...(sections.get(section) ?? []),
        [bar[1] as string, Number(bar[2]), Number(bar[3])]
      ])
  }
  return sections
}

describe('the timeline of a real run', () => {
  it('draws 30 quick tasks each on its own row, none overlapping another on its slot', async () => {
    const items = Array.from({ length: 30 }, (_, i) => `item-${i}`).join('\n')
    const run = await runAction({ items, command: 'true', 'max-workers': '3' })
    expect(run.code).toBe(0)
    const drawn = charts(run.summary)
    expect(Object.keys(drawn)).toEqual(['gantt'])
    const gantt = drawn.gantt as string
    expect(gantt).not.toContain('displayMode')
    const sections = barsBySection(gantt)
    expect([...sections.keys()]).toEqual(['Slot 1', 'Slot 2', 'Slot 3'])
    expect([...sections.values()].flat()).toHaveLength(30)
    for (const bars of sections.values()) {
      bars.forEach(
        ([, , end], k) => k + 1 < bars.length && expect(end).toBeLessThanOrEqual(bars[k + 1]![1])
      )
    }
    // Every task that ran is drawn, whatever its recorded times (which may overlap by 1 ms).
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8')) as {
      results: { slot: number }[]
    }
    const perSlot = (slot: number): number => file.results.filter(r => r.slot === slot).length
    for (const slot of [1, 2, 3]) expect(sections.get(`Slot ${slot}`)).toHaveLength(perSlot(slot))
  }, 60_000)

  it('draws how busy the workers were and the slowest tasks for 200 tasks', async () => {
    const items = Array.from({ length: 200 }, (_, i) => `item-${i}`).join('\n')
    const run = await runAction({ items, command: 'true', 'max-workers': '4' })
    expect(run.code).toBe(0)
    const drawn = charts(run.summary)
    expect(Object.keys(drawn)).toEqual(['xychart-beta', 'gantt'])
    expect(drawn['xychart-beta']).toMatch(
      /\n {2}y-axis "busy workers" 0\.162 --> 4\n {2}bar \[[\d., ]+\]$/
    )
    expect(run.summary).toContain('<summary>Timeline: the 20 slowest of 200 tasks</summary>')
    expect([...barsBySection(drawn.gantt as string).values()].flat()).toHaveLength(20)
  }, 60_000)

  it('records no two tasks of one slot overlapping, not even by a millisecond', async () => {
    // Each end was its wall-clock start plus a rounded duration: rounding up overlapped the next
    // start on the slot by 1 ms for about one pair in thirteen.
    const items = Array.from({ length: 300 }, (_, i) => `item-${i}`).join('\n')
    const run = await runAction({ items, command: 'true', 'max-workers': '4', log: 'none' })
    expect(run.code).toBe(0)
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8')) as {
      results: { slot: number; startedAt: string; endedAt: string; durationMs: number }[]
    }
    const overlaps: string[] = []
    for (const slot of [1, 2, 3, 4]) {
      const times = file.results
        .filter(r => r.slot === slot)
        .map(r => [Date.parse(r.startedAt), Date.parse(r.endedAt)] as [number, number])
        .sort((a, b) => a[0] - b[0])
      times.forEach(([, end], k) => {
        const next = times[k + 1]
        if (next !== undefined && end > next[0]) overlaps.push(`slot ${slot}: ${end} > ${next[0]}`)
      })
    }
    expect(overlaps).toEqual([])
  }, 60_000)
})
