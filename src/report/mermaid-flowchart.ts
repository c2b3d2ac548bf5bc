import { STATUS_WORDS, TaskStatus } from '../model/task-status.js'
import { type Chart, type ChartLimits, MAX_CHART_TEXT, resolveLimits } from './mermaid-chart.js'
import { DEFAULT_MAX_LABEL, escapeLabelText, mermaidLabel, withNote } from './mermaid-label.js'

/** One task of a dependency graph. */
export interface GraphNode {
  name: string
  /** Names of the tasks this one needs; names that are not in the graph draw no edge. */
  needs: readonly string[]
  status: TaskStatus
  /** Why it was skipped, if it was. */
  reason?: string
}

export const DEFAULT_FLOWCHART_LIMITS: ChartLimits = {
  maxEntries: 100,
  maxLabel: DEFAULT_MAX_LABEL
}

/** Mermaid's flowchart parser throws past this many edges (its `maxEdges` default). */
export const MAX_FLOWCHART_EDGES = 500

const HEADER = 'flowchart LR'

/** classDef per status: fill, border and text colour, so labels stay readable in dark mode too. */
const FLOW_CLASS: Record<TaskStatus, { name: string; style: string; note: string }> = {
  [TaskStatus.Success]: {
    name: 'success',
    style: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
    note: ''
  },
  [TaskStatus.Failure]: {
    name: 'failure',
    style: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-width:2px',
    note: STATUS_WORDS[TaskStatus.Failure]
  },
  [TaskStatus.TimedOut]: {
    name: 'timedOut',
    style: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328,stroke-width:2px',
    note: STATUS_WORDS[TaskStatus.TimedOut]
  },
  [TaskStatus.Cancelled]: {
    name: 'cancelled',
    style: 'fill:#eaeef2,stroke:#57606a,color:#1f2328',
    note: STATUS_WORDS[TaskStatus.Cancelled]
  },
  [TaskStatus.Skipped]: {
    name: 'skipped',
    style: 'fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
    note: STATUS_WORDS[TaskStatus.Skipped]
  },
  [TaskStatus.Reused]: {
    name: 'reused',
    style: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328,stroke-dasharray:4 3',
    note: STATUS_WORDS[TaskStatus.Reused]
  }
}

/** Which nodes are kept first when there are too many. */
const FLOW_RANK: Record<TaskStatus, number> = {
  [TaskStatus.Failure]: 0,
  [TaskStatus.TimedOut]: 0,
  [TaskStatus.Skipped]: 1,
  [TaskStatus.Cancelled]: 2,
  [TaskStatus.Success]: 3,
  [TaskStatus.Reused]: 3
}

/** The graph's edges by node index: whom each node needs, and who needs it; each edge once. */
interface Edges {
  needsOf: number[][]
  dependentsOf: number[][]
}

/** The nodes kept and each one's line. */
type KeptNodes = Map<number, string>

/**
 * A Mermaid flowchart (left to right) of a dependency graph: one node per entry, edges from each
 * need to its dependent, each node coloured by status (a classDef per status) and, unless it
 * succeeded, labelled with its status (and why it was skipped). Node ids are
 * `n<index>`, the index into `nodes`, never derived from names. A need names the first node of
 * that name; a need naming no node draws no edge, and so does a need on a node left out. Past `maxEntries` nodes, {@link MAX_FLOWCHART_EDGES}
 * edges or {@link MAX_CHART_TEXT}, failures are kept first (then skipped, cancelled, succeeded
 * nodes, each in input order), and the nodes left out are counted in `omitted`.
 */
export function dependencyFlowchart(
  nodes: readonly GraphNode[],
  limits?: Partial<ChartLimits>
): Chart {
  const { maxEntries, maxLabel } = resolveLimits(limits, DEFAULT_FLOWCHART_LIMITS)
  const edges = graphEdges(nodes)
  const kept = keepNodes(nodes, edges, maxEntries, maxLabel)
  return { text: flowchartText(nodes, edges, kept), omitted: nodes.length - kept.size }
}

/** The edges of the graph; a need names the first node of that name, and a node never needs itself. */
function graphEdges(nodes: readonly GraphNode[]): Edges {
  const indexByName = new Map<string, number>()
  nodes.forEach((node, index) => {
    if (!indexByName.has(node.name)) indexByName.set(node.name, index)
  })
  const needsOf = nodes.map((node, index) => {
    const from = new Set<number>()
    for (const need of node.needs) {
      const needIndex = indexByName.get(need)
      if (needIndex !== undefined && needIndex !== index) from.add(needIndex)
    }
    return [...from]
  })
  const dependentsOf = nodes.map((): number[] => [])
  needsOf.forEach((from, to) => from.forEach(f => dependentsOf[f]?.push(to)))
  return { needsOf, dependentsOf }
}

/** The nodes drawn, by rank, while the entry, edge and text limits allow, with each one's line. */
function keepNodes(
  nodes: readonly GraphNode[],
  { needsOf, dependentsOf }: Edges,
  maxEntries: number,
  maxLabel: number
): KeptNodes {
  const ranked = nodes
    .map((node, index) => ({ node, index }))
    .sort((a, b) => FLOW_RANK[a.node.status] - FLOW_RANK[b.node.status] || a.index - b.index)
  const kept: KeptNodes = new Map()
  let edges = 0
  // Budget: header, class definitions (at most one per status) and `class` lines' fixed parts.
  let length =
    HEADER.length +
    Object.values(FLOW_CLASS).reduce((sum, c) => sum + c.name.length * 2 + c.style.length + 24, 0)
  for (const { node, index } of ranked) {
    if (kept.size >= maxEntries) break
    const line = `  n${index}["${nodeLabel(node, maxLabel)}"]`
    // Edges between this node and those already kept: needs first, then dependents.
    const linked: [number, number][] = [
      ...(needsOf[index] ?? []).filter(from => kept.has(from)).map(from => [from, index]),
      ...(dependentsOf[index] ?? []).filter(to => kept.has(to)).map(to => [index, to])
    ] as [number, number][]
    const edgeLength = linked.reduce((sum, [from, to]) => sum + `  n${from} --> n${to}\n`.length, 0)
    const cost = line.length + 1 + `n${index},`.length + edgeLength
    if (edges + linked.length > MAX_FLOWCHART_EDGES || length + cost > MAX_CHART_TEXT) continue
    kept.set(index, line)
    edges += linked.length
    length += cost
  }
  return kept
}

/** The chart's text: kept nodes in input order, their edges, then one class per status present. */
function flowchartText(nodes: readonly GraphNode[], { needsOf }: Edges, kept: KeptNodes): string {
  const order = [...kept.keys()].sort((a, b) => a - b)
  const lines = [HEADER]
  for (const index of order) lines.push(kept.get(index) as string)
  for (const to of order) {
    for (const from of needsOf[to] ?? []) if (kept.has(from)) lines.push(`  n${from} --> n${to}`)
  }
  for (const status of Object.values(TaskStatus)) {
    const ids = order.filter(index => nodes[index]?.status === status).map(index => `n${index}`)
    if (ids.length === 0) continue
    const { name, style } = FLOW_CLASS[status]
    lines.push(`  classDef ${name} ${style}`)
    lines.push(`  class ${ids.join(',')} ${name}`)
  }
  return lines.join('\n')
}

/**
 * A node's label: its name and, unless it succeeded, its status (and why it was skipped), on one
 * line. Not on two with `<br>`: a label with a `<` goes through DOMPurify, whose HTML round trip
 * turns the entity codes back into characters before Mermaid applies Markdown and icons to it.
 */
function nodeLabel(node: GraphNode, maxLabel: number): string {
  const name = mermaidLabel(node.name, maxLabel)
  const { note } = FLOW_CLASS[node.status]
  if (node.status === TaskStatus.Skipped && node.reason !== undefined && node.reason !== '') {
    const reason = mermaidLabel(node.reason, maxLabel)
    return `${name} ${escapeLabelText(`(${note}:`, false)} ${reason}${escapeLabelText(')', false)}`
  }
  return withNote(name, note)
}
