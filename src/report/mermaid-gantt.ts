import { STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { type SlotTime, slotTimes, type TimelineTask } from './timeline-tasks.js'
import { type Chart, type ChartLimits, MAX_CHART_TEXT, resolveLimits } from './mermaid-chart.js'
import { fittingLength } from './label-width.js'
import { mermaidLabel, withNote } from './mermaid-label.js'

export type { TimelineTask } from './timeline-tasks.js'

/** A gantt chart, and which of the tasks given it draws (indices, most interesting first). */
export interface GanttChart extends Chart {
  drawn: number[]
}

/**
 * At most 30 rows, and labels of at most 40 characters, fewer when wide (see fittingLength), so a
 * label fits inside its bar, or beside it on its own row.
 */
export const DEFAULT_GANTT_LIMITS: ChartLimits = { maxEntries: 30, maxLabel: 40 }

/** How the time axis is written. */
interface Axis {
  /** d3 time format for the ticks. */
  format: string
  /** Real ms per chart ms: the chart's "timestamps" are `ms / divisor`. */
  divisor: number
  /** `tickInterval` line value, or undefined to let d3 choose. */
  tick: string | undefined
}

/**
 * Chooses the axis for a run `spanMs` long. Mermaid formats ticks in the viewer's time zone, and
 * only `%Q` (epoch ms) and `%s` (epoch seconds) are free of it, so longer runs scale their
 * timestamps (1 real minute is 1 chart second under `%s min`). The tick interval is set so ticks
 * land on whole units.
 */
function chooseAxis(spanMs: number): Axis {
  const pick = (span: number, steps: number[]): number | undefined =>
    steps.find(step => span / step <= 10)
  if (spanMs < 5_000) {
    const step = pick(spanMs, [1, 2, 5, 10, 20, 50, 100, 200, 250, 500])
    return { format: '%Q ms', divisor: 1, tick: `${step ?? 500}millisecond` }
  }
  const [unit, divisor] =
    spanMs < 300_000 ? ['s', 1] : spanMs < 5 * 3_600_000 ? ['min', 60] : ['h', 3600]
  const step = pick(spanMs / divisor / 1000, [1, 2, 5, 10, 15, 20, 30])
  return { format: `%s ${unit}`, divisor, tick: step === undefined ? undefined : `${step}second` }
}

/**
 * Gantt tags per status (Mermaid has only `active`, `done`, `crit` and `milestone`), in the order
 * of Mermaid's tag list, and the text added to the label so the status does not rest on colour.
 */
const GANTT_STATUS: Record<TaskStatus, { tags: string[]; note: string }> = {
  [TaskStatus.Success]: { tags: [], note: '' },
  [TaskStatus.Failure]: { tags: ['crit'], note: STATUS_WORDS[TaskStatus.Failure] },
  [TaskStatus.TimedOut]: { tags: ['active', 'crit'], note: STATUS_WORDS[TaskStatus.TimedOut] },
  [TaskStatus.Cancelled]: { tags: ['done'], note: STATUS_WORDS[TaskStatus.Cancelled] },
  [TaskStatus.Skipped]: { tags: [], note: '' },
  [TaskStatus.Reused]: { tags: [], note: STATUS_WORDS[TaskStatus.Reused] }
}

interface Bar {
  /** The bar's Mermaid id: `t<index>` on the task's first slot, `t<index>s<slot>` on the others. */
  id: string
  /** The task's index into the tasks given. */
  index: number
  slot: number
  start: number
  end: number
  status: TaskStatus
  label: string
}

/** A task as the chart draws it: a bar on each slot it held, all kept or left out together. */
interface DrawnTask {
  index: number
  status: TaskStatus
  /** Its longest bar's length (its bars differ only where an overlap was cut). */
  length: number
  bars: Bar[]
}

const isFailure = (status: TaskStatus): boolean =>
  status === TaskStatus.Failure || status === TaskStatus.TimedOut

/** What a label adds to the task's text: how many slots it held (if more than one), its status. */
function labelNote(status: TaskStatus, slots: number): string {
  const notes = [slots > 1 ? `${slots} slots` : '', GANTT_STATUS[status].note]
  return notes.filter(note => note !== '').join(', ')
}

/**
 * A Mermaid gantt chart with one row per task and slot, in one section per worker slot (a slot's
 * tasks in the order they ran), so a label that does not fit its bar is drawn beside it on its own
 * row and never over another task's bar. A task that held several slots has a bar in each of their
 * sections, labelled with how many (`e2e (3 slots)`). Failures are marked `crit`, timed-out tasks
 * `active, crit`, cancelled ones `done`, and each non-success labelled with its status. Labels are
 * cut to `maxLabel` characters, fewer when Mermaid would measure them past MAX_LABEL_WIDTH. Skipped
 * tasks (they never ran) are not drawn and not counted in `omitted`. Tasks of one slot never
 * overlap (see slotTimes). Past `maxEntries` rows, or past {@link MAX_CHART_TEXT}, the most
 * interesting tasks are kept whole (failures first, then the longest) and the tasks left out are
 * counted in `omitted` (`drawn` lists those kept); the first of them is always drawn, on its lowest
 * slots when it held more than fit. Tasks that take no time on the chart's scale are drawn as
 * milestones (a diamond), since a bar of no width would not show. Task ids are `t<index>`, the
 * index into `tasks`, and `t<index>s<slot>` for a task's bars on its other slots.
 */
export function ganttChart(
  tasks: readonly TimelineTask[],
  limits?: Partial<ChartLimits>
): GanttChart {
  const { maxEntries, maxLabel } = resolveLimits(limits, DEFAULT_GANTT_LIMITS)
  const ranked = drawnTasks(tasks, maxLabel).sort(
    (a, b) =>
      Number(isFailure(b.status)) - Number(isFailure(a.status)) ||
      b.length - a.length ||
      a.index - b.index
  )
  // The most interesting tasks whose bars fit in maxEntries rows; a task too wide for the rows
  // left gives way to the next ones that fit. The first is always drawn, so a chart of tasks that
  // ran is never empty: on its lowest maxEntries slots when it held more slots than that.
  let rows = 0
  let kept = ranked.flatMap((task, rank) => {
    const drawn = rank === 0 ? onLowestSlots(task, maxEntries) : task
    if (drawn.bars.length === 0 || rows + drawn.bars.length > maxEntries) return []
    rows += drawn.bars.length
    return [drawn]
  })
  let text = ganttText(kept.flatMap(task => task.bars))
  while (text.length > MAX_CHART_TEXT && kept.length > 0) {
    // Drop about as many of the least interesting tasks as the overflow takes, at least one; the
    // first alone and still too long is drawn on fewer of its slots.
    const perTask = text.length / kept.length
    const drop = Math.max(1, Math.ceil((text.length - MAX_CHART_TEXT) / perTask))
    const [first] = kept as [DrawnTask]
    kept =
      kept.length > 1
        ? kept.slice(0, Math.max(1, kept.length - drop))
        : [onLowestSlots(first, Math.floor((first.bars.length * MAX_CHART_TEXT) / text.length))]
    kept = kept.filter(task => task.bars.length > 0)
    text = ganttText(kept.flatMap(task => task.bars))
  }
  return { text, omitted: ranked.length - kept.length, drawn: kept.map(task => task.index) }
}

/** The task on at most `rows` of its slots, its lowest (its bars are in slot order). */
function onLowestSlots(task: DrawnTask, rows: number): DrawnTask {
  return task.bars.length <= rows ? task : { ...task, bars: task.bars.slice(0, rows) }
}

/** The tasks that ran, each with its bars (see slotTimes) and its label, in input order. */
function drawnTasks(tasks: readonly TimelineTask[], maxLabel: number): DrawnTask[] {
  const byTask = new Map<number, SlotTime[]>()
  for (const time of slotTimes(tasks)) {
    const held = byTask.get(time.index)
    if (held === undefined) byTask.set(time.index, [time])
    else held.push(time)
  }
  return [...byTask.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, times]): DrawnTask => {
      const { status, label } = tasks[index] as TimelineTask
      const note = labelNote(status, times.length)
      const text = withNote(mermaidLabel(label, fittingLength(label, note, maxLabel), true), note)
      const bars = times.map(({ slot, start, end }, k) => ({
        id: k === 0 ? `t${index}` : `t${index}s${slot}`,
        index,
        slot,
        start,
        end,
        status,
        label: text
      }))
      const length = Math.max(...times.map(({ start, end }) => end - start))
      return { index, status, length, bars }
    })
}

/** The chart's text for the bars kept: a section per slot, a row per bar in the order they ran. */
function ganttText(bars: readonly Bar[]): string {
  const span = bars.reduce((max, bar) => Math.max(max, bar.end), 0)
  const axis = chooseAxis(span)
  const lines = ['gantt', '  dateFormat x', `  axisFormat ${axis.format}`]
  if (axis.tick !== undefined) lines.push(`  tickInterval ${axis.tick}`)
  // The chart's dates are in 1970: a line at today's date would only stretch the axis.
  lines.push('  todayMarker off')
  const ordered = [...bars].sort(
    (a, b) => a.slot - b.slot || a.start - b.start || a.index - b.index
  )
  let section: number | undefined
  for (const bar of ordered) {
    if (bar.slot !== section) lines.push(`  section Slot ${bar.slot}`)
    section = bar.slot
    lines.push(barLine(bar, axis))
  }
  return lines.join('\n')
}

/**
 * One bar's line: its label, tags, id, start and end on the chart's scale. Rounding is monotonic,
 * so bars that did not overlap before it do not after it (at most they touch).
 */
function barLine(bar: Bar, axis: Axis): string {
  const start = Math.round(bar.start / axis.divisor)
  const end = Math.round(bar.end / axis.divisor)
  const tags = [...GANTT_STATUS[bar.status].tags]
  if (end === start) tags.push('milestone')
  const data = [...tags, bar.id, String(start), String(end)].join(', ')
  return `    ${bar.label} :${data}`
}
