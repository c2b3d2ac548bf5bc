// A job summary rendered as GitHub shows it — GitHub-flavoured Markdown with GitHub's CSS, charts
// drawn by the real `mermaid` — in headless Chromium, and the layout facts tests check in it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { marked } from 'marked'
import puppeteer from 'puppeteer-core'
/* global document, window -- read inside the page */

const require = createRequire(import.meta.url)
const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')
const mermaid = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8')

/** The Chromium to drive: $CHROMIUM, else Debian's. */
export const chromiumPath = () => process.env.CHROMIUM || '/usr/bin/chromium'

/** The window GitHub's job summary pages were looked at in. */
export const VIEWPORT = { width: 1280, height: 900 }

/** Headless Chromium, without the background traffic a closed network refuses. */
export function launchBrowser() {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
}

/** The summary as a page: Markdown to HTML, ```mermaid blocks left for mermaid to draw. */
export function summaryPage(markdown) {
  const renderer = new marked.Renderer()
  const code = renderer.code.bind(renderer)
  const escape = text => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  renderer.code = token =>
    token.lang === 'mermaid' ? `<pre class="mermaid">${escape(token.text)}</pre>` : code(token)
  const body = githubAlerts(marked.parse(markdown, { gfm: true, renderer }))
  return (
    `<!doctype html><html><head><meta charset="utf-8"><style>${css}` +
    'body{margin:0}.markdown-body{box-sizing:border-box;max-width:1012px;margin:0 auto;padding:32px}' +
    `</style></head><body><article class="markdown-body">${body}</article>` +
    `<script>${mermaid}</script><script>${openAllOnRequest}mermaid.initialize({ startOnLoad: false });` +
    "mermaid.run().then(() => { document.title = 'drawn' }, e => { document.title = 'error: ' + e })" +
    '</script></body></html>'
  )
}

/** GitHub's alerts (`> [!WARNING]` …), which marked leaves as quotes, as GitHub draws them. */
function githubAlerts(html) {
  return html.replace(
    /<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]<\/p>\n([\s\S]*?)<\/blockquote>/g,
    (_, kind, content) =>
      `<div class="markdown-alert markdown-alert-${kind.toLowerCase()}">` +
      `<p class="markdown-alert-title">${kind[0] + kind.slice(1).toLowerCase()}</p>\n${content}</div>`
  )
}

// With #open in the address, every <details> is opened before mermaid draws (a chart drawn closed
// has no size), keeping whether it was open in data-open.
const openAllOnRequest =
  "document.querySelectorAll('details').forEach(d => { d.dataset.open = String(d.open); " +
  "if (location.hash === '#open') d.open = true });"

/**
 * Opens the page at `url` (#open: with every <details> open), waits for mermaid, optionally saves a full-page screenshot, and returns
 * its layout facts: height, mermaid's error, the top-level blocks and every Gantt chart's boxes.
 */
export async function pageFacts(browser, url, screenshotPath) {
  const tab = await browser.newPage()
  try {
    await tab.setViewport(VIEWPORT)
    await tab.goto(url)
    await tab.waitForFunction(() => document.title !== '', { timeout: 60_000 })
    const title = await tab.title()
    const facts = await tab.evaluate(measure)
    if (screenshotPath !== undefined) await tab.screenshot({ path: screenshotPath, fullPage: true })
    return { ...facts, error: title === 'drawn' ? null : title.replace(/^error: /, '') }
  } finally {
    await tab.close()
  }
}

/** Runs in the page: boxes in page pixels (scroll offsets added). */
function measure() {
  const box = element => {
    const rect = element.getBoundingClientRect()
    return {
      left: rect.left + window.scrollX,
      top: rect.top + window.scrollY,
      right: rect.right + window.scrollX,
      bottom: rect.bottom + window.scrollY
    }
  }
  // innerText leaves out the <style> mermaid puts in each chart; SVG text has only textContent.
  const text = element =>
    (element.innerText ?? element.textContent ?? '').replace(/\s+/g, ' ').trim()
  const article = document.querySelector('article')
  const blocks = [...article.children].map(element => {
    const block = { tag: element.tagName.toLowerCase(), text: text(element).slice(0, 300) }
    if (block.tag === 'details') {
      block.open = element.dataset.open === 'true'
      block.summary = text(element.querySelector('summary') ?? element).slice(0, 300)
    }
    return { ...block, ...box(element) }
  })
  // Gantt charts: mermaid gives each bar's rect the task's id, and its label the id + "-text".
  const gantts = [...document.querySelectorAll('svg[aria-roledescription="gantt"]')].map(svg => ({
    bars: [...svg.querySelectorAll('rect.task')].map(rect => ({
      id: rect.id,
      text: '',
      ...box(rect)
    })),
    labels: [...svg.querySelectorAll('text[id$="-text"]')].map(label => ({
      id: label.id.replace(/-text$/, ''),
      text: text(label),
      ...box(label)
    }))
  }))
  const charts = [...document.querySelectorAll('pre.mermaid svg')].map(svg => ({
    kind: svg.getAttribute('aria-roledescription') ?? '',
    ...box(svg)
  }))
  // Links in the summary's text (charts aside): item text must never make one.
  const links = article.querySelectorAll('a').length
  return { height: document.documentElement.scrollHeight, blocks, gantts, charts, links }
}
