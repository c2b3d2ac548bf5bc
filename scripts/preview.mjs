#!/usr/bin/env node
// Renders the job summary of each example run as GitHub shows it — GitHub-flavoured Markdown with
// GitHub's CSS, charts drawn by the real `mermaid` — in headless Chromium, to preview/NAME.png,
// and prints each summary's size and page height.
//   npm run preview [-- NAME …]      (Chromium: apt-get install chromium, or set CHROMIUM)
//   node scripts/preview.mjs --facts [--open] FILE.md …
//     renders Markdown files and prints one JSON line of layout facts per file (for tests);
//     --open opens every <details> first, so that charts inside them are drawn and measured.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { Buffer } from 'node:buffer'
import { fileURLToPath, URL } from 'node:url'
import { actionEnvironment } from './action-environment.mjs'
import { EXAMPLES } from './preview/examples.mjs'
import { launchBrowser, pageFacts, summaryPage } from './preview/render.mjs'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))

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

/** Renders the examples named (all by default) to preview/, with a line of figures each. */
async function previewExamples(browser, names) {
  const out = join(root, 'preview')
  mkdirSync(out, { recursive: true })
  for (const name of names) {
    const inputs = EXAMPLES[name]
    if (!inputs)
      throw new Error(`No example '${name}'. Expected one of: ${Object.keys(EXAMPLES).join(', ')}.`)
    const markdown = runExample(inputs)
    writeFileSync(join(out, `${name}.md`), markdown)
    writeFileSync(join(out, `${name}.html`), summaryPage(markdown))
    const png = join(out, `${name}.png`)
    const facts = await pageFacts(browser, `file://${join(out, `${name}.html`)}`, png)
    const kib = (Buffer.byteLength(markdown) / 1024).toFixed(1)
    const charts = facts.error === null ? 'drawn' : `error: ${facts.error}`
    console.log(
      `${name}: ${kib} KiB of Markdown, page ${facts.height} px high, charts ${charts} → preview/${name}.png`
    )
  }
}

/** Prints the layout facts of each Markdown file as one JSON line. */
async function printFacts(browser, files, open) {
  const folder = mkdtempSync(join(tmpdir(), 'parallel-exec-facts-'))
  try {
    for (const file of files) {
      const markdown = readFileSync(file, 'utf8')
      const html = join(folder, `${basename(file)}.html`)
      writeFileSync(html, summaryPage(markdown))
      const facts = await pageFacts(browser, `file://${html}${open ? '#open' : ''}`)
      console.log(JSON.stringify({ file, bytes: Buffer.byteLength(markdown), ...facts }))
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const args = process.argv.slice(2)
const browser = await launchBrowser()
try {
  if (args[0] === '--facts') {
    const open = args[1] === '--open'
    await printFacts(browser, args.slice(open ? 2 : 1), open)
  } else {
    await previewExamples(browser, args.length > 0 ? args : Object.keys(EXAMPLES))
  }
} finally {
  await browser.close()
}
