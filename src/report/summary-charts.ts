import { itemText } from '../model/item.js'
import { fileOfSlot } from '../model/batch-runs.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { count, counted } from '../model/words.js'
import { dependencyFlowchart } from './mermaid-flowchart.js'
import { ganttChart } from './mermaid-gantt.js'
import { busyWorkersChart } from './mermaid-xychart.js'
import { escapeHtml } from './markdown-escape.js'
import { slotTimes, timelineTasks, type TimelineTask } from './timeline-tasks.js'

/** Runs with at most this many tasks show their charts open; larger ones collapse them. */
const OPEN_CHARTS_UP_TO = 20

/** Runs with at most this many tasks that ran draw each of them on the timeline. */
const EVERY_TASK_UP_TO = 30

/**
 * Most rows a timeline draws: a task that held several slots takes a row on each, so a run of up
 * to EVERY_TASK_UP_TO tasks of which some held several slots still draws every task.
 */
const MOST_ROWS = 2 * EVERY_TASK_UP_TO

/** Larger runs draw the slowest tasks, and this many more of the failed ones. */
const SLOWEST_TASKS = 20
const MORE_FAILURES = 10

/**
 * The run as pictures: a timeline of which task ran when on which worker slots (every task up to
 * {@link EVERY_TASK_UP_TO} in up to {@link MOST_ROWS} rows; beyond, how busy the workers were over
 * time, counting every slot each task held, and a timeline of the slowest and failed tasks), and,
 * when some named task needs another, a graph of the needs coloured by status. GitHub renders
 * Mermaid blocks in job summaries.
 */
export function summaryCharts(report: RunReport): string[] {
  const open = report.records.length <= OPEN_CHARTS_UP_TO ? ' open' : ''
  const blocks = timelineBlocks(report, open)
  if (report.records.some(record => (record.needs?.length ?? 0) > 0)) {
    blocks.push(graphBlock(report.records, open))
  }
  return blocks
}

/** The timeline charts of the tasks that ran, if any did. */
function timelineBlocks(report: RunReport, open: string): string[] {
  const ran = report.records.filter(record => record.startedAt !== null && record.endedAt !== null)
  if (ran.length === 0) return []
  const groups = report.merged?.slotsPerFile ?? []
  const originOf = origins(ran, groups)
  // One bar per command: a batch's members share its one process.
  const tasks = timelineTasks(ran, report, originOf)
  const own = groups.length > 1 ? ', each shard from its own start' : ''
  const workers = `${drawnCount(tasks)} on ${counted(report.workers, 'worker')}${own}`
  const every = (omitted: number): string =>
    `Timeline: ${workers}${omitted > 0 ? `, ${count(omitted)} of them not drawn` : ''}`
  if (tasks.length <= EVERY_TASK_UP_TO && slotTimes(tasks).length <= MOST_ROWS) {
    const gantt = ganttChart(tasks, { maxEntries: MOST_ROWS })
    return [mermaidBlock(every(gantt.omitted), gantt.text, open)]
  }
  const busy = busyWorkersChart(tasks, report.workers)
  const picked = slowestAndFailed(tasks)
  const chosen = [...picked.slowest, ...picked.more]
  const gantt = ganttChart(
    chosen.map(index => tasks[index] as TimelineTask),
    { maxEntries: MOST_ROWS }
  )
  const drawn = new Set(gantt.drawn.map(k => chosen[k] as number))
  const title =
    chosen.length === tasks.length ? every(gantt.omitted) : `${picked.title(drawn)}${own}`
  return [
    mermaidBlock(`Busy workers over time: ${workers}`, busy.text, open),
    mermaidBlock(title, gantt.text, open)
  ]
}

/**
 * Where each record's times count from: the first start among the records of its file when the
 * report merged files (`slotsPerFile`: shards start apart, queued or on clocks that differ, and one
 * origin would stretch the axis over the gap and flatten the busy counts), else the run's first
 * start. So the charts span about the slowest shard's wall time, as the headline says.
 */
function origins(
  ran: readonly TaskRecord[],
  slotsPerFile: readonly number[]
): (record: TaskRecord) => number {
  const fileOfRecord = fileOfSlot(slotsPerFile)
  const fileOf = (record: TaskRecord): number => fileOfRecord(record.slot ?? 1)
  const first = new Map<number, number>()
  for (const record of ran) {
    const file = fileOf(record)
    first.set(file, Math.min(first.get(file) ?? Infinity, record.startedAt as number))
  }
  return record => first.get(fileOf(record)) as number
}

/** The tasks a large run's timeline chooses, and its title once it knows which it drew. */
interface Chosen {
  slowest: number[]
  more: number[]
  title(drawn: ReadonlySet<number>): string
}

/**
 * The tasks a large run's timeline draws: the {@link SLOWEST_TASKS} slowest, then the slowest
 * {@link MORE_FAILURES} of the failed or timed-out tasks not among them; and a title saying so,
 * and how many of each it drew when the rows left some out (`15 of the 20 slowest of 30 tasks`).
 */
function slowestAndFailed(tasks: readonly TimelineTask[]): Chosen {
  // A task's length is its longest bar's (its bars differ only where an overlap was cut).
  const length = new Map<number, number>()
  for (const t of slotTimes(tasks)) {
    length.set(t.index, Math.max(length.get(t.index) ?? 0, t.end - t.start))
  }
  const byLength = tasks
    .map((_, index) => index)
    .sort((a, b) => (length.get(b) ?? 0) - (length.get(a) ?? 0) || a - b)
  const slowest = byLength.slice(0, SLOWEST_TASKS)
  const failed = (index: number): boolean =>
    tasks[index]?.status === TaskStatus.Failure || tasks[index]?.status === TaskStatus.TimedOut
  const otherFailures = byLength.slice(SLOWEST_TASKS).filter(failed)
  const more = otherFailures.slice(0, MORE_FAILURES)
  const [one, many] = barWords(tasks)
  const title = (drawn: ReadonlySet<number>): string => {
    /** `the 20 slowest …`, or `15 of the 20 slowest …` when only 15 of them were drawn. */
    const some = (group: readonly number[], what: string): string => {
      const shown = group.filter(index => drawn.has(index)).length
      return shown === group.length ? `the ${what}` : `${count(shown)} of the ${what}`
    }
    const slowestOfAll = `${count(slowest.length)} slowest of ${counted(tasks.length, one, many)}`
    let text = `Timeline: ${some(slowest, slowestOfAll)}`
    if (more.length > 0) {
      const others = counted(otherFailures.length, `other failed ${one}`, `other failed ${many}`)
      const which =
        more.length === otherFailures.length
          ? others
          : `${count(more.length)} slowest of the ${others}`
      text += `, and ${some(more, which)}`
    }
    return text
  }
  return { slowest, more, title }
}

/**
 * What a timeline draws: `12 tasks`, `3 batches of 12 tasks`, or when some tasks ran alone beside
 * batches `2 batches of 4 tasks and 4 single tasks`.
 */
function drawnCount(bars: readonly TimelineTask[]): string {
  const batches = bars.filter(bar => bar.batchItems !== undefined)
  const batched = batches.reduce((sum, bar) => sum + (bar.batchItems as number), 0)
  const alone = bars.length - batches.length
  if (batches.length === 0) return counted(alone, 'task')
  const inBatches = `${counted(batches.length, 'batch', 'batches')} of ${counted(batched, 'task')}`
  return alone === 0 ? inBatches : `${inBatches} and ${counted(alone, 'single task')}`
}

/** What a timeline's bars are: tasks, batches, or commands when both. */
function barWords(bars: readonly TimelineTask[]): [string, string] {
  const batches = bars.filter(bar => bar.batchItems !== undefined).length
  if (batches === 0) return ['task', 'tasks']
  return batches === bars.length ? ['batch', 'batches'] : ['command', 'commands']
}

/** The note on a chart's title when limits left entries out. */
const notDrawn = (omitted: number): string =>
  omitted > 0 ? `, ${count(omitted)} more not drawn` : ''

/** The graph of the named tasks' needs. */
function graphBlock(records: readonly TaskRecord[], open: string): string {
  const graph = dependencyFlowchart(
    records.map(record => ({
      // Needs name tasks exactly, so the node names must be the exact task names.
      name: itemText(record.item),
      needs: record.needs ?? [],
      status: record.status,
      reason: record.skipReason
    }))
  )
  return mermaidBlock(`Task graph${notDrawn(graph.omitted)}`, graph.text, open)
}

/** A collapsible block with a Mermaid chart in it. */
function mermaidBlock(title: string, chart: string, open: string): string {
  return `<details${open}><summary>${escapeHtml(title)}</summary>\n\n\`\`\`mermaid\n${chart}\n\`\`\`\n\n</details>\n`
}
