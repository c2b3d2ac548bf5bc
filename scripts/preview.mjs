#!/usr/bin/env node
// Renders the job summary of each example run as GitHub shows it — GitHub-flavoured Markdown with
// GitHub's CSS, charts drawn by the real `mermaid` — in headless Chromium, to preview/NAME.png,
// and prints each summary's size and page height.
//   npm run preview [-- NAME …]      (Chromium: apt-get install chromium, or set CHROMIUM)
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { Buffer } from 'node:buffer'
import { fileURLToPath, URL } from 'node:url'
import { marked } from 'marked'
import puppeteer from 'puppeteer-core'
/* global document -- read inside the page */
import { actionEnvironment } from './action-environment.mjs'
import { EXAMPLES } from './preview/examples.mjs'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const require = createRequire(import.meta.url)
const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')
const mermaid = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8')
const chromium = process.env.CHROMIUM || '/usr/bin/chromium'

/** Runs dist/index.js with the example's inputs and returns its job summary (Markdown). */
function runExample(inputs) {
  const { folder, env, summaryFile } = actionEnvironment(inputs, 'parallel-exec-preview-')
  try {
    const work = join(folder, 'work')
    mkdirSync(work)
    spawnSync(process.execPath, [join(root, 'dist/index.js')], { cwd: work, env, stdio: 'ignore' })
    return readFileSync(summaryFile, 'utf8')
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The summary as a page: Markdown to HTML, ```mermaid blocks left for mermaid to draw. */
function page(markdown) {
  const renderer = new marked.Renderer()
  const code = renderer.code.bind(renderer)
  const escape = text => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  renderer.code = token =>
    token.lang === 'mermaid' ? `<pre class="mermaid">${escape(token.text)}</pre>` : code(token)
  const body = marked.parse(markdown, { gfm: true, renderer })
  return (
    `<!doctype html><html><head><meta charset="utf-8"><style>${css}` +
    'body{margin:0}.markdown-body{box-sizing:border-box;max-width:1012px;margin:0 auto;padding:32px}' +
    `</style></head><body><article class="markdown-body">${body}</article>` +
    `<script>${mermaid}</script><script>mermaid.initialize({ startOnLoad: false });` +
    "mermaid.run().then(() => { document.title = 'drawn' }, e => { document.title = 'error: ' + e })" +
    '</script></body></html>'
  )
}

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(EXAMPLES)
const out = join(root, 'preview')
mkdirSync(out, { recursive: true })
const browser = await puppeteer.launch({
  executablePath: chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
})
try {
  for (const name of names) {
    const inputs = EXAMPLES[name]
    if (!inputs)
      throw new Error(`No example '${name}'. Expected one of: ${Object.keys(EXAMPLES).join(', ')}.`)
    const markdown = runExample(inputs)
    writeFileSync(join(out, `${name}.md`), markdown)
    writeFileSync(join(out, `${name}.html`), page(markdown))
    const tab = await browser.newPage()
    await tab.setViewport({ width: 1280, height: 900 })
    await tab.goto(`file://${join(out, `${name}.html`)}`)
    await tab.waitForFunction(() => document.title !== '', { timeout: 60_000 })
    const charts = await tab.title()
    const height = await tab.evaluate(() => document.documentElement.scrollHeight)
    await tab.screenshot({ path: join(out, `${name}.png`), fullPage: true })
    await tab.close()
    const kib = (Buffer.byteLength(markdown) / 1024).toFixed(1)
    console.log(
      `${name}: ${kib} KiB of Markdown, page ${height} px high, charts ${charts} → preview/${name}.png`
    )
  }
} finally {
  await browser.close()
}
