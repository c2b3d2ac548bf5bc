// How each tool is run and measured. Every runner takes a job — { items, itemsFile, argv,
// workers } meaning "run argv... ITEM once per item, at most `workers` at once" — and returns
// the sample measure() took, with `error` set when the run did not do the whole job.
import { spawn, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { Buffer } from 'node:buffer'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))))
export const DIST = join(ROOT, 'dist', 'index.js')
export const CONCURRENTLY = join(ROOT, 'node_modules', '.bin', 'concurrently')
// Run its script with this same node, not whichever `node` its #! line finds on PATH.
const concurrentlyScript = () => realpathSync(CONCURRENTLY)
const NODE_SPAWN = join(ROOT, 'bench', 'peers', 'node-spawn.mjs')
const ACTIONS_EXEC = join(ROOT, 'bench', 'peers', 'actions-exec.mjs')
const TIME = '/usr/bin/time'
const HAVE_TIME = existsSync(TIME)

export const scratch = mkdtempSync(join(tmpdir(), 'parallel-exec-bench-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))
let runCount = 0

/** The bench's environment without anything a runner would set for its own step. */
function cleanEnv() {
  const env = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(name)) env[name] = value
  }
  return env
}

const running = new Set()
function killGroup(pid, signal) {
  // kill(2) reads -0 as this process's own group and -1 as every process it may signal.
  if (!Number.isSafeInteger(pid) || pid <= 1) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Stops the process groups still running (on Ctrl-C): SIGTERM first, which the action answers by
 * stopping its tasks' own process groups, then SIGKILL.
 */
export async function stopRunning(graceMs = 3000) {
  for (const pid of running) killGroup(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (running.size && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
  for (const pid of running) killGroup(pid, 'SIGKILL')
}

const ZEROS = Buffer.alloc(1 << 16)
/** NUL bytes in a chunk; memcmp against zeros first, since C's payload is all NULs. */
function countZeros(chunk) {
  let zeros = 0
  for (let at = 0; at < chunk.length; at += ZEROS.length) {
    const part = chunk.subarray(at, at + ZEROS.length)
    if (part.equals(ZEROS.subarray(0, part.length))) zeros += part.length
    else for (const byte of part) if (byte === 0) zeros++
  }
  return zeros
}

/**
 * Runs a command and measures it: wall time around spawn → close (hrtime), peak RSS from
 * /usr/bin/time (`%M`: the largest of the process and its children, in KB), and the bytes it
 * wrote to stdout, read through a pipe. Keeps the last `tailBytes` of stdout and of stderr.
 */
export function measure(command, args, options = {}) {
  const { stdinFile, cwd = scratch, env = cleanEnv(), tailBytes = 64 * 1024 } = options
  const timeFile = join(scratch, `time-${++runCount}`)
  const [file, argv] = HAVE_TIME
    ? [TIME, ['-f', '%M', '-o', timeFile, command, ...args]]
    : [command, args]
  const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore'
  return new Promise(resolve => {
    const sample = { wallMs: 0, rssKb: null, code: null, signal: null, stdoutBytes: 0, zeros: 0 }
    const tails = { stdout: { chunks: [], bytes: 0 }, stderr: { chunks: [], bytes: 0 } }
    const keep = (name, chunk) => {
      const tail = tails[name]
      tail.chunks.push(chunk)
      tail.bytes += chunk.length
      while (tail.bytes - tail.chunks[0].length >= tailBytes)
        tail.bytes -= tail.chunks.shift().length
    }
    const start = process.hrtime.bigint()
    // Its own process group, so a timeout or Ctrl-C can stop the whole tree.
    const child = spawn(file, argv, { cwd, env, stdio: [stdin, 'pipe', 'pipe'], detached: true })
    running.add(child.pid)
    if (typeof stdin === 'number') closeSync(stdin)
    child.stdout.on('data', chunk => {
      sample.stdoutBytes += chunk.length
      if (options.countZeros) sample.zeros += countZeros(chunk)
      keep('stdout', chunk)
    })
    child.stderr.on('data', chunk => keep('stderr', chunk))
    const timeoutMs = options.timeoutMs ?? 30 * 60_000
    const timer = setTimeout(() => {
      sample.error = `timed out after ${timeoutMs / 1000} s`
      killGroup(child.pid, 'SIGTERM')
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref()
    }, timeoutMs)
    let finished = false
    const finish = (code, signal) => {
      if (finished) return
      finished = true
      sample.wallMs = Number(process.hrtime.bigint() - start) / 1e6
      clearTimeout(timer)
      running.delete(child.pid)
      sample.code = code
      sample.signal = signal
      sample.stdoutTail = Buffer.concat(tails.stdout.chunks).toString('utf8')
      sample.stderrTail = Buffer.concat(tails.stderr.chunks).toString('utf8')
      if (HAVE_TIME && existsSync(timeFile)) {
        // On failure time writes "Command exited with non-zero status N" first.
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n')
        const kb = Number(lines.at(-1))
        if (Number.isFinite(kb) && kb > 0) sample.rssKb = kb
        rmSync(timeFile, { force: true })
      }
      if (!sample.error && code !== 0) {
        const lines = (sample.stderrTail.trim() || sample.stdoutTail.trim()).split('\n')
        const why = lines.findLast(line => /error/i.test(line)) ?? lines.at(-1)
        sample.error = `exit ${code ?? signal}${why ? `: ${why.slice(0, 200)}` : ''}`
      }
      resolve(sample)
    }
    child.on('error', error => {
      sample.error = error.message
      finish(null, null)
    })
    child.on('close', finish)
  })
}

/** POSIX single-quoting, also understood by the action's `shell: none` word splitting. */
export function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`
}
const shellJoin = argv => argv.map(shellQuote).join(' ')

/** Whether a command runs at all (for peers that may be missing). */
export function available(command, args = ['--version']) {
  const result = spawnSync(command, args, { stdio: 'ignore' })
  return !result.error && result.status === 0
}

/** First line of `command --version`, for the record. */
export function version(command, args = ['--version']) {
  const result = spawnSync(command, args, { encoding: 'utf8', input: '' })
  return result.error ? null : (result.stdout || result.stderr).trim().split('\n')[0]
}

export function canImport(name) {
  try {
    import.meta.resolve(name)
    return true
  } catch {
    return false
  }
}

/** A job: argv plus one item per run, with the items also in a file for the tools' stdin. */
export function job(name, items, argv, workers) {
  const itemsFile = join(scratch, `items-${name}.txt`)
  writeFileSync(itemsFile, items.join('\n') + '\n')
  return { name, items, itemsFile, argv, workers }
}

// ── one runner per tool ──────────────────────────────────────────────────────────────────

export const describe = {
  xargs: j => `xargs -P ${j.workers} -n 1 ${shellJoin(j.argv)} < items`,
  parallel: j => `parallel --will-cite -j ${j.workers} ${shellQuote(shellJoin(j.argv))} < items`,
  concurrently: (j, raw) =>
    `concurrently${raw ? ' --raw' : ''} --max-processes ${j.workers} '${shellJoin(j.argv)} ITEM' …`,
  nodeSpawn: j => `node bench/peers/node-spawn.mjs ${j.workers} ${shellJoin(j.argv)} < items`,
  actionsExec: j => `node bench/peers/actions-exec.mjs ${j.workers} ${shellJoin(j.argv)} < items`,
  action: (j, inputs = {}) =>
    `dist/index.js with command: ${actionTemplate(j)}, max-workers: ${j.workers}` +
    Object.entries(inputs)
      .map(([name, value]) => `, ${name}: ${value}`)
      .join('')
}

export function runXargs(j, options) {
  return measure('xargs', ['-P', String(j.workers), '-n', '1', ...j.argv], {
    ...options,
    stdinFile: j.itemsFile
  })
}

export function runParallel(j, options) {
  // GNU parallel runs each command line through a shell; pin it so the result does not depend
  // on which shell started the bench.
  const env = { ...cleanEnv(), PARALLEL_SHELL: '/bin/sh' }
  return measure('parallel', ['--will-cite', '-j', String(j.workers), shellJoin(j.argv)], {
    ...options,
    env,
    stdinFile: j.itemsFile
  })
}

/** Default output mode (lines prefixed with [index]), or `raw`; commands run through /bin/sh. */
export function runConcurrently(j, options = {}) {
  const commands = j.items.map(item => shellJoin([...j.argv, item]))
  const mode = options.raw ? ['--raw'] : []
  const args = [concurrentlyScript(), ...mode, '--max-processes', String(j.workers), ...commands]
  return measure(process.execPath, args, options)
}

export function runNodeSpawn(j, options) {
  return measure(process.execPath, [NODE_SPAWN, String(j.workers), ...j.argv], {
    ...options,
    stdinFile: j.itemsFile
  })
}

export function runActionsExec(j, options) {
  return measure(process.execPath, [ACTIONS_EXEC, String(j.workers), ...j.argv], {
    ...options,
    stdinFile: j.itemsFile
  })
}

export function runNodeBare(options) {
  return measure(process.execPath, ['-e', ''], options)
}

const actionTemplate = j => `${shellJoin(j.argv)} {}`

/**
 * Runs dist/index.js exactly as the runner does: each input as INPUT_<NAME>, fresh
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and RUNNER_TEMP, none of the bench's own GITHUB_*.
 * Checks the step succeeded with every item; `keepTimings` copies the timings-file output there;
 * `dist` runs another build of the action.
 */
export async function runAction(j, inputs = {}, options = {}) {
  await waitForDist()
  const dir = mkdtempSync(join(scratch, 'action-'))
  const outputFile = join(dir, 'github-output')
  const summaryFile = join(dir, 'github-step-summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const all = { command: actionTemplate(j), 'max-workers': String(j.workers), ...inputs }
  // The runner passes inputs as environment variables, capped at 128 KiB each on Linux.
  if (j.itemsFile && j.items.join('\n').length > 100_000) all['items-file'] = j.itemsFile
  else all.items = j.items.join('\n')
  const env = { ...cleanEnv(), GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile }
  env.RUNNER_TEMP = dir
  if (options.debug) env.RUNNER_DEBUG = '1'
  for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value
  const sample = await measure(process.execPath, [options.dist ?? DIST], {
    ...options,
    cwd: dir,
    env
  })
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  sample.outputs = { total: outputs.total, succeeded: outputs.succeeded }
  const n = String(j.items.length)
  if (!sample.error && (outputs.total !== n || outputs.succeeded !== n))
    sample.error = `outputs say total=${outputs.total}, succeeded=${outputs.succeeded}, want ${n}`
  const built = /::debug::Summary built in (\d+(?:\.\d+)?) ms \((\d+) KiB\)/.exec(sample.stdoutTail)
  sample.summaryMs = built ? Number(built[1]) : null
  sample.summaryKiB = built ? Number(built[2]) : null
  if (options.keepTimings && outputs['timings-file'])
    copyFileSync(outputs['timings-file'], options.keepTimings)
  rmSync(dir, { recursive: true, force: true })
  return sample
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text) {
  const outputs = {}
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[name] = value
  return outputs
}

/** dist/ is rebuilt by others while the bench runs: wait for a missing bundle to come back. */
async function waitForDist(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (!existsSync(DIST) && Date.now() < deadline) await new Promise(r => setTimeout(r, 500))
}
