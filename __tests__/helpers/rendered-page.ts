import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe } from '@jest/globals'

/** A box on the rendered page, in page pixels. */
export interface Box {
  left: number
  top: number
  right: number
  bottom: number
}

/** A top-level element of the summary: a heading, a paragraph, a table, a <details>, … */
export interface Block extends Box {
  tag: string
  /** Its visible text, at most 300 characters. */
  text: string
  /** For <details>: whether it is open as written. */
  open?: boolean
  /** For <details>: the text of its <summary>. */
  summary?: string
}

/** A Gantt chart's bars and labels; ids are the task ids of the chart (`t3`). */
export interface GanttFacts {
  bars: (Box & { id: string })[]
  labels: (Box & { id: string; text: string })[]
}

/** What tests read off a summary rendered as GitHub shows it (scripts/preview/render.mjs). */
export interface PageFacts {
  /** Bytes of the Markdown. */
  bytes: number
  /** Height of the page in px, 1280 px wide. */
  height: number
  /** Mermaid's error, or null when every chart was drawn. */
  error: string | null
  blocks: Block[]
  gantts: GanttFacts[]
  /** Every chart drawn, by mermaid's kind (`gantt`, `flowchart-v2`, `xychart`, …). */
  charts: (Box & { kind: string })[]
  /** Number of <a> elements in the page's article: links, which item text must never make. */
  links: number
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

/**
 * `describe` for tests that render pages in Chromium. Where Chromium is missing they are skipped
 * with a note, except in CI, where `.ci/run` installs it: there a missing Chromium fails them.
 */
export function describeRendered(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM) || process.env.CI) describe(name, tests)
  else {
    console.warn(`Chromium not found at ${CHROMIUM}: the rendered-page tests are skipped.`)
    describe.skip(name, tests)
  }
}

/**
 * Renders each Markdown summary in headless Chromium and returns its layout facts. `open` opens
 * every <details> first, so that charts in collapsed blocks are drawn and measured.
 */
export async function renderedPages<Name extends string>(
  pages: Record<Name, string>,
  options: { open?: boolean } = {}
): Promise<Record<Name, PageFacts>> {
  const folder = mkdtempSync(join(tmpdir(), 'parallel-exec-rendered-'))
  try {
    const names = Object.keys(pages) as Name[]
    const files = names.map(name => join(folder, `${name}.md`))
    names.forEach((name, index) => writeFileSync(files[index] as string, pages[name]))
    const args = ['scripts/preview.mjs', '--facts', ...(options.open ? ['--open'] : []), ...files]
    const lines = (await runNode(args)).trim().split('\n')
    const facts = lines.map(line => JSON.parse(line) as PageFacts)
    return Object.fromEntries(names.map((name, index) => [name, facts[index]])) as Record<
      Name,
      PageFacts
    >
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Runs node with `args` and resolves with its stdout, or rejects with its stderr. */
function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', code =>
      code === 0 ? resolve(out) : reject(new Error(`preview --facts exited ${code}: ${err}`))
    )
  })
}

/** Whether two boxes share any area (touching edges do not count). */
export function overlap(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
}

/** Each Gantt label that lies on another task's bar, as "label on bar". */
export function labelsOnOtherBars(gantt: GanttFacts): string[] {
  return gantt.labels.flatMap(label =>
    gantt.bars
      .filter(bar => bar.id !== label.id && overlap(label, bar))
      .map(bar => `${label.text} (${label.id}) on ${bar.id}`)
  )
}
