import * as core from '../action/actions-core.js'
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Inputs } from '../action/action-yml.js'
import { ResolveThreads } from './settings.js'
import { ItemsFrom } from './settings.js'
import { NoItemsBehavior } from './settings.js'
import { LogMode } from '../log/log-mode.js'
import { Shell } from '../model/shell.js'
import { parseDurationInput } from '../model/duration.js'
import { HaltMode } from '../model/halt.js'
import { MAX_RETRY_DELAY_MS } from '../exec/command-task.js'
import { parseItems, readItemsFile } from './items.js'
import { MAX_SHARDS, type Shard } from '../model/shard.js'
import { parseTasks } from './tasks.js'
import { type ActionSettings, type FailFastThreshold, type ReviewThreadSettings } from './settings.js'
import { WorkflowCommands } from '../action/workflow-commands.js'

/** Reads, checks and parses every input; throws one clear error for the first bad one. */
export async function getInputs(): Promise<ActionSettings> {
  const itemsText = core.getInput(Inputs.Items, { trimWhitespace: false })
  const itemsFile = core.getInput(Inputs.ItemsFile)
  const tasksText = core.getInput(Inputs.Tasks, { trimWhitespace: false })
  const command = core.getInput(Inputs.Command, { trimWhitespace: false })
  if (itemsText.trim() !== '' && itemsFile !== '') {
    throw new Error(
      `Invalid inputs: both '${Inputs.Items}' and '${Inputs.ItemsFile}' are set. Expected only one of them.`
    )
  }
  if (
    tasksText.trim() !== '' &&
    (itemsText.trim() !== '' || itemsFile !== '' || command.trim() !== '')
  ) {
    throw new Error(
      `Invalid inputs: '${Inputs.Tasks}' is set together with '${Inputs.Items}', '${Inputs.ItemsFile}' or ` +
        `'${Inputs.Command}'. Expected either named tasks, or items and a command.`
    )
  }
  const reviewThreads = getReviewThreadInputs({ itemsText, itemsFile, tasksText, command })
  const shell = parseEnum(Inputs.Shell, core.getInput(Inputs.Shell) || Shell.Bash, Shell)
  const settings: Omit<ActionSettings, 'items' | 'tasks'> = {
    itemsInput: reviewThreads
      ? `${Inputs.ItemsFrom} '${ItemsFrom.ReviewThreads}'`
      : tasksText.trim() !== ''
        ? Inputs.Tasks
        : itemsFile !== ''
          ? `${Inputs.ItemsFile} '${itemsFile}'`
          : Inputs.Items,
    reviewThreads,
    command,
    shell,
    maxWorkers: parseMaxWorkers(core.getInput(Inputs.MaxWorkers) || 'auto'),
    failFast: parseFailFast(core.getInput(Inputs.FailFast) || 'false'),
    failFastMode: parseEnum(
      Inputs.FailFastMode,
      core.getInput(Inputs.FailFastMode) || HaltMode.Cancel,
      HaltMode
    ),
    stopOnSuccess: parseStopOnSuccess(core.getInput(Inputs.StopOnSuccess) || '0'),
    totalTimeoutMs: parseTimeout(core.getInput(Inputs.TotalTimeout), Inputs.TotalTimeout),
    dryRun: parseBoolean(Inputs.DryRun, core.getInput(Inputs.DryRun) || 'false'),
    timeoutMs: parseTimeout(core.getInput(Inputs.Timeout)),
    retries: parseRetries(core.getInput(Inputs.Retries) || '0'),
    retryDelayMs: parseRetryDelay(core.getInput(Inputs.RetryDelay) || '1s'),
    timingsPath: '',
    shard: parseShard(core.getInput(Inputs.Shard)),
    mergeResults: core.getInput(Inputs.MergeResults),
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
  const timings = core.getInput(Inputs.Timings)
  if (timings !== '') settings.timingsPath = resolve(settings.workingDirectory, timings)
  if (settings.shard !== undefined && settings.stopOnSuccess > 0) {
    throw new Error(
      `Invalid inputs: '${Inputs.StopOnSuccess}' is set together with '${Inputs.Shard}'. ` +
        'Expected one of them: each shard would stop after its own successes, not the run.'
    )
  }
  if (settings.mergeResults !== '') {
    const running =
      tasksText.trim() !== '' || itemsText.trim() !== '' || itemsFile !== '' || reviewThreads
    if (running || settings.shard) {
      throw new Error(
        `Invalid inputs: '${Inputs.MergeResults}' is set together with items, tasks or '${Inputs.Shard}'. ` +
          `Expected '${Inputs.MergeResults}' alone, in a job that merges the shards' results.`
      )
    }
    return { items: [], tasks: undefined, ...settings }
  }
  if (reviewThreads !== undefined) return { items: [], tasks: undefined, ...settings }
  if (tasksText.trim() !== '') {
    const tasks = await parseTasks(tasksText, Inputs.Tasks)
    const needing = tasks.find(task => task.needs.length > 0)
    if (settings.shard !== undefined && needing !== undefined) {
      throw new Error(
        `Invalid inputs: '${Inputs.Shard}' is set and task '${needing.name}' has needs, which cannot ` +
          `cross shards. Expected tasks without needs, or no '${Inputs.Shard}'.`
      )
    }
    return { items: [], tasks, ...settings }
  }
  const items =
    itemsFile !== ''
      ? await readItemsFile(resolve(settings.workingDirectory, itemsFile), Inputs.ItemsFile)
      : parseItems(itemsText, { input: Inputs.Items })
  return { items, tasks: undefined, ...settings }
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

/**
 * Reads the review-thread inputs: undefined unless `items-from` is `review-threads`, in which case
 * the items come from GitHub, so `items`, `items-file` and `tasks` must be empty and a command set.
 */
function getReviewThreadInputs(given: {
  itemsText: string
  itemsFile: string
  tasksText: string
  command: string
}): ReviewThreadSettings | undefined {
  const source = parseEnum(
    Inputs.ItemsFrom,
    core.getInput(Inputs.ItemsFrom) || ItemsFrom.Input,
    ItemsFrom
  )
  const threadInputs = [
    Inputs.PullRequest,
    Inputs.ThreadPaths,
    Inputs.ThreadAuthors,
    Inputs.ResolveComment
  ].filter(input => core.getInput(input) !== '')
  if (!['', 'false'].includes(core.getInput(Inputs.IncludeOutdated))) {
    threadInputs.push(Inputs.IncludeOutdated)
  }
  if (!['', ResolveThreads.None].includes(core.getInput(Inputs.ResolveThreads))) {
    threadInputs.push(Inputs.ResolveThreads)
  }
  if (source !== ItemsFrom.ReviewThreads) {
    if (threadInputs.length === 0) return undefined
    throw new Error(
      `Invalid inputs: '${threadInputs[0]}' is set but '${Inputs.ItemsFrom}' is '${source}'. ` +
        `Expected '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' with the review-thread inputs.`
    )
  }
  const named = [
    given.itemsText.trim() !== '' ? Inputs.Items : '',
    given.itemsFile !== '' ? Inputs.ItemsFile : '',
    given.tasksText.trim() !== '' ? Inputs.Tasks : ''
  ].filter(Boolean)
  if (named.length > 0) {
    throw new Error(
      `Invalid inputs: '${named[0]}' is set together with '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}'. ` +
        `Expected the review threads alone as items.`
    )
  }
  if (given.command.trim() === '') {
    throw new Error(
      `Invalid inputs: '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' needs a '${Inputs.Command}'. ` +
        'Expected a command template run once per thread, such as ./fix.sh {path} {line} {body}.'
    )
  }
  const resolve = parseEnum(
    Inputs.ResolveThreads,
    core.getInput(Inputs.ResolveThreads) || ResolveThreads.None,
    ResolveThreads
  )
  const comment = core.getInput(Inputs.ResolveComment)
  if (comment !== '' && resolve === ResolveThreads.None) {
    throw new Error(
      `Invalid inputs: '${Inputs.ResolveComment}' is set but '${Inputs.ResolveThreads}' is ` +
        `'${ResolveThreads.None}'. Expected '${Inputs.ResolveThreads}: ${ResolveThreads.OnSuccess}' ` +
        'for the reply to be posted.'
    )
  }
  const token = core.getInput(Inputs.GitHubToken)
  // The runner masks secrets it passed in, but a token typed as a plain value would show.
  if (token !== '') core.setSecret(token)
  return {
    token,
    pullRequest: parsePullRequest(core.getInput(Inputs.PullRequest)),
    includeOutdated: parseBoolean(
      Inputs.IncludeOutdated,
      core.getInput(Inputs.IncludeOutdated) || 'false'
    ),
    paths: listInput(core.getInput(Inputs.ThreadPaths)),
    authors: listInput(core.getInput(Inputs.ThreadAuthors)).map(login => login.replace(/^@/, '')),
    resolve,
    comment
  }
}

/** Parses `pull-request`: empty for the event's pull request, else its number. */
export function parsePullRequest(value: string): number | undefined {
  const text = value.trim().replace(/^#/, '')
  if (text === '') return undefined
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
    return Number(text)
  }
  throw new Error(
    `Invalid ${Inputs.PullRequest} '${value}'. Expected a pull request number such as 42, or ` +
      "empty for the event's pull request."
  )
}

/** A list input: one entry per line or separated by commas, blanks dropped. */
function listInput(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
}

/**
 * Parses `shard`: empty for none, else `{index}/{total}` with a 0-based index, as the matrix's
 * `strategy.job-index` and `strategy.job-total` give them.
 */
export function parseShard(value: string): Shard | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(text)
  const index = Number(match?.[1])
  const total = Number(match?.[2])
  if (match && total >= 1 && total <= MAX_SHARDS && index < total) return { index, total }
  throw new Error(
    `Invalid ${Inputs.Shard} '${value}'. Expected {index}/{total} with a 0-based index below the ` +
      `total (at most ${MAX_SHARDS}, as a matrix has at most ${MAX_SHARDS} jobs), such as ` +
      '${{ strategy.job-index }}/${{ strategy.job-total }}, or empty for no sharding.'
  )
}

/**
 * Parses `timeout` (or `total-timeout`): empty for none, else a duration such as `90s` or `5m`,
 * up to MAX_DURATION_MS.
 */
export function parseTimeout(value: string, input: string = Inputs.Timeout): number | undefined {
  if (value.trim() === '') return undefined
  return parseDurationInput(
    value,
    `Invalid ${input}`,
    "'90' (seconds), '90s', '5m' or '1h30m', or empty for no limit"
  )
}

/**
 * Parses `fail-fast`: `false` (never), `true` (the first task that does not succeed), a whole
 * number N (once N tasks have not succeeded) or N% (once N percent of all tasks have not).
 */
export function parseFailFast(value: string): FailFastThreshold | null {
  const text = value.trim()
  if (['false', 'False', 'FALSE'].includes(text)) return null
  if (['true', 'True', 'TRUE'].includes(text)) return { count: 1 }
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
    return { count: Number(text) }
  }
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100)
    return { percent: Number(percent[1]) }
  throw new Error(
    `Invalid ${Inputs.FailFast} '${value}'. Expected 'true', 'false', a whole number of tasks from 1 up, ` +
      `or a percentage of all tasks such as '10%'.`
  )
}

/** Parses `stop-on-success`: 0 (never) or a whole number of tasks. */
export function parseStopOnSuccess(value: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new Error(
    `Invalid ${Inputs.StopOnSuccess} '${value}'. Expected a whole number of tasks, or 0 for never.`
  )
}

/** Parses `retries`: a whole number from 0 up. */
export function parseRetries(value: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new Error(`Invalid ${Inputs.Retries} '${value}'. Expected a whole number from 0 up.`)
}

/** Parses `retry-delay`: `0` or a duration such as `1s`, `500ms` or `1m`, up to the retry cap. */
export function parseRetryDelay(value: string): number {
  if (/^\s*0+(\.0*)?(ms|s|m|h|d)?\s*$/.test(value)) return 0
  // A longer first delay would be cut to the cap without a word.
  return parseDurationInput(
    value,
    `Invalid ${Inputs.RetryDelay}`,
    "'1s', '500ms' or '1m', or 0",
    MAX_RETRY_DELAY_MS
  )
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
