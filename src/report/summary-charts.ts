import { itemText } from '../model/item.js'
import { itemLabel } from '../model/labels.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { dependencyFlowchart } from './mermaid-flowchart.js'
import { ganttChart } from './mermaid-gantt.js'
import { escapeHtml } from './markdown-escape.js'

/** Runs with at most this many tasks show their charts open; larger ones collapse them. */
const OPEN_CHARTS_UP_TO = 20

/**
 * The run as pictures: a timeline of which task ran when on which worker, and for named tasks a
 * graph of their needs coloured by status. GitHub renders Mermaid blocks in job summaries.
 */
export function summaryCharts(report: RunReport): string[] {
  const open = report.records.length <= OPEN_CHARTS_UP_TO ? ' open' : ''
  const blocks: string[] = []
  const timeline = timelineBlock(report, open)
  if (timeline !== undefined) blocks.push(timeline)
  if (report.records.some(record => record.needs !== undefined)) {
    blocks.push(graphBlock(report.records, open))
  }
  return blocks
}

/** The timeline of the tasks that ran, if any did. */
function timelineBlock(report: RunReport, open: string): string | undefined {
  const ran = report.records.filter(record => record.startedAt !== null && record.endedAt !== null)
  if (ran.length === 0) return undefined
  const origin = Math.min(...ran.map(record => record.startedAt as number))
  const gantt = ganttChart(
    ran.map(record => ({
      label: itemLabel(record.item, 200),
      slot: record.slot ?? 1,
      startMs: (record.startedAt as number) - origin,
      endMs: (record.endedAt as number) - origin,
      status: record.status
    }))
  )
  const note = gantt.omitted > 0 ? `, ${gantt.omitted} more not drawn` : ''
  const title = `Timeline: ${ran.length} tasks on ${report.workers} workers${note}`
  return mermaidBlock(title, gantt.text, open)
}

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
  const note = graph.omitted > 0 ? `, ${graph.omitted} more not drawn` : ''
  return mermaidBlock(`Task graph${note}`, graph.text, open)
}

/** A collapsible block with a Mermaid chart in it. */
function mermaidBlock(title: string, chart: string, open: string): string {
  return `<details${open}><summary>${escapeHtml(title)}</summary>\n\n\`\`\`mermaid\n${chart}\n\`\`\`\n\n</details>\n`
}
