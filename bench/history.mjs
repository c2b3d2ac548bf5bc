#!/usr/bin/env node
// Measures what the run history buys and costs, through the bundled action (dist/index.js) run
// as the runner runs it:
//   (a) a re-run attempt of a 500-item run with 3 failures (`skip-passed: rerun`) against the
//       full first attempt, a plain run of the 3 items alone (the history's overhead) and the same
//       re-run under `unchanged` with one source file per item (the digests' cost);
//   (b) the history file's size, plain and gzipped, over 50 runs of 1,000 items whose sources
//       are hashed, 2 % of them replaced each run and 1 % flaky.
// Prints Markdown and writes bench/results/history.json.
//
//   node bench/history.mjs [--reps N] [--items N] [--runs N] [--only rerun,size]
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { DIST, ROOT, measure, scratch } from './lib/tools.mjs'
import { fileInfo, fmtInt, fmtMs, machineInfo, median, table } from './lib/report.mjs'

const { values: options } = parseArgs({
  options: Object.fromEntries(
    ['reps', 'items', 'size-items', 'runs', 'only'].map(name => [name, { type: 'string' }])
  )
})
const REPS = Number(options.reps ?? 5)
const RERUN_ITEMS = Number(options.items ?? 500)
const SIZE_ITEMS = Number(options['size-items'] ?? 1000)
const SIZE_RUNS = Number(options.runs ?? 50)
const SLEEP = '0.5'
const WORKERS = 8
let nextRunId = 7_000_000_000

const out = join(ROOT, 'bench', 'results', 'history.json')
const only = options.only?.split(',') ?? ['rerun', 'size']
// A part not run this time keeps its figures from the last run, with the bundle they were taken on.
const earlier = only.length < 2 && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {}
const results = { rerun: earlier.rerun ?? null, size: earlier.size ?? null }
const now = { machine: machineInfo(), dist: fileInfo(DIST) }
if (only.includes('rerun')) results.rerun = { ...now, ...(await rerunCost()) }
if (only.includes('size')) results.size = { ...now, ...(await historySize()) }
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
writeFileSync(out, JSON.stringify(results, null, 2) + '\n')
console.log(`\nWritten to ${out}`)

/** (a): each repetition is one workflow run: attempt 1 in full, then its re-runs and a plain run. */
async function rerunCost() {
  const items = Array.from(
    { length: RERUN_ITEMS },
    (_, i) => `item-${String(i + 1).padStart(4, '0')}`
  )
  const failing = new Set([items[6], items[Math.floor(RERUN_ITEMS / 2)], items[RERUN_ITEMS - 2]])
  const samples = { full: [], rerun: [], plain: [], unchanged: [] }
  for (let rep = 0; rep < REPS; rep++) {
    const dir = mkdtempSync(join(scratch, 'rerun-'))
    const marks = join(dir, 'marks')
    mkdirSync(marks)
    const sources = join(dir, 'src')
    mkdirSync(sources)
    for (const item of items) writeFileSync(join(sources, `${item}.txt`), item)
    // An item on the failing list fails once, leaving a mark; after that it passes.
    for (const item of failing) writeFileSync(join(marks, item), '')
    const command = `if [ -e ${marks}/{} ]; then rm ${marks}/{}; exit 1; fi; sleep ${SLEEP}`
    const base = { items: items.join('\n'), command, 'max-workers': String(WORKERS) }
    const runId = nextRunId++
    const history = join(dir, 'history.json')
    const first = await runStep(dir, { ...base, history, sources: 'src/{}.txt' }, runId, 1)
    expectCounts(first, { total: RERUN_ITEMS, failed: 3 }, 'attempt 1')
    copyFileSync(first.outputs['history-file'], history)
    // Attempt 2 runs only the 3 failed items; so does the same attempt with sources hashed.
    const order = rep % 2 === 0 ? ['rerun', 'unchanged'] : ['unchanged', 'rerun']
    for (const kind of order) {
      // The marks are gone: the 3 items pass this time.
      const inputs =
        kind === 'rerun'
          ? { ...base, history, 'skip-passed': 'rerun' }
          : { ...base, history, 'skip-passed': 'unchanged', sources: 'src/{}.txt' }
      const second = await runStep(dir, inputs, runId, 2)
      expectCounts(second, { total: RERUN_ITEMS, reused: RERUN_ITEMS - 3, failed: 0 }, kind)
      samples[kind].push(second.wallMs)
    }
    const plain = await runStep(dir, { ...base, items: [...failing].join('\n') }, runId, 3)
    expectCounts(plain, { total: 3 }, 'plain')
    samples.full.push(first.wallMs)
    samples.plain.push(plain.wallMs)
    rmSync(dir, { recursive: true, force: true })
    console.error(
      `rep ${rep + 1}/${REPS}: full ${fmtMs(first.wallMs)}, rerun ${fmtMs(samples.rerun.at(-1))}`
    )
  }
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  const rows = [
    [`attempt 1: all ${RERUN_ITEMS} run (3 fail)`, med.full],
    [`attempt 2, skip-passed: rerun (3 run, ${RERUN_ITEMS - 3} reused)`, med.rerun],
    [`attempt 2, skip-passed: unchanged, ${RERUN_ITEMS} sources hashed`, med.unchanged],
    ['a plain run of the 3 items, no history', med.plain]
  ].map(([label, ms]) => [label, fmtMs(ms)])
  console.log(
    `\n### Re-run cost: ${RERUN_ITEMS} items of \`sleep ${SLEEP}\`, ${WORKERS} workers, median of ${REPS}\n`
  )
  console.log(table(['run', 'wall time (spawn → exit)'], rows))
  console.log(
    `\nRe-run ÷ full: ${(med.rerun / med.full).toFixed(3)}; history overhead (re-run − plain): ` +
      `${fmtMs(med.rerun - med.plain)}; digests of ${RERUN_ITEMS} sources: ${fmtMs(med.unchanged - med.rerun)}`
  )
  return { items: RERUN_ITEMS, sleep: SLEEP, workers: WORKERS, reps: REPS, samples, median: med }
}

/** (b): 50 runs chained through `history`, the file measured after runs 1, 10, 30 and 50. */
async function historySize() {
  const dir = mkdtempSync(join(scratch, 'size-'))
  const flaky = join(dir, 'flaky')
  mkdirSync(flaky)
  let serial = 0
  // 40-character paths, each item its own source file.
  const newItem = () => {
    serial++
    return `packages/pkg-${String(serial).padStart(5, '0')}/src/module-file-${String(serial).padStart(6, '0')}.ts`
  }
  let items = Array.from({ length: SIZE_ITEMS }, newItem)
  const history = join(dir, 'history.json')
  const sizes = []
  const checkpoints = new Set([1, 10, 30, SIZE_RUNS])
  for (let run = 1; run <= SIZE_RUNS; run++) {
    if (run > 1) {
      // 2 % of the items are replaced by new ones each run.
      for (let k = 0; k < SIZE_ITEMS * 0.02; k++)
        items[(run * 37 + k * 53) % SIZE_ITEMS] = newItem()
    }
    for (const item of items) {
      mkdirSync(join(dir, item, '..'), { recursive: true })
      writeFileSync(join(dir, item), `${item} ${run % 3}`)
    }
    // 1 % fail their first attempt and pass the retry: flaky.
    for (let k = 0; k < SIZE_ITEMS * 0.01; k++) {
      writeFileSync(join(flaky, String((run * 101 + k * 97) % SIZE_ITEMS)), '')
    }
    const command = `if [ -e ${flaky}/{#} ]; then rm ${flaky}/{#}; exit 1; fi`
    const itemsFile = join(dir, 'items.txt')
    writeFileSync(itemsFile, items.join('\n'))
    const inputs = {
      'items-file': itemsFile,
      command,
      sources: '{}',
      retries: '1',
      'retry-delay': '0s',
      'max-workers': '4',
      summary: 'false'
    }
    if (run > 1) inputs.history = history
    const step = await runStep(dir, inputs, nextRunId++, 1)
    expectCounts(step, { total: SIZE_ITEMS, failed: 0 }, `size run ${run}`)
    copyFileSync(step.outputs['history-file'], history)
    if (checkpoints.has(run)) {
      const bytes = readFileSync(history)
      const entry = {
        run,
        // Items seen in the last 30 runs are kept: the live ones and those replaced since.
        itemsKept: Object.keys(JSON.parse(bytes.toString('utf8')).items).length,
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes).length,
        wallMs: step.wallMs
      }
      sizes.push(entry)
      console.error(`run ${run}: ${fmtInt(entry.bytes)} B, ${fmtInt(entry.gzipBytes)} B gzip`)
    }
  }
  rmSync(dir, { recursive: true, force: true })
  console.log(
    `\n### History size: ${SIZE_RUNS} runs of ${fmtInt(SIZE_ITEMS)} items (sources, 2 % replaced a run, 1 % flaky)\n`
  )
  console.log(
    table(
      ['after run', 'items kept', 'bytes', 'gzip bytes', 'bytes per item kept'],
      sizes.map(s => [
        s.run,
        fmtInt(s.itemsKept),
        fmtInt(s.bytes),
        fmtInt(s.gzipBytes),
        fmtInt(Math.round(s.bytes / s.itemsKept))
      ])
    )
  )
  return { items: SIZE_ITEMS, runs: SIZE_RUNS, sizes }
}

/** Runs the action once, as attempt `attempt` of workflow run `runId`, in `dir`. */
async function runStep(dir, inputs, runId, attempt) {
  const outputFile = join(dir, 'github-output')
  const summaryFile = join(dir, 'github-step-summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(name)) env[name] = value
  }
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: String(attempt),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir
  })
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const sample = await measure(process.execPath, [DIST], { cwd: dir, env })
  sample.outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  return sample
}

/** Stops the bench when a run did not do what it measures. */
function expectCounts(sample, want, what) {
  for (const [name, value] of Object.entries(want)) {
    if (sample.outputs[name] !== String(value)) {
      console.error(sample.stdoutTail?.slice(-4000))
      throw new Error(`${what}: output ${name} is ${sample.outputs[name]}, expected ${value}`)
    }
  }
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text) {
  const outputs = {}
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[name] = value
  return outputs
}
