import { type Chart } from './mermaid-chart.js'
import { slotTimes, type TimelineTask } from './timeline-tasks.js'

/** Most bars: at about 900 px, 30 labels of up to 4 characters still fit under them. */
export const MAX_BUCKETS = 30

/** A time unit of the x axis: its name and its length in ms. */
interface Unit {
  name: string
  ms: number
}
const MILLISECONDS: Unit = { name: 'milliseconds', ms: 1 }
const SECONDS: Unit = { name: 'seconds', ms: 1000 }
const MINUTES: Unit = { name: 'minutes', ms: 60_000 }
const HOURS: Unit = { name: 'hours', ms: 3_600_000 }

/** Bucket widths tried, in units: round numbers, the smallest that makes at most MAX_BUCKETS. */
const STEPS = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 50, 100]

/** The buckets of the x axis: the unit, each bucket's width in ms, how many. */
export interface Buckets {
  unit: Unit
  /** Width of one bucket, in ms (a round number of units). */
  width: number
  count: number
}

/**
 * The buckets for a run `spanMs` long: milliseconds under 1 second, seconds under 5 minutes,
 * minutes under 5 hours, hours beyond, so labels stay at most 4 characters (`0.05`, `145`, `4.5`),
 * the narrowest round width that needs at most MAX_BUCKETS.
 */
export function chooseBuckets(spanMs: number): Buckets {
  const span = Math.max(1, spanMs)
  const unit =
    span < 1_000 ? MILLISECONDS : span < 300_000 ? SECONDS : span < 18_000_000 ? MINUTES : HOURS
  const inUnits = span / unit.ms
  // Beyond the list (runs of many days), whole powers of ten of hours.
  const step =
    STEPS.find(s => s * unit.ms >= 1 && inUnits / s <= MAX_BUCKETS) ??
    10 ** Math.ceil(Math.log10(inUnits / MAX_BUCKETS))
  const width = step * unit.ms
  return { unit, width, count: Math.max(1, Math.ceil(span / width)) }
}

/**
 * How many tasks were running, on average, in each bucket of time: the time tasks spent in the
 * bucket divided by the bucket's length (its part within the run, for the last one). Every task
 * that ran counts once on each slot it held, with times as slotTimes gives them (so a slot never
 * counts twice).
 */
export function busyWorkers(tasks: readonly TimelineTask[], buckets: Buckets): number[] {
  const times = slotTimes(tasks)
  const span = times.reduce((max, t) => Math.max(max, t.end), 0)
  const busy = new Array<number>(buckets.count).fill(0)
  for (const { start, end } of times) {
    const first = Math.min(buckets.count - 1, Math.floor(start / buckets.width))
    for (let b = first; b < buckets.count && b * buckets.width < end; b++) {
      const from = Math.max(start, b * buckets.width)
      const to = Math.min(end, (b + 1) * buckets.width)
      busy[b] = (busy[b] as number) + Math.max(0, to - from)
    }
  }
  return busy.map((spent, b) => {
    const length = Math.min(buckets.width, span - b * buckets.width)
    return length > 0 ? spent / length : 0
  })
}

/**
 * Mermaid starts a bar chart's y axis half a tick label's height above the plot's bottom (its
 * `outerPadding`: 8 px for the 14 px labels), so a bar of 0 would still be 8 px tall. The axis
 * starts instead at the value that puts 0 on the plot's bottom: PAD × peak / (PLOT − PAD), where
 * PLOT is the plot's height (about 202 px in a 260 px chart, measured in Chromium; taken a little
 * larger, so a 0 stays a sliver rather than a negative height, which SVG refuses).
 */
const Y_LABEL_PAD = 8
const PLOT_HEIGHT = 206

/** Where the y axis starts so that a bar's height is proportional to its value (see above). */
const yAxisStart = (peak: number): number => (Y_LABEL_PAD * peak) / (PLOT_HEIGHT - Y_LABEL_PAD)

/** A number with at most `digits` decimals, without trailing zeros. */
const decimal = (value: number, digits: number): string => String(Number(value.toFixed(digits)))

/**
 * A Mermaid xychart (bar chart) of how many of the `workers` were busy over the run, one bar per
 * bucket of time (see busyWorkers): a picture of every task, however many ran. Its text holds
 * only numbers and fixed words, never an item's text, so nothing in it needs escaping.
 */
export function busyWorkersChart(tasks: readonly TimelineTask[], workers: number): Chart {
  const span = slotTimes(tasks).reduce((max, t) => Math.max(max, t.end), 0)
  const buckets = chooseBuckets(span)
  const busy = busyWorkers(tasks, buckets)
  const peak = Math.max(
    Number.isFinite(workers) ? Math.floor(workers) : 1,
    ...busy.map(Math.ceil),
    1
  )
  const digits = Math.max(0, -Math.floor(Math.log10(buckets.width / buckets.unit.ms)))
  const labels = busy.map((_, b) => `"${decimal((b * buckets.width) / buckets.unit.ms, digits)}"`)
  const text = [
    '---',
    'config:',
    '  xyChart:',
    '    width: 900',
    '    height: 260',
    '    xAxis:',
    '      labelFontSize: 12',
    '    yAxis:',
    '      labelFontSize: 14',
    // A blue that reads on light and dark pages (the default is a pale lavender).
    '  themeVariables:',
    '    xyChart:',
    '      plotColorPalette: "#54aeff"',
    '---',
    'xychart-beta',
    `  x-axis "${buckets.unit.name} since the start" [${labels.join(', ')}]`,
    `  y-axis "busy workers" ${decimal(yAxisStart(peak), 3)} --> ${peak}`,
    `  bar [${busy.map(value => decimal(value, 2)).join(', ')}]`
  ].join('\n')
  return { text, omitted: 0 }
}
