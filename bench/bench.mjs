#!/usr/bin/env node
// Benchmarks the bundled action (dist/index.js, run exactly as the runner does) against xargs -P,
// GNU parallel, concurrently, a bare Node baseline and @actions/exec on the same workloads, in the
// same run, alternating them. Prints a Markdown table per workload and the targets; writes
// bench/results/latest.json, and appends the Markdown to $GITHUB_STEP_SUMMARY when set.
//
//   node bench/bench.mjs [--quick] [--reps N] [--only A,B,C,startup,heavy,100k] [--strict]
//                        [--compare path/to/earlier/index.js]
//
// See bench/README.md for what each workload and target means.
import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs as parseCommandLine } from 'node:util'
import {
  CONCURRENTLY,
  DIST,
  ROOT,
  available,
  canImport,
  describe,
  job,
  stopRunning,
  runAction,
  runActionsExec,
  runConcurrently,
  runNodeBare,
  runNodeSpawn,
  runParallel,
  runXargs,
  scratch,
  shellQuote,
  version
} from './lib/tools.mjs'
import {
  fileInfo,
  fmtInt,
  fmtMs,
  fmtRatio,
  fmtRss,
  machineInfo,
  pairedRatio,
  renderTargets,
  renderWorkload,
  rowStats
} from './lib/report.mjs'

const USAGE = `Usage: node bench/bench.mjs [options]
  --quick        2 repetitions and smaller sizes (A: 300 items, 100k: 20,000 items)
  --reps N       repetitions per workload (default 5, start-up 3×N; 100k always runs once)
  --only LIST    workloads to run, comma-separated: A, B, C, startup, heavy, 100k
  --strict       exit 1 when any target is missed
  --compare FILE another build of the action (an earlier dist/index.js): in A and B its rows run
                 alternating with this one's, and the ratio of the two is reported
  --help         this text`

const options = parseArgs(process.argv.slice(2))
const REPS = options.reps ?? (options.quick ? 2 : 5)
const STARTUP_REPS = options.reps ? 3 * options.reps : options.quick ? 5 : 15
const SIZE_A = options.quick ? 300 : 1000
const SIZE_BIG = options.quick ? 20_000 : 100_000

const missing = {
  xargs: available('xargs') ? null : 'xargs not installed: apt-get install findutils',
  parallel: /GNU parallel/.test(version('parallel') ?? '')
    ? null
    : 'GNU parallel not installed: apt-get install parallel',
  concurrently: existsSync(CONCURRENTLY) ? null : 'concurrently not installed: npm ci',
  nodeSpawn: canImport('p-limit') ? null : 'p-limit not installed: npm ci',
  actionsExec:
    canImport('p-limit') && canImport('@actions/exec')
      ? null
      : '@actions/exec or p-limit not installed: npm ci'
}

const WORKLOADS = {
  A: workloadA,
  B: workloadB,
  C: workloadC,
  startup: workloadStartup,
  heavy: workloadHeavy,
  '100k': workload100k
}

function parseArgs(args) {
  try {
    const { values } = parseCommandLine({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        reps: { type: 'string' },
        only: { type: 'string' },
        compare: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    })
    if (values.help) {
      console.log(USAGE)
      process.exit(0)
    }
    if (values.reps !== undefined && !/^[1-9]\d*$/.test(values.reps)) throw new Error('--reps')
    return {
      quick: values.quick,
      strict: values.strict,
      reps: values.reps === undefined ? null : Number(values.reps),
      only: values.only === undefined ? null : values.only.split(','),
      compare: values.compare === undefined ? null : resolve(values.compare)
    }
  } catch {
    console.log(USAGE)
    process.exit(2)
  }
}

/**
 * Variables that make every Node process start slower (NODE_EXTRA_CA_CERTS loads a certificate
 * file: about 55 ms here). Every tool runs with them, so ratios hold, but start-up ratios to
 * `node -e ''` look better than on a runner without them.
 */
function startupEnvironmentNote() {
  const present = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'].filter(name => process.env[name])
  if (present.length === 0) return []
  return [
    '',
    `Note: ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set here, which adds a fixed cost to every Node start (tools and \`node -e ''\` alike); start-up ratios are lower than without.`
  ]
}

let interrupted = false
const progress = text => process.stderr.write(`${text}\n`)
const numbered = n => Array.from({ length: n }, (_, i) => String(i + 1))
const keyed = rows => Object.fromEntries(rows.map(r => [r.key, r]))

/**
 * Runs every available row `reps` times, rotating the order each repetition so that no tool
 * always runs first (cold caches) or right after a heavy one. `check` may mark a sample failed.
 */
async function runRows(label, rows, reps, { check, runOptions } = {}) {
  const runnable = rows.filter(r => !r.missing)
  for (const row of rows) row.samples = []
  for (let rep = 0; rep < reps; rep++) {
    const shift = rep % runnable.length
    const order = [...runnable.slice(shift), ...runnable.slice(0, shift)]
    for (const [position, row] of order.entries()) {
      const sample = await row.run(runOptions)
      if (interrupted) throw new Error('interrupted')
      check?.(sample, row)
      delete sample.stdoutTail
      delete sample.stderrTail
      Object.assign(sample, { rep, position })
      row.samples.push(sample)
      const failed = sample.error ? `  FAILED: ${sample.error}` : ''
      progress(`[${label} ${rep + 1}/${reps}] ${row.name}: ${fmtMs(sample.wallMs)}${failed}`)
    }
  }
  for (const row of runnable) row.stats = rowStats(row.samples)
  return keyed(rows)
}

function peerRows(j) {
  return [
    { key: 'xargs', name: `xargs -P ${j.workers}`, run: o => runXargs(j, o) },
    { key: 'parallel', name: 'GNU parallel', run: o => runParallel(j, o) },
    { key: 'concurrently', name: 'concurrently (prefixed)', run: o => runConcurrently(j, o) },
    { key: 'nodeSpawn', name: 'Node baseline (p-limit + spawn)', run: o => runNodeSpawn(j, o) },
    { key: 'actionsExec', name: '@actions/exec + p-limit', run: o => runActionsExec(j, o) }
  ].map(row => ({ ...row, missing: missing[row.key], command: describe[row.key](j) }))
}

function actionRow(key, name, j, inputs, runOptions = {}) {
  const run = o => runAction(j, inputs, { ...runOptions, ...o })
  return { key, name, command: describe.action(j, inputs), run }
}

/** Under --compare, the same action row run with the other build. */
function comparedRows(j) {
  if (options.compare === null) return []
  const name = `parallel-exec (shell: none), ${relative(ROOT, options.compare)}`
  const row = actionRow('actionCompared', name, j, { shell: 'none' }, { dist: options.compare })
  return [
    { ...row, command: row.command.replace('dist/index.js', relative(ROOT, options.compare)) }
  ]
}

/** Under --compare, how this build's action row compares with the other build's, per repetition. */
function comparedTargets(workload, by) {
  if (options.compare === null) return []
  const ratio = pairedRatio(by.action.samples, by.actionCompared.samples)
  return [info(workload, `action ÷ ${relative(ROOT, options.compare)}`, fmtRatio(ratio))]
}

/** A target line: `value` null means it could not be measured (n/a, not a miss). */
function target(workload, text, value, format, pass, why = 'n/a') {
  const result = value === null || value === undefined ? 'n/a' : pass(value) ? 'PASS' : 'MISS'
  return { workload, target: text, measured: result === 'n/a' ? why : format(value), result, value }
}

/** A figure to report, with no target to pass. */
const info = (workload, text, measured) => ({ workload, target: text, measured, result: 'info' })

/** Why a comparison with a peer could not be made. */
const without = key => (missing[key] ? `n/a (${missing[key].split(':')[0]})` : 'n/a')

const faster = r => `${fmtRatio(r)} faster`

// ── workloads ────────────────────────────────────────────────────────────────────────────

async function workloadA() {
  const j = job('A', numbered(SIZE_A), ['true'], 8)
  const rows = [
    actionRow('action', 'parallel-exec (shell: none)', j, { shell: 'none' }),
    actionRow('actionBash', 'parallel-exec (shell: bash)', j, { shell: 'bash' }),
    actionRow('actionMemfree', 'parallel-exec (shell: none, memfree: 1M)', j, {
      shell: 'none',
      memfree: '1M'
    }),
    ...comparedRows(j),
    ...peerRows(j)
  ]
  const by = await runRows('A', rows, REPS)
  const action = by.action.samples
  return {
    id: 'A',
    title: `A — ${fmtInt(SIZE_A)} × \`true\`, 8 workers`,
    description: 'Per-task overhead: the commands do nothing, so the wall time is the tool.',
    rows,
    targets: [
      target(
        'A',
        'action (shell: none) ≤ 1.2 × Node baseline',
        pairedRatio(action, by.nodeSpawn.samples),
        fmtRatio,
        r => r <= 1.2,
        without('nodeSpawn')
      ),
      target(
        'A',
        'action ≥ 1.5× faster than GNU parallel',
        pairedRatio(by.parallel.samples, action),
        faster,
        r => r >= 1.5,
        without('parallel')
      ),
      target(
        'A',
        'action ≥ 1.5× faster than concurrently',
        pairedRatio(by.concurrently.samples, action),
        faster,
        r => r >= 1.5,
        without('concurrently')
      ),
      info(
        'A',
        'action with memfree (memory read before each start) ÷ action',
        fmtRatio(pairedRatio(by.actionMemfree.samples, action))
      ),
      ...comparedTargets('A', by)
    ]
  }
}

async function workloadB() {
  const IDEAL_MS = 1250 // 40 × 0.25 s over 8 workers
  const j = job('B', Array(40).fill('0.25'), ['sleep'], 8)
  const rows = [
    actionRow('action', 'parallel-exec (shell: none)', j, { shell: 'none' }),
    ...comparedRows(j),
    ...peerRows(j)
  ]
  const by = await runRows('B', rows, REPS)
  const efficiency = row => (row.stats?.medianMs ? IDEAL_MS / row.stats.medianMs : null)
  return {
    id: 'B',
    title: 'B — 40 × `sleep 0.25`, 8 workers',
    description:
      'Scheduling: efficiency = ideal 1.25 s / wall (higher is better), Node start-up included.',
    rows,
    columns: [{ header: 'efficiency', value: r => efficiency(r)?.toFixed(2) ?? 'n/a' }],
    targets: [
      target(
        'B',
        'action efficiency ≥ 0.90',
        efficiency(by.action),
        e => e.toFixed(2),
        e => e >= 0.9
      ),
      ...comparedTargets('B', by)
    ]
  }
}

async function workloadC() {
  const TOTAL = 20 * 5_000_000
  // `head FILE -c N`: GNU head takes options after operands, so the item can come last.
  const j = job('C', Array(20).fill('5000000'), ['head', '/dev/zero', '-c'], 4)
  const rows = [
    actionRow('action', 'parallel-exec (shell: none)', j, { shell: 'none' }),
    ...peerRows(j),
    // The prefixed mode drops output when its stdout is a pipe that lags: show the raw mode too.
    {
      key: 'concurrentlyRaw',
      name: 'concurrently --raw',
      missing: missing.concurrently,
      command: describe.concurrently(j, true),
      run: o => runConcurrently(j, { ...o, raw: true })
    }
  ]
  // The payload is NUL bytes and no tool prints a NUL of its own: counting them counts payload.
  const check = sample => {
    if (!sample.error && sample.zeros !== TOTAL)
      sample.error = `delivered ${fmtInt(sample.zeros)} of ${fmtInt(TOTAL)} payload bytes`
  }
  const by = await runRows('C', rows, REPS, { check, runOptions: { countZeros: true } })
  const action = by.action.samples
  return {
    id: 'C',
    title: 'C — 20 tasks × 5 MB on stdout without a newline, 4 workers',
    description: `Output throughput and memory; every tool's stdout is read through a pipe and its payload bytes counted (${fmtInt(TOTAL)} expected; the action's log stays \`grouped\`).`,
    rows,
    columns: [
      {
        header: 'payload bytes (last run)',
        value: r => (r.samples.length ? fmtInt(r.samples.at(-1).zeros) : 'n/a')
      },
      {
        header: 'stdout bytes (last run)',
        value: r => (r.samples.length ? fmtInt(r.samples.at(-1).stdoutBytes) : 'n/a')
      }
    ],
    targets: [
      target(
        'C',
        'action wall ≤ 1.5 × GNU parallel',
        pairedRatio(action, by.parallel.samples),
        fmtRatio,
        r => r <= 1.5,
        without('parallel')
      ),
      target(
        'C',
        'action peak RSS < 80 MiB',
        by.action.stats.peakRssKb,
        fmtRss,
        kb => kb < 80 * 1024
      ),
      target(
        'C',
        'action log carried all 100,000,000 bytes',
        action.length ? action.filter(s => s.zeros === TOTAL).length : null,
        n => `${n} of ${action.length} runs`,
        n => n === action.length
      )
    ]
  }
}

async function workloadStartup() {
  const j = job('startup', ['1'], ['true'], 1)
  const rows = [
    { key: 'nodeBare', name: "node -e ''", command: "node -e ''", run: o => runNodeBare(o) },
    actionRow('action', 'parallel-exec (shell: none)', j, { shell: 'none' }),
    ...peerRows(j)
  ]
  const by = await runRows('startup', rows, STARTUP_REPS)
  return {
    id: 'startup',
    title: 'Start-up — one item (`true`), 1 worker',
    description: "Fixed cost of one run, compared with a bare `node -e ''`.",
    rows,
    targets: [
      target(
        'startup',
        "action ≤ 1.3 × node -e ''",
        pairedRatio(by.action.samples, by.nodeBare.samples),
        fmtRatio,
        r => r <= 1.3
      )
    ]
  }
}

async function workloadHeavy() {
  const items = [...numbered(40).map(n => `short-${n}`), 'long']
  const script = 'if [ "$1" = long ]; then sleep 2; else sleep 0.1; fi'
  const j = job('heavy', items, ['sh', '-c', script, 'sh'], 4)
  const timings = join(scratch, 'heavy-timings.json')
  progress('[heavy] warm-up run to produce the timings file')
  const warmUp = await runAction(j, { shell: 'none' }, { keepTimings: timings })
  const notes = []
  if (warmUp.error || !existsSync(timings))
    notes.push(`warm-up run: ${warmUp.error ?? 'no timings-file'}`)
  const rows = [
    ...peerRows(j).filter(r => r.key === 'xargs'),
    actionRow('action', 'parallel-exec, input order', j, { shell: 'none' }),
    {
      ...actionRow('actionTimings', 'parallel-exec, timings from warm-up', j, {
        shell: 'none',
        timings
      }),
      command: `${describe.action(j, { shell: 'none' })}, timings: <the warm-up run's timings-file>`
    }
  ]
  const by = await runRows('heavy', rows, REPS)
  const inOrder = by.action.stats.medianMs
  const withTimings = by.actionTimings.stats.medianMs
  return {
    id: 'heavy',
    title: 'Heavy-tailed — 40 × `sleep 0.1`, then one `sleep 2` last in input order, 4 workers',
    description:
      'Whether the long task starts first when the timings of a previous run are given (ideal wall: 2.0 s).',
    rows,
    notes,
    targets: [
      info(
        'heavy',
        'report: input order vs with timings (ideal 2.0 s)',
        `${fmtMs(inOrder)} vs ${fmtMs(withTimings)}`
      )
    ]
  }
}

async function workload100k() {
  const sizes = [SIZE_BIG / 10, SIZE_BIG]
  const inputs = { shell: 'none', log: 'none' }
  const rows = sizes.map(n => {
    const j = job(`big-${n}`, numbered(n), ['true'], 8)
    return actionRow(`n${n}`, `parallel-exec, ${fmtInt(n)} items`, j, inputs, { debug: true })
  })
  // One repetition per size: the large run alone takes minutes on a 2-core machine.
  const by = await runRows('100k', rows, 1)
  const [small, large] = sizes.map(n => by[`n${n}`])
  const completed = row => row.stats.failures === 0
  const summaryMs = row => row.samples[0]?.summaryMs ?? null
  const [smallKb, largeKb] = [small.stats.peakRssKb, large.stats.peakRssKb]
  return {
    id: '100k',
    title: `${fmtInt(SIZE_BIG)} items — \`true\`, shell: none, log: none, 8 workers (action only)`,
    description: `Scale: completes, memory stays flat (compare with the ${fmtInt(sizes[0])}-item run) and the job summary builds fast (the action's \`::debug::Summary built in N ms\` line, RUNNER_DEBUG=1). One run per size.`,
    rows,
    columns: [
      {
        header: 'per task',
        value: r => `${(r.stats.medianMs / Number(r.key.slice(1))).toFixed(2)} ms`
      },
      {
        header: 'summary built',
        value: r =>
          summaryMs(r) === null ? 'n/a' : `${fmtMs(summaryMs(r))} (${r.samples[0].summaryKiB} KiB)`
      }
    ],
    targets: [
      target(
        '100k',
        `${fmtInt(SIZE_BIG)} items complete`,
        large.samples.length ? completed(large) : null,
        ok => (ok ? 'all succeeded' : large.stats.errors.join('; ')),
        ok => ok
      ),
      target(
        '100k',
        'summary built in < 1 s',
        summaryMs(large),
        fmtMs,
        ms => ms < 1000,
        'n/a (no "Summary built" debug line)'
      ),
      info(
        '100k',
        `report: peak RSS at ${fmtInt(sizes[0])} and ${fmtInt(SIZE_BIG)} items`,
        `${fmtRss(smallKb)} → ${fmtRss(largeKb)}` +
          (smallKb && largeKb ? ` (${fmtRatio(largeKb / smallKb)})` : '')
      )
    ]
  }
}

/** JSON as prettier would print it, so `npm run format:check` passes with the results present. */
async function formatJson(value) {
  const text = JSON.stringify(value, null, 2) + '\n'
  try {
    const { format } = await import('prettier')
    return await format(text, { parser: 'json' })
  } catch {
    return text
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────

async function main() {
  const selected = options.only
    ? options.only.map(id => {
        const key = Object.keys(WORKLOADS).find(k => k.toLowerCase() === id.trim().toLowerCase())
        if (!key) {
          console.error(`Unknown workload '${id}'. Workloads: ${Object.keys(WORKLOADS).join(', ')}`)
          process.exit(2)
        }
        return key
      })
    : Object.keys(WORKLOADS)

  if (!existsSync(DIST)) {
    progress('dist/index.js is missing: npm run package')
    spawnSync('npm', ['run', 'package'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
  }
  const machine = machineInfo()
  const distBefore = fileInfo(DIST)
  const tools = {
    xargs: version('xargs'),
    parallel: version('parallel'),
    concurrently: existsSync(CONCURRENTLY)
      ? version(process.execPath, [CONCURRENTLY, '--version'])
      : null,
    time: existsSync('/usr/bin/time') ? version('/usr/bin/time') : null
  }
  const args = process.argv.slice(2)
  const reproduce = ['node', 'bench/bench.mjs', ...args].map(shellQuote).join(' ')
  const header = [
    '## parallel-exec benchmark',
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os} — ${machine.date}`,
    '',
    `Reproduce: \`cd ${ROOT} && ${reproduce}\``,
    '',
    `dist/index.js: ${distBefore ? `${fmtInt(distBefore.bytes)} bytes, sha256 ${distBefore.sha256}, modified ${distBefore.modified}` : 'missing'}` +
      ` · repetitions: ${REPS} (start-up ${STARTUP_REPS}, 100k 1), order rotated each repetition · ratios are medians of per-repetition ratios`,
    ...startupEnvironmentNote()
  ].join('\n')
  const markdown = [header]
  console.log(header + '\n')

  const results = []
  for (const id of selected) {
    progress(`── ${id}`)
    const workload = await WORKLOADS[id]()
    results.push(workload)
    const text = renderWorkload(workload)
    markdown.push(text)
    console.log(text + '\n')
  }

  const targets = results.flatMap(w => w.targets)
  const distAfter = fileInfo(DIST)
  const closing = [renderTargets(targets)]
  if (distAfter?.sha256 !== distBefore?.sha256)
    closing.push(
      '',
      `Note: dist/index.js changed during the run (sha256 ${distBefore?.sha256} → ${distAfter?.sha256}); runs mix both builds.`
    )
  const misses = targets.filter(t => t.result === 'MISS').length
  closing.push(
    '',
    `${misses} target(s) missed.${options.strict ? '' : ' (--strict makes that exit 1)'}`
  )
  markdown.push(closing.join('\n'))
  console.log(closing.join('\n'))

  const outDir = join(ROOT, 'bench', 'results')
  mkdirSync(outDir, { recursive: true })
  const json = {
    machine,
    reproduce,
    options: {
      ...options,
      reps: REPS,
      startupReps: STARTUP_REPS,
      sizeA: SIZE_A,
      sizeBig: SIZE_BIG
    },
    dist: { before: distBefore, after: distAfter },
    tools,
    workloads: results.map(w => ({
      id: w.id,
      title: w.title,
      description: w.description,
      notes: w.notes ?? [],
      rows: w.rows.map(r => ({
        key: r.key,
        name: r.name,
        command: r.command,
        missing: r.missing ?? null,
        stats: r.stats ?? null,
        samples: r.samples
      })),
      targets: w.targets
    })),
    targets
  }
  writeFileSync(join(outDir, 'latest.json'), await formatJson(json))
  progress(`Full data: ${relative(process.cwd(), join(outDir, 'latest.json'))}`)
  if (process.env.GITHUB_STEP_SUMMARY)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown.join('\n\n') + '\n')
  if (options.strict && misses > 0) process.exitCode = 1
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    interrupted = true
    progress(`${signal}: stopping the running tool`)
    await stopRunning()
    process.exit(130)
  })
}

// After Ctrl-C the handler above reports and exits; the run it cut short is not a result.
await main().catch(error => {
  if (!interrupted) throw error
})
