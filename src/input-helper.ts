import * as core from '@actions/core'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Inputs, LogMode, NoItemsBehavior, Shell } from './constants.js'
import { parseDuration } from './duration.js'
import { type Item } from './item.js'
import { parseItems, readItemsFile } from './items.js'
import { WorkflowCommands } from './workflow-commands.js'

/** The action's inputs, checked and parsed. */
export interface ActionSettings {
  /** The items, parsed from `items` or `items-file`. */
  items: Item[]
  /** The command template; empty means each item is itself the command. */
  command: string
  /** The shell that runs each command. */
  shell: Shell
  /** How many tasks run at once. */
  maxWorkers: number
  /** Halt the run on the first task that does not succeed. */
  failFast: boolean
  /** Per-task time limit in milliseconds; undefined for none. */
  timeoutMs: number | undefined
  /** How many more times a failed or timed-out task is run. */
  retries: number
  /** Delay before the first retry, in milliseconds; it doubles with each further retry. */
  retryDelayMs: number
  /** Absolute directory the commands run in. */
  workingDirectory: string
  /** How task output reaches the log. */
  log: LogMode
  /** Which workflow commands in task output the runner may act on. */
  workflowCommands: WorkflowCommands
  /** What to do when there are no items. */
  ifNoItems: NoItemsBehavior
  /** Whether to write the job summary. */
  summary: boolean
}

/** Reads, checks and parses every input; throws one clear error for the first bad one. */
export async function getInputs(): Promise<ActionSettings> {
  const itemsText = core.getInput(Inputs.Items, { trimWhitespace: false })
  const itemsFile = core.getInput(Inputs.ItemsFile)
  if (itemsText.trim() !== '' && itemsFile !== '') {
    throw new Error(
      `Invalid inputs: both '${Inputs.Items}' and '${Inputs.ItemsFile}' are set. Expected only one of them.`
    )
  }
  const shell = parseEnum(Inputs.Shell, core.getInput(Inputs.Shell) || Shell.Bash, Shell)
  const settings: Omit<ActionSettings, 'items'> = {
    command: core.getInput(Inputs.Command, { trimWhitespace: false }),
    shell,
    maxWorkers: parseMaxWorkers(core.getInput(Inputs.MaxWorkers) || 'auto'),
    failFast: parseBoolean(Inputs.FailFast, core.getInput(Inputs.FailFast) || 'false'),
    timeoutMs: parseTimeout(core.getInput(Inputs.Timeout)),
    retries: parseRetries(core.getInput(Inputs.Retries) || '0'),
    retryDelayMs: parseRetryDelay(core.getInput(Inputs.RetryDelay) || '1s'),
    workingDirectory: await parseWorkingDirectory(core.getInput(Inputs.WorkingDirectory)),
    log: parseEnum(Inputs.Log, core.getInput(Inputs.Log) || LogMode.Grouped, LogMode),
    workflowCommands: parseEnum(
      Inputs.WorkflowCommands,
      core.getInput(Inputs.WorkflowCommands) || WorkflowCommands.Annotations,
      WorkflowCommands
    ),
    ifNoItems: parseEnum(
      Inputs.IfNoItems,
      core.getInput(Inputs.IfNoItems) || NoItemsBehavior.Warn,
      NoItemsBehavior
    ),
    summary: parseBoolean(Inputs.Summary, core.getInput(Inputs.Summary) || 'true')
  }
  const items =
    itemsFile !== ''
      ? await readItemsFile(resolve(settings.workingDirectory, itemsFile), Inputs.ItemsFile)
      : parseItems(itemsText, { input: Inputs.Items })
  return { items, ...settings }
}

/** Parses `max-workers`: a whole number from 1 up, `auto` (the CPUs available) or `N%` of them. */
export function parseMaxWorkers(value: string, cpus: number = availableParallelism()): number {
  const text = value.trim()
  if (text === 'auto') return Math.max(1, cpus)
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  if (percent && Number(percent[1]) > 0) {
    return Math.max(1, Math.floor((cpus * Number(percent[1])) / 100))
  }
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
    return Number(text)
  }
  throw new Error(
    `Invalid ${Inputs.MaxWorkers} '${value}'. Expected a whole number from 1 up, 'auto', ` +
      `or a percentage of the CPUs such as '50%'.`
  )
}

/** Parses `timeout`: empty for none, else a duration such as `90`, `90s`, `5m` or `1h30m`. */
export function parseTimeout(value: string): number | undefined {
  if (value.trim() === '') return undefined
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new Error(
      `Invalid ${Inputs.Timeout} '${value}'. Expected a duration such as '90' (seconds), '90s', ` +
        `'5m' or '1h30m', or empty for no limit.`
    )
  }
  return ms
}

/** Parses `retries`: a whole number from 0 up. */
export function parseRetries(value: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new Error(`Invalid ${Inputs.Retries} '${value}'. Expected a whole number from 0 up.`)
}

/** Parses `retry-delay`: `0` or a duration such as `1s`, `500ms` or `1m`. */
export function parseRetryDelay(value: string): number {
  if (/^\s*0+(\.0*)?(ms|s|m|h)?\s*$/.test(value)) return 0
  const ms = parseDuration(value)
  if (ms === undefined) {
    throw new Error(
      `Invalid ${Inputs.RetryDelay} '${value}'. Expected a duration such as '1s', '500ms' or '1m', or 0.`
    )
  }
  return ms
}

/** Parses a boolean input as the YAML 1.2 core schema spells it (as core.getBooleanInput). */
export function parseBoolean(input: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Invalid ${input} '${value}'. Expected 'true' or 'false'.`)
}

/** Parses an enum-valued input, naming the allowed values when it is not one of them. */
export function parseEnum<E extends Record<string, string>>(
  input: string,
  value: string,
  values: E
): E[keyof E] {
  const allowed = Object.values(values)
  const text = value.trim()
  if (allowed.includes(text)) return text as E[keyof E]
  throw new Error(`Invalid ${input} '${value}'. Expected one of: ${allowed.join(', ')}.`)
}

async function parseWorkingDirectory(value: string): Promise<string> {
  const directory = resolve(value)
  if (value === '') return directory
  const stats = await stat(directory).catch(() => undefined)
  if (!stats?.isDirectory()) {
    throw new Error(
      `Invalid ${Inputs.WorkingDirectory} '${value}': ${stats ? 'not a directory' : 'no such directory'}. ` +
        'Expected an existing directory.'
    )
  }
  return directory
}
