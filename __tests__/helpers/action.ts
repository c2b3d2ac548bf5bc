import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const DIST = resolve('dist/index.js')

/** What one run of the bundled action left behind. */
export interface ActionRun {
  /** Exit code of the node process (1 when the step failed). */
  code: number | null
  signal: NodeJS.Signals | null
  /** Everything it printed to stdout and stderr, in order. */
  log: string
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>
  /** GITHUB_STEP_SUMMARY's content. */
  summary: string
  /** The work directory: RUNNER_TEMP and the default working directory. */
  dir: string
  /** Peak resident memory of the action's process (VmHWM), in bytes, as last read from /proc. */
  peakRss: number
}

export interface RunOptions {
  /** Extra environment for the action process. */
  env?: NodeJS.ProcessEnv
  /** Called once the process has started, e.g. to signal it. */
  onStart?: (child: ChildProcess, dir: string) => void
  /** Work directory to use instead of a fresh one. */
  dir?: string
  /** Receives the log as it comes instead of keeping it (for runs that print gigabytes). */
  onLog?: (chunk: Buffer) => void
}

/** Runs dist/index.js exactly as the runner does: INPUT_* variables, output and summary files. */
export function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
  const outputFile = join(dir, 'github-output')
  const summaryFile = join(dir, 'github-step-summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('INPUT_') && !name.startsWith('GITHUB_') && name !== 'RUNNER_DEBUG')
      env[name] = value
  }
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir
  })
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(env, options.env)
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [DIST], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const chunks: Buffer[] = []
    const keep = options.onLog ?? ((chunk: Buffer) => void chunks.push(chunk))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', reject)
    // VmHWM only grows, so its last reading before exit is the peak (or very near it).
    let peakRss = 0
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
        peakRss = Math.max(peakRss, kb * 1024)
      } catch {
        // gone
      }
    }, 25)
    child.on('close', (code, signal) => {
      clearInterval(sampler)
      resolvePromise({
        peakRss,
        code,
        signal,
        log: Buffer.concat(chunks).toString('utf8'),
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        dir
      })
    })
    options.onStart?.(child, dir)
  })
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const [, name, , value] of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[name as string] = value as string
  }
  return outputs
}

/** The live (not zombie) processes whose process group is `pgid`, read from /proc. */
export function liveProcessesInGroup(pgid: number): number[] {
  return liveProcesses()
    .filter(process => process.pgrp === pgid)
    .map(process => process.pid)
}

/** True when the pid is a live process (a zombie or a missing pid is not). */
export function isAlive(pid: number): boolean {
  return liveProcesses().some(process => process.pid === pid)
}

function liveProcesses(): { pid: number; pgrp: number; state: string }[] {
  const result: { pid: number; pgrp: number; state: string }[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // The command name is in parentheses and may contain spaces: fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const state = fields[0] as string
    if (state === 'Z' || state === 'X') continue
    result.push({ pid: Number(entry), pgrp: Number(fields[2]), state })
  }
  return result
}

/** Waits until `check` is true, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition')
    await new Promise(r => setTimeout(r, 20))
  }
}
