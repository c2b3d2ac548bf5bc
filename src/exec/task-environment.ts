import { basename, dirname } from 'node:path'
import { argumentSpaceLimit, environmentBytes } from '../system/spawn-limits.js'
import { runMarker } from './process-tree.js'
import { TaskFiles } from './task-files.js'

/**
 * What the runner gives a JavaScript action but not a `run:` step (actions/runner,
 * NodeScriptActionHandler): credentials for the artifact, cache, results and OIDC services. The
 * action's own state file goes too: a task writing to it would change the action's state.
 */
export const ACTION_ONLY_VARIABLES: readonly string[] = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'GITHUB_STATE'
]

/**
 * The runner's file commands that change what later steps see and whose rules the action applies.
 * Each task that runs while the step has one gets a file of its own under the same name; they are
 * applied to the step's file after the run, in input order (see StepFiles).
 */
const STEP_FILE_COMMANDS: readonly string[] = ['GITHUB_ENV', 'GITHUB_PATH']

/**
 * Runner files tasks do not get: GITHUB_ARTIFACTS, whose rules (a size cap, a cap per job, URI
 * schemes, conflicting digests, all unreleased and changing) the action could not apply to each
 * task's file faithfully, and sharing the step's would let one task fail the step for all.
 */
const WITHHELD_FILE_COMMANDS: readonly string[] = ['GITHUB_ARTIFACTS']

/** Runner files known to be read-only for a step, passed on to tasks as they are. */
const READ_ONLY_RUNNER_FILES: readonly string[] = ['GITHUB_EVENT_PATH', 'GITHUB_ARTIFACTS_LIST']

/** Runner files the action gives each task a file of its own for, or passes on. */
const KNOWN_RUNNER_FILES: readonly string[] = [
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  ...STEP_FILE_COMMANDS,
  ...READ_ONLY_RUNNER_FILES
]

/**
 * Whether a variable names a runner file command the action does not know: the runner keeps every
 * one in its `_runner_file_commands` directory (actions/runner, FileCommandManager), and a task
 * writing to the step's file would race the other tasks under rules the action cannot check.
 */
function isUnknownFileCommand(name: string, value: string | undefined): boolean {
  if (!name.startsWith('GITHUB_') || value === undefined || KNOWN_RUNNER_FILES.includes(name)) {
    return false
  }
  return basename(dirname(value)) === '_runner_file_commands'
}

/**
 * The environment tasks start from: the runner's, without the action's own inputs (a token among
 * them), without what a `run:` step would not get either, and without runner files tasks cannot
 * share (WITHHELD_FILE_COMMANDS and any file command the action does not know).
 */
export function taskEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) {
    if (
      name.startsWith('INPUT_') ||
      ACTION_ONLY_VARIABLES.includes(name) ||
      WITHHELD_FILE_COMMANDS.includes(name) ||
      isUnknownFileCommand(name, value)
    ) {
      continue
    }
    result[name] = value
  }
  return result
}

/** The step's file for each of STEP_FILE_COMMANDS the runner set. */
export function stepFileTargets(env: NodeJS.ProcessEnv): Record<string, string> {
  const targets: Record<string, string> = {}
  for (const name of STEP_FILE_COMMANDS) {
    const path = env[name]
    if (path !== undefined && path !== '') targets[name] = path
  }
  return targets
}

/** What prepare needs to check that every task can start, and to decide where PARALLEL_ITEM fits. */
export interface SpawnBudget {
  /** Most bytes of arguments and environment a task may start with; undefined: not checked. */
  limit: number | undefined
  /** Bytes of the environment every task gets, its own variables at their longest. */
  environmentBytes: number
  /** The highest worker slot number. */
  slots: number
}

/** The budget for tasks run in `workDirectory` on up to `slots` worker slots, numbered up to `count`. */
export function spawnBudget(
  workDirectory: string,
  slots: number,
  count: number,
  env: NodeJS.ProcessEnv = process.env
): SpawnBudget {
  const files = new TaskFiles(workDirectory, slots, Object.keys(stepFileTargets(env)))
  const longest = {
    ...taskEnvironment(env),
    PARALLEL_SEQ: String(count),
    PARALLEL_JOBSLOT: String(slots),
    // A task holds at most every slot.
    PARALLEL_SLOTS: String(slots),
    PARALLEL_ITEM_FILE: files.itemPath,
    ...files.variables,
    // The marker every task carries on Linux (process-tree.ts), its number at its longest.
    [runMarker().slice(0, -1)]: String(Number.MAX_SAFE_INTEGER)
  }
  return { limit: argumentSpaceLimit(), environmentBytes: environmentBytes(longest), slots }
}
