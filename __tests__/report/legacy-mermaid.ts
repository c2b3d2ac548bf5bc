// Mermaid charts before they were split by chart kind: kept only to compare outputs.
/**
 * Mermaid diagrams for the job summary: a gantt chart of when each task ran on which worker slot,
 * and a flowchart of a dependency graph. This module only builds text; the caller puts it in a
 * ```mermaid fenced block, which GitHub renders as a picture.
 *
 * Everything that came from items or task names goes through {@link mermaidLabel}, which writes
 * every character that could mean something to Mermaid (or to the Markdown around it) as one of
 * Mermaid's entity codes, `#<decimal code point>;`. Mermaid turns those into placeholders before it
 * parses anything and into HTML character references only when it draws, so an escaped label can
 * never end the label, add a statement, a directive or a link, or end the fenced block.
 */
import { cut } from '../../src/model/labels.js'
import { TaskStatus } from '../../src/model/task-status.js'

/** One task as drawn on the timeline. */
export interface TimelineTask {
  /** Text shown for the task (an item or task name: untrusted, any characters, any length). */
  label: string
  /** 1-based worker slot it ran in. */
  slot: number
  /** Start, in ms since the run started. */
  startMs: number
  /** End, in ms since the run started. */
  endMs: number
  status: TaskStatus
}

/** How much a chart may show. */
export interface ChartLimits {
  /** Most bars / nodes drawn; the rest are counted in `omitted`. */
  maxEntries: number
  /** Longest label, in characters. */
  maxLabel: number
}

/** One task of a dependency graph. */
export interface GraphNode {
  name: string
  /** Names of the tasks this one needs; names that are not in the graph draw no edge. */
  needs: readonly string[]
  status: TaskStatus
  /** Why it was skipped, if it was. */
  reason?: string
}

/** A chart's text (without the ``` fence) and how many entries the limits left out. */
export interface Chart {
  text: string
  omitted: number
}

export const DEFAULT_GANTT_LIMITS: ChartLimits = { maxEntries: 200, maxLabel: 60 }
export const DEFAULT_FLOWCHART_LIMITS: ChartLimits = { maxEntries: 100, maxLabel: 60 }

/**
 * Longest chart text we emit. Mermaid draws an error instead of any diagram whose text is longer
 * than its `maxTextSize` (50 000 characters by default); escaping can make a label 8 times longer,
 * so entries are left out (and counted as omitted) until the text fits, with some room to spare.
 */
export const MAX_CHART_TEXT = 45_000

/** Mermaid's flowchart parser throws past this many edges (its `maxEdges` default). */
export const MAX_FLOWCHART_EDGES = 500

// ---------------------------------------------------------------------------------------------
// Labels

/**
 * The text a label shows: control characters as visible symbols (as itemLabel does), so a label
 * stays on one line, lone surrogate halves as U+FFFD, a word joiner (U+2060) inside `ﬂ°` and `¶ß`,
 * then cut to `maxLabel` characters; an empty text as one space.
 */
export function labelText(text: string, maxLabel: number): string {
  const visible = text
    .replace(/\r\n/g, '\n')
    // C0 and C1 controls, DEL, and the two Unicode line separators.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ch =>
      ch === '\n' || ch === '\u2028' || ch === '\u2029' ? '⏎' : ch === '\t' ? '⇥' : '�'
    )
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '�')
    // Mermaid turns `ﬂ°` into `&` and `¶ß` into `;` all over the drawn SVG (its entity
    // placeholders, see mermaidLabel): an invisible word joiner keeps such text as it is.
    .replace(/(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)/g, '\u2060')
  // A label cannot be empty (a gantt line needs a task name): an empty one shows a space.
  return visible === '' ? ' ' : cut(visible, labelMax(maxLabel))
}

/**
 * Escapes untrusted text for a Mermaid label (a gantt task name, or the inside of a quoted
 * flowchart label `["…"]`) so it can never end the label, add syntax, inject directives
 * (`%%{init}%%`), HTML, links or `click` callbacks, or end the fenced block (``` in a label).
 * The label shows {@link labelText}`(text, maxLabel)`.
 *
 * Written as they are: letters, marks, numbers, symbols and punctuation outside ASCII, and ASCII
 * letters, digits, inner spaces and `. - / ( ) ' + = ! ?`, except as the first character.
 * Everything else is written as Mermaid's entity code `#<decimal code point>;`:
 * - `"` ends a quoted flowchart label; `` ` `` right after the opening quote makes it a Markdown
 *   string, and ``` or `~~~` could end the fenced block in the summary.
 * - `:` ends a gantt task name; `#` and `;` did in older Mermaid versions (gantt.jison's task text
 *   was `[^#:\n;]+`), and `#…;` is itself entity syntax.
 * - `%` starts comments (`%%`, and in gantt.jison any character followed by `%`) and directives
 *   (`%%{init: …}%%` is found anywhere in the text, inside labels too).
 * - `<` `>` `&` are HTML (flowchart labels are drawn as HTML; and a label with a `<` goes through
 *   DOMPurify, whose HTML round trip would turn every entity code back into its character before
 *   the Markdown below runs), `{` `}` open gantt's `accDescr {` block,
 *   `$` opens KaTeX math (`$$…$$`), `,` `|` `\` `^` `~` have meanings in other statements.
 * - Markdown: Mermaid 11 runs every flowchart label through a Markdown parser (marked) before it
 *   turns entity codes back into characters, and draws "Unsupported markdown: link" (or list,
 *   heading…) in place of what it does not support: so `*` `_` (emphasis), `[` `]` (links),
 *   `@` (e-mail autolinks) and the dot of `www.` (web autolinks) are escaped too.
 * - The first character if it is ASCII: gantt.jison tries its keyword rules (`click `, `call `,
 *   `href "`, `section `, `title `, `gantt`, `dateFormat `, a date …, case-insensitive) before the
 *   task-name rule at the start of each line, and Markdown reads `- `, `+ `, `1. ` as list items.
 * - The `d` of `direction`: flow.jison's rule `.*direction\s+TB[^\n]*` (and BT, RL, LR) is tried
 *   at the start of each line and would swallow a whole node line containing `direction TB`.
 * - Leading and trailing spaces (the parsers trim or skip them; an empty label would leave a gantt
 *   line without a task name), and every other kind of white space, control and format character.
 * - `ﬂ` (U+FB02) and `¶` (U+00B6): Mermaid's placeholders for entity codes are `ﬂ°°…¶ß` and
 *   `ﬂ°…¶ß`, which it turns into `&#…;` and `&…;` when drawing; escaping these two means text can
 *   never spell a placeholder.
 * An empty text shows one space, written escaped.
 */
export function mermaidLabel(text: string, maxLabel: number): string {
  return escapeText(labelText(text, maxLabel))
}

function labelMax(maxLabel: number): number {
  return Number.isFinite(maxLabel)
    ? Math.max(1, Math.floor(maxLabel))
    : DEFAULT_GANTT_LIMITS.maxLabel
}

const RAW_ASCII = /^[A-Za-z0-9 .\-/()'+=!?]$/
const RAW_OTHER = /^[\p{L}\p{M}\p{N}\p{S}\p{P}]$/u
/** Mermaid's entity placeholders are built from these; see mermaidLabel. */
const PLACEHOLDER_CHARS = new Set(['\ufb02', '\u00b6'])

/**
 * Escapes text that labelText already made (no cutting, no control characters left to show).
 * `atStart`: the text starts the label (so its first character is escaped if ASCII).
 */
function escapeText(text: string, atStart = true): string {
  const chars = Array.from(text)
  const last = chars.length - 1
  const escaped = chars
    .map((ch, i) => {
      const raw =
        ch.length === 1 && ch < '\u0080'
          ? (i !== 0 || !atStart) && RAW_ASCII.test(ch) && !(ch === ' ' && (i === 0 || i === last))
          : RAW_OTHER.test(ch) && !PLACEHOLDER_CHARS.has(ch)
      return raw ? ch : `#${ch.codePointAt(0)};`
    })
    .join('')
  // Letters and dots are only ever raw here (entity codes are `#digits;`), so these find the words.
  return escaped
    .replace(/d(?=irection)/gi, ch => `#${ch.codePointAt(0)};`)
    .replace(/(?<=www)\./gi, '#46;')
}

/** A label followed by our own note in brackets (escaped too, so a `:` is never raw). */
function withNote(label: string, note: string): string {
  return note === '' ? label : `${label} ${escapeText(`(${note})`, false)}`
}

function resolveLimits(
  limits: Partial<ChartLimits> | undefined,
  defaults: ChartLimits
): ChartLimits {
  const count = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback
  return {
    maxEntries: count(limits?.maxEntries, defaults.maxEntries),
    maxLabel: Math.max(1, count(limits?.maxLabel, defaults.maxLabel))
  }
}

const isFailure = (status: TaskStatus): boolean =>
  status === TaskStatus.Failure || status === TaskStatus.TimedOut

// ---------------------------------------------------------------------------------------------
// Gantt

/** How the time axis is written: Mermaid's gantt draws times with d3's *local-time* formats. */
interface Axis {
  /** d3 time format for the ticks. */
  format: string
  /** Real ms per chart ms: the chart's "timestamps" are `ms / divisor`. */
  divisor: number
  /** `tickInterval` line value, or undefined to let d3 choose. */
  tick: string | undefined
}

/**
 * Chooses the axis for a run `spanMs` long. Mermaid parses `dateFormat x` values as ms since
 * 1970-01-01 and d3 formats ticks in the viewer's time zone, so `%H:%M` would show the viewer's UTC
 * offset rather than 0:00 at the start (and `%M` is off by 30 minutes in India). Only `%Q` (ms since
 * the epoch) and `%s` (seconds since the epoch) are free of time zones, so the chart's timestamps
 * are scaled: for minutes, 1 real minute is 1 chart second and `%s min` labels the ticks.
 * The tick interval is set too, so that ticks land on whole units (d3's own choice could put
 * ticks 500 ms apart under a `%s s` format, labelling two ticks `1 s`).
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
 * Gantt tags per status (Mermaid has only `active`, `done`, `crit` and `milestone`), and the text
 * added to the label so the status does not rest on colour alone. Tags are written in the order of
 * Mermaid's tag list (active, done, crit, milestone), which older versions need.
 */
const GANTT_STATUS: Record<TaskStatus, { tags: string[]; note: string }> = {
  [TaskStatus.Success]: { tags: [], note: '' },
  [TaskStatus.Failure]: { tags: ['crit'], note: 'failed' },
  [TaskStatus.TimedOut]: { tags: ['active', 'crit'], note: 'timed out' },
  [TaskStatus.Cancelled]: { tags: ['done'], note: 'cancelled' },
  [TaskStatus.Skipped]: { tags: [], note: '' }
}

interface Bar {
  index: number
  slot: number
  start: number
  end: number
  status: TaskStatus
  label: string
}

/** A time in ms as a finite, non-negative number. */
const time = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? ms : 0)

/**
 * A Mermaid gantt chart with one section per worker slot showing which task ran when (in compact
 * mode, so a slot's tasks share a row); failures marked `crit`, timed-out tasks `active, crit`,
 * cancelled ones `done`, and each non-success labelled with its status. Skipped tasks (they never
 * ran) are not drawn and not counted in `omitted`. Past `maxEntries` bars, or past
 * {@link MAX_CHART_TEXT}, the most interesting are kept (failures first, then the longest) and
 * the rest counted in `omitted`. Tasks that take no time on the chart's scale are drawn as
 * milestones (a diamond), since a bar of no width would not show. Task ids are `t<index>`,
 * the index into `tasks`.
 */
export function ganttChart(tasks: readonly TimelineTask[], limits?: Partial<ChartLimits>): Chart {
  const { maxEntries, maxLabel } = resolveLimits(limits, DEFAULT_GANTT_LIMITS)
  const bars: Bar[] = []
  tasks.forEach((task, index) => {
    if (task.status === TaskStatus.Skipped) return
    const start = time(task.startMs)
    const slot = Number.isFinite(task.slot) ? Math.max(1, Math.floor(task.slot)) : 1
    bars.push({
      index,
      slot,
      start,
      end: Math.max(start, time(task.endMs)),
      status: task.status,
      label: withNote(mermaidLabel(task.label, maxLabel), GANTT_STATUS[task.status].note)
    })
  })
  const ranked = [...bars].sort(
    (a, b) =>
      Number(isFailure(b.status)) - Number(isFailure(a.status)) ||
      b.end - b.start - (a.end - a.start) ||
      a.index - b.index
  )
  let kept = ranked.slice(0, maxEntries)
  let text = ganttText(kept)
  while (text.length > MAX_CHART_TEXT && kept.length > 0) {
    // Drop about as many of the least interesting bars as the overflow takes, at least one.
    const perBar = text.length / kept.length
    const drop = Math.max(1, Math.ceil((text.length - MAX_CHART_TEXT) / perBar))
    kept = kept.slice(0, Math.max(0, kept.length - drop))
    text = ganttText(kept)
  }
  return { text, omitted: bars.length - kept.length }
}

function ganttText(bars: readonly Bar[]): string {
  const span = bars.reduce((max, bar) => Math.max(max, bar.end), 0)
  const axis = chooseAxis(span)
  const at = (ms: number): number => Math.round(ms / axis.divisor)
  const lines = [
    '---',
    // Compact mode: tasks of one section that do not overlap share a row, one row per slot.
    'displayMode: compact',
    '---',
    'gantt',
    '  dateFormat x',
    `  axisFormat ${axis.format}`
  ]
  if (axis.tick !== undefined) lines.push(`  tickInterval ${axis.tick}`)
  // The chart's dates are in 1970: a line at today's date would only stretch the axis.
  lines.push('  todayMarker off')
  const slots = [...new Set(bars.map(bar => bar.slot))].sort((a, b) => a - b)
  for (const slot of slots) {
    lines.push(`  section Slot ${slot}`)
    const inSlot = bars
      .filter(bar => bar.slot === slot)
      .sort((a, b) => a.start - b.start || a.index - b.index)
    for (const bar of inSlot) {
      const start = at(bar.start)
      const end = at(bar.end)
      const tags = [...GANTT_STATUS[bar.status].tags]
      if (end === start) tags.push('milestone')
      const data = [...tags, `t${bar.index}`, String(start), String(end)].join(', ')
      lines.push(`    ${bar.label} :${data}`)
    }
  }
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------
// Flowchart

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
    note: 'failed'
  },
  [TaskStatus.TimedOut]: {
    name: 'timedOut',
    style: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328,stroke-width:2px',
    note: 'timed out'
  },
  [TaskStatus.Cancelled]: {
    name: 'cancelled',
    style: 'fill:#eaeef2,stroke:#57606a,color:#1f2328',
    note: 'cancelled'
  },
  [TaskStatus.Skipped]: {
    name: 'skipped',
    style: 'fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
    note: 'skipped'
  }
}

/** Which nodes are kept first when there are too many. */
const FLOW_RANK: Record<TaskStatus, number> = {
  [TaskStatus.Failure]: 0,
  [TaskStatus.TimedOut]: 0,
  [TaskStatus.Skipped]: 1,
  [TaskStatus.Cancelled]: 2,
  [TaskStatus.Success]: 3
}

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
  const indexByName = new Map<string, number>()
  nodes.forEach((node, index) => {
    if (!indexByName.has(node.name)) indexByName.set(node.name, index)
  })
  // Edges as [from, to] index pairs, once each.
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

  const ranked = nodes
    .map((node, index) => ({ node, index }))
    .sort((a, b) => FLOW_RANK[a.node.status] - FLOW_RANK[b.node.status] || a.index - b.index)

  const header = 'flowchart LR'
  const kept = new Set<number>()
  const nodeLines = new Map<number, string>()
  let edges = 0
  // Budget: header, class definitions (at most one per status) and `class` lines' fixed parts.
  let length =
    header.length +
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
    kept.add(index)
    nodeLines.set(index, line)
    edges += linked.length
    length += cost
  }

  const order = [...kept].sort((a, b) => a - b)
  const lines = [header]
  for (const index of order) lines.push(nodeLines.get(index) as string)
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
  return { text: lines.join('\n'), omitted: nodes.length - kept.size }
}

/**
 * A node's label: its name and, unless it succeeded, its status (and why it was skipped), on one
 * line. Not on two with `<br>`: a label with a `<` goes through DOMPurify, whose HTML round trip
 * turns the entity codes back into characters before Mermaid applies Markdown and icons
 * (`fa:fa-…`) to it; without `<`, DOMPurify hands the text back untouched.
 */
function nodeLabel(node: GraphNode, maxLabel: number): string {
  const name = mermaidLabel(node.name, maxLabel)
  const { note } = FLOW_CLASS[node.status]
  if (node.status === TaskStatus.Skipped && node.reason !== undefined && node.reason !== '') {
    const reason = mermaidLabel(node.reason, maxLabel)
    return `${name} ${escapeText(`(${note}:`, false)} ${reason}${escapeText(')', false)}`
  }
  return withNote(name, note)
}
