import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun, type RunOptions } from './action.js'

// Runs of the bundled action as attempts of workflow runs, sharing one workspace, for the run
// history's end-to-end tests.

/** The server and repository the summary links to. */
export const SERVER = 'https://github.example'
export const REPOSITORY = 'octo-org/octo-repo'

/** A workspace that runs share: the history file, the marker files tasks leave, their sources. */
export function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'parallel-exec-history-'))
}

/** Runs the action in `dir` as attempt `attempt` of workflow run `runId`. */
export function attempt(
  dir: string,
  inputs: Record<string, string>,
  runId: number,
  attemptNumber = 1,
  options: RunOptions = {}
): Promise<ActionRun> {
  return runAction(inputs, {
    ...options,
    dir,
    env: {
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_ATTEMPT: String(attemptNumber),
      GITHUB_WORKSPACE: dir,
      GITHUB_SERVER_URL: SERVER,
      GITHUB_REPOSITORY: REPOSITORY,
      ...options.env
    }
  })
}

/** Keeps a run's history-file at `path` for the next run, as the cache recipe does. */
export function keepHistory(run: ActionRun, path: string): void {
  const written = run.outputs['history-file'] ?? ''
  if (written === '' || !existsSync(written)) {
    throw new Error(`The run wrote no history-file:\n${run.log.slice(-3000)}`)
  }
  copyFileSync(written, path)
}

/** The items each run's tasks ran, one line each in `ran.txt` (commands append to it), then clears it. */
export function takeRan(dir: string): string[] {
  const path = join(dir, 'ran.txt')
  if (!existsSync(path)) return []
  const ran = readFileSync(path, 'utf8').split('\n').filter(Boolean).sort()
  rmSync(path)
  return ran
}

/** One entry of `results`. */
export interface Result {
  item: unknown
  status: string
  attempts: number
  flaky?: boolean
  reusedFrom?: { runId: number; attempt: number; at: string }
}

/** The `results` output, parsed. */
export const resultsOf = (run: ActionRun): Result[] =>
  JSON.parse(run.outputs.results as string) as Result[]

/** The status of each item in `results`, by its text. */
export const statusByItem = (run: ActionRun): Record<string, string> =>
  Object.fromEntries(
    resultsOf(run).map(result => [
      typeof result.item === 'string' ? result.item : JSON.stringify(result.item),
      result.status
    ])
  )

/** A history file, parsed as JSON (its format: docs/reference.md). */
export interface HistoryJson {
  items: Record<string, { results: unknown[]; runs: number; failures: number; flaky: number }>
  runs: unknown[]
}

/** The history file a run wrote, parsed. */
export const historyOf = (run: ActionRun): HistoryJson =>
  JSON.parse(readFileSync(run.outputs['history-file'] as string, 'utf8')) as HistoryJson
