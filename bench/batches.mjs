#!/usr/bin/env node
// Measures what `batch-size` buys for a tool that starts slowly and takes many files: eslint
// (typescript-eslint's recommended rules, no type information) over 400 real .ts files, through
// the bundled action (dist/index.js) run as the runner runs it, with `batch-size: 1` against
// `auto` and `50`, on 2 and 4 workers, and `xargs -P N -n 50` as a reference; prettier --check
// as a second tool, whose start-up is shorter. Each repetition runs every mode once, the order
// rotating; the median wall time (spawn → exit) is reported. Every run must report 400 items,
// all succeeded. Prints Markdown and writes bench/results/batches.json (modes not run this time
// keep their earlier samples, with the bundle they were taken on).
//
//   npm run package && node bench/batches.mjs [--reps N] [--slow-reps N] [--workers 2,4]
//                                             [--tools eslint,prettier] [--modes 1,auto,50,xargs]
//                                             [--dist path/to/a/copy/of/index.js]
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { DIST, ROOT, measure, scratch } from './lib/tools.mjs'
import { fileInfo, fmtMs, machineInfo, median, table } from './lib/report.mjs'

const { values: options } = parseArgs({
  options: Object.fromEntries(
    ['reps', 'slow-reps', 'workers', 'tools', 'modes', 'dist'].map(name => [
      name,
      { type: 'string' }
    ])
  )
})
const list = (value, fallback) => (value === undefined ? fallback : value.split(','))
const REPS = Number(options.reps ?? 3)
// batch-size 1 takes minutes a run: fewer repetitions unless asked.
const SLOW_REPS = Number(options['slow-reps'] ?? 1)
const WORKERS = list(options.workers, ['2', '4']).map(Number)
const TOOLS = list(options.tools, ['eslint', 'prettier'])
const MODES = list(options.modes, ['1', 'auto', '50', 'xargs'])
const FILES = 400
// A copy of the bundle can be measured while dist/ is rebuilt: --dist path/to/index.js.
const BUNDLE = options.dist ?? DIST
const BIN = join(ROOT, 'node_modules', '.bin')
const TOOL_ARGV = { eslint: [join(BIN, 'eslint')], prettier: [join(BIN, 'prettier'), '--check'] }

const out = join(ROOT, 'bench', 'results', 'batches.json')
const earlier = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { rows: {} }
const corpus = makeCorpus()
const rows = { ...earlier.rows }
const loadBefore = loadavg()
for (const tool of TOOLS) {
  for (const workers of WORKERS) {
    const samples = Object.fromEntries(MODES.map(mode => [mode, []]))
    const reps = Math.max(REPS, SLOW_REPS)
    for (let rep = 0; rep < reps; rep++) {
      // Rotate the order, so no mode always goes first or always follows a slow one.
      const order = MODES.map((_, i) => MODES[(i + rep) % MODES.length])
      for (const mode of order) {
        if (mode === '1' && rep >= SLOW_REPS) continue
        if (mode !== '1' && rep >= REPS) continue
        const sample = await runMode(tool, workers, mode)
        sample.rep = rep
        sample.load = loadavg()[0]
        samples[mode].push(sample)
        console.error(`${tool} w=${workers} ${mode}: ${fmtMs(sample.wallMs)} (load ${sample.load})`)
      }
    }
    for (const mode of MODES) {
      rows[`${tool}/${workers}/${mode}`] = {
        tool,
        workers,
        mode,
        dist: fileInfo(BUNDLE),
        samples: samples[mode].map(({ wallMs, rep, load }) => ({ wallMs, rep, load })),
        medianMs: median(samples[mode].map(sample => sample.wallMs))
      }
    }
  }
}
const loadAfter = loadavg()
printTables()
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
const run = { machine: machineInfo(), loadBefore, loadAfter, files: FILES, corpus: corpus.about }
writeFileSync(out, JSON.stringify({ ...run, rows }, null, 2) + '\n')
console.log(`\nWritten to ${out}`)

/**
 * The corpus: a directory with the repository's node_modules linked in, a standalone flat config
 * and 400 .ts files copied flat from the repository's own (cycling), keeping only files the tools
 * pass, so that every mode has the same (empty) set of failures.
 */
function makeCorpus() {
  const dir = mkdtempSync(join(scratch, 'corpus-'))
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  writeFileSync(
    join(dir, 'eslint.config.js'),
    "import tseslint from 'typescript-eslint'\nimport prettier from 'eslint-config-prettier'\n" +
      'export default [...tseslint.configs.recommended, prettier]\n'
  )
  // The repository's prettier options, which its files follow.
  copyFileSync(join(ROOT, '.prettierrc.json'), join(dir, '.prettierrc.json'))
  const listed = spawnSync('git', ['ls-files', 'src/**/*.ts', '__tests__/**/*.ts'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  const sources = listed.stdout.split('\n').filter(Boolean)
  sources.forEach((source, i) => copyFileSync(join(ROOT, source), join(dir, `probe${i}.ts`)))
  const passing = sources
  // One run of each tool over every source, untimed: the files either tool refuses are left out.
  const refused = new Set()
  for (const tool of TOOLS) {
    const names = passing.map((_, i) => `probe${i}.ts`)
    const argv = tool === 'eslint' ? ['--format', 'json', ...names] : ['--list-different', ...names]
    const [file, ...args] = TOOL_ARGV[tool]
    const result = spawnSync(file, [...args.filter(a => a !== '--check'), ...argv], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024
    })
    if (tool === 'eslint') {
      for (const entry of JSON.parse(result.stdout)) {
        if (entry.errorCount > 0) refused.add(entry.filePath.split('/').at(-1))
      }
    } else for (const name of result.stdout.split('\n').filter(Boolean)) refused.add(name)
  }
  const usable = passing.filter((_, i) => !refused.has(`probe${i}.ts`))
  if (usable.length === 0) throw new Error('No source file passes the tools: nothing to measure.')
  const files = Array.from({ length: FILES }, (_, i) => {
    const name = `f${String(i + 1).padStart(3, '0')}.ts`
    copyFileSync(
      join(dir, `probe${passing.indexOf(usable[i % usable.length])}.ts`),
      join(dir, name)
    )
    return name
  })
  for (let i = 0; i < passing.length; i++) rmSync(join(dir, `probe${i}.ts`))
  writeFileSync(join(dir, 'files.txt'), files.join('\n') + '\n')
  const about = { sources: sources.length, leftOut: refused.size, distinct: usable.length }
  console.error(
    `Corpus: ${FILES} files from ${usable.length} distinct sources (${refused.size} left out).`
  )
  return { dir, files, about }
}

/** One run of a mode: the action with a batch-size, or xargs with 50 files a command. */
async function runMode(tool, workers, mode) {
  if (mode === 'xargs') {
    const argv = ['-P', String(workers), '-n', '50', '-a', join(corpus.dir, 'files.txt')]
    const sample = await measure('xargs', [...argv, ...TOOL_ARGV[tool]], { cwd: corpus.dir })
    if (sample.code !== 0) throw new Error(`xargs ${tool}: exit ${sample.code}`)
    return sample
  }
  const dir = mkdtempSync(join(scratch, 'run-'))
  const outputFile = join(dir, 'github-output')
  writeFileSync(outputFile, '')
  writeFileSync(join(dir, 'github-step-summary'), '')
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(name)) env[name] = value
  }
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: join(dir, 'github-step-summary'),
    GITHUB_WORKSPACE: corpus.dir,
    RUNNER_TEMP: dir
  })
  const inputs = {
    'items-file': join(corpus.dir, 'files.txt'),
    command: `${TOOL_ARGV[tool].join(' ')} {}`,
    shell: 'none',
    'max-workers': String(workers),
    'batch-size': mode,
    log: 'failures',
    summary: 'false'
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const sample = await measure(process.execPath, [BUNDLE], { cwd: corpus.dir, env })
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  rmSync(dir, { recursive: true, force: true })
  if (outputs.total !== String(FILES) || outputs.succeeded !== String(FILES)) {
    console.error(sample.stdoutTail.slice(-4000))
    throw new Error(
      `${tool} batch-size ${mode}: outputs total=${outputs.total}, succeeded=${outputs.succeeded}`
    )
  }
  const ran = /Running .*? on \d+ workers?/.exec(sample.stdoutTail)?.[0]
  if (mode !== '1' && !/ in \d+ batch/.test(ran ?? '')) {
    throw new Error(`batch-size ${mode} did not batch (is batch-size read by this bundle?): ${ran}`)
  }
  return sample
}

/** One table per tool: each mode's median wall time and batch-size 1 ÷ the mode. */
function printTables() {
  for (const tool of TOOLS) {
    console.log(`\n### ${tool} over ${FILES} .ts files (median wall time, spawn → exit)\n`)
    const lines = []
    for (const workers of WORKERS) {
      const one = rows[`${tool}/${workers}/1`]?.medianMs
      for (const mode of ['1', 'auto', '50', 'xargs']) {
        const row = rows[`${tool}/${workers}/${mode}`]
        if (row === undefined) continue
        const label = mode === 'xargs' ? `xargs -P ${workers} -n 50` : `batch-size: ${mode}`
        const ratio = one && row.medianMs ? `${(one / row.medianMs).toFixed(1)}×` : 'n/a'
        lines.push([workers, label, row.samples.length, fmtMs(row.medianMs), ratio])
      }
    }
    console.log(table(['workers', 'mode', 'runs', 'median', 'batch-size 1 ÷ mode'], lines))
  }
  console.log(
    `\nLoad average (1, 5, 15 min): before ${loadBefore.map(l => l.toFixed(2)).join(', ')}; ` +
      `after ${loadAfter.map(l => l.toFixed(2)).join(', ')}.`
  )
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text) {
  const outputs = {}
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[name] = value
  return outputs
}
