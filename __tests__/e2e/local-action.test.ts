import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

// GitHub's local debugger, @github/local-action, runs src/main.ts's `run` with @actions/core
// replaced by its own stand-in, then prints the outputs it was given as a table. `npm run
// local-action` runs it on .env; these runs use .env.example, as a developer's first run does.

const BIN = resolve('node_modules/@github/local-action/bin/local-action.js')

/** What one local-action run printed, its outputs table and the summary it wrote. */
interface LocalRun {
  code: number | null
  log: string
  outputs: Record<string, string>
  summary: string
}

/** The npm script's arguments, the env file last. */
function scriptArguments(): string[] {
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>
  const [program, ...args] = (scripts['local-action'] ?? '').split(' ')
  expect(program).toBe('local-action')
  expect(args.at(-1)).toBe('.env')
  return args.slice(0, -1)
}

/** Runs local-action as `npm run local-action` does, on .env.example with `changes` to it. */
function runLocalAction(changes: Record<string, string> = {}): Promise<LocalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'local-action-'))
  const summaryFile = join(dir, 'summary.md')
  const lines = readFileSync('.env.example', 'utf8')
    .replace(/^GITHUB_STEP_SUMMARY=.*$/m, `GITHUB_STEP_SUMMARY=${summaryFile}`)
    .split('\n')
  const changed = Object.entries(changes).map(([name, value]) => `${name}=${JSON.stringify(value)}`)
  const envFile = join(dir, '.env')
  writeFileSync(envFile, [...lines, ...changed].join('\n'))
  // Nothing of this process's own step or of jest's reaches the action but the env file.
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' }
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|NODE_OPTIONS$|FORCE_COLOR$)/.test(name)) {
      env[name] = value
    }
  }
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [BIN, ...scriptArguments(), envFile],
      { env, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return fail(error)
        // eslint-disable-next-line no-control-regex
        const log = (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, '')
        done({
          code: error ? (error.code as number) : 0,
          log,
          outputs: outputsTable(log),
          summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : ''
        })
      }
    )
  })
}

/** The rows of the "Action Outputs" table local-action prints last (console.table). */
function outputsTable(log: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const table = log.slice(log.lastIndexOf('Action Outputs'))
  for (const [, name, quoted] of table.matchAll(/^│ \d+\s*│ '([^']+)'\s*│ (.*?)\s*│$/gm)) {
    // console.table quotes each string as util.inspect does: ', " or `, chosen by its content.
    outputs[name as string] = (quoted as string).slice(1, -1)
  }
  return outputs
}

describe('local debugging with @github/local-action', () => {
  it('runs the example, with its outputs in the table and its summary written', async () => {
    const run = await runLocalAction()
    expect(run.code).toBe(0)
    expect(run.log).not.toMatch(/^\s+at /m)
    expect(run.log).not.toContain('No outputs were set!')
    expect(run.outputs).toMatchObject({
      total: '3',
      succeeded: '3',
      failed: '0',
      'timed-out': '0',
      cancelled: '0',
      skipped: '0',
      'failed-items': '[]',
      'results-truncated': 'false'
    })
    const results = JSON.parse(run.outputs.results ?? '') as { item: string; status: string }[]
    expect(results.map(result => [result.item, result.status])).toEqual([
      ['alpha', 'success'],
      ['beta', 'success'],
      ['gamma', 'success']
    ])
    expect(run.log).toContain('checking beta')
    expect(run.summary).toContain('parallel-exec: 3 of 3 succeeded')
  }, 90_000)

  it("shows a failed task's failure and outputs", async () => {
    const run = await runLocalAction({ INPUT_ITEMS: 'a\nb', INPUT_COMMAND: 'test {} = a' })
    expect(run.log).not.toMatch(/^\s+at /m)
    expect(run.outputs).toMatchObject({ total: '2', succeeded: '1', failed: '1' })
    expect(run.outputs['failed-items']).toBe('["b"]')
    expect(run.log).toContain('::error::1 of 2 tasks did not succeed (1 failed): b.')
    expect(run.summary).toContain('parallel-exec: 1 of 2 succeeded')
  }, 90_000)
})
