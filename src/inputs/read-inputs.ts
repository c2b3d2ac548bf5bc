import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { WorkflowCommands } from '../action/workflow-commands.js'
import { resolve } from 'node:path'
import { LogMode } from '../log/log-mode.js'
import { HaltMode } from '../model/halt.js'
import { expandMatrix } from '../model/matrix.js'
import { Shell } from '../model/shell.js'
import {
  parseBatchSize,
  parseBoolean,
  parseEnum,
  parseFailFast,
  parseMaxWorkers,
  parseRetries,
  parseRetryDelay,
  parseShard,
  parseStopOnSuccess,
  parseTimeout,
  parseWorkingDirectory
} from './input-values.js'
import { parseItems, readItemsFile } from './items.js'
import { checkBatchSizeFits, checkOneSource, REVIEW_THREADS_SOURCE } from './source-checks.js'
import { parseMatrix } from './matrix-input.js'
import { readMemfree } from './memfree-input.js'
import { readReviewThreadInputs, type SourceInputs } from './review-thread-inputs.js'
import {
  NoItemsBehavior,
  type ActionSettings,
  type ExecutionSettings,
  type ReviewThreadSettings,
  type RunMode
} from './settings.js'
import { parseSummaryTitle } from './summary-title.js'
import { checkSkipPassedFits, readHistoryInputs } from './history-inputs.js'
import { parseSourceLines } from './source-lines.js'
import { parseTasks } from './tasks.js'

/** Reads, checks and parses every input; throws one clear error for the first bad one. */
export async function getInputs(): Promise<ActionSettings> {
  const given: SourceInputs = {
    items: core.getInput(Inputs.Items, { trimWhitespace: false }),
    itemsFile: core.getInput(Inputs.ItemsFile),
    matrix: core.getInput(Inputs.Matrix, { trimWhitespace: false }),
    tasks: core.getInput(Inputs.Tasks, { trimWhitespace: false }),
    command: core.getInput(Inputs.Command, { trimWhitespace: false })
  }
  checkOneSource(given)
  const threads = readReviewThreadInputs(given)
  const { execution, dryRun, shard } = await readExecution()
  const settings = {
    execution,
    ...readHistoryInputs(execution.workingDirectory),
    shard,
    dryRun,
    ifNoItems: parseEnum(
      Inputs.IfNoItems,
      core.getInput(Inputs.IfNoItems) || NoItemsBehavior.Warn,
      NoItemsBehavior
    ),
    summary: parseBoolean(Inputs.Summary, core.getInput(Inputs.Summary) || 'true'),
    summaryTitle: parseSummaryTitle(
      core.getInput(Inputs.SummaryTitle, { trimWhitespace: false }),
      process.env.GITHUB_ACTION
    )
  }
  if (shard !== undefined && execution.stopOnSuccess !== undefined) {
    throw new Error(
      `Invalid inputs: '${Inputs.StopOnSuccess}' is set together with '${Inputs.Shard}'. ` +
        'Expected one of them: each shard would stop after its own successes, not the run.'
    )
  }
  const mode = await readRunMode(given, threads, settings)
  checkSkipPassedFits(settings.skipPassed, execution.stopOnSuccess, mode)
  return { mode, ...settings }
}

/**
 * The inputs on how tasks run, with `dry-run` and `shard` among them, read in the order their
 * errors have always been reported: of two bad inputs, the first read is the one named.
 */
async function readExecution(): Promise<{
  execution: ExecutionSettings
  dryRun: boolean
  shard: ActionSettings['shard']
}> {
  const shell = parseEnum(Inputs.Shell, core.getInput(Inputs.Shell) || Shell.Bash, Shell)
  const maxWorkers = parseMaxWorkers(core.getInput(Inputs.MaxWorkers) || 'auto')
  const failFast = parseFailFast(core.getInput(Inputs.FailFast) || 'false')
  const failFastMode = parseEnum(
    Inputs.FailFastMode,
    core.getInput(Inputs.FailFastMode) || HaltMode.Cancel,
    HaltMode
  )
  const stopOnSuccess = parseStopOnSuccess(core.getInput(Inputs.StopOnSuccess) || '0')
  const totalTimeoutMs = parseTimeout(core.getInput(Inputs.TotalTimeout), Inputs.TotalTimeout)
  const dryRun = parseBoolean(Inputs.DryRun, core.getInput(Inputs.DryRun) || 'false')
  const timeoutMs = parseTimeout(core.getInput(Inputs.Timeout))
  const retries = parseRetries(core.getInput(Inputs.Retries) || '0')
  const retryDelayMs = parseRetryDelay(core.getInput(Inputs.RetryDelay) || '1s')
  const shard = parseShard(core.getInput(Inputs.Shard))
  const workingDirectory = await parseWorkingDirectory(core.getInput(Inputs.WorkingDirectory))
  const log = parseEnum(Inputs.Log, core.getInput(Inputs.Log) || LogMode.Grouped, LogMode)
  const workflowCommands = parseEnum(
    Inputs.WorkflowCommands,
    core.getInput(Inputs.WorkflowCommands) || WorkflowCommands.Annotations,
    WorkflowCommands
  )
  const batchSize = parseBatchSize(core.getInput(Inputs.BatchSize) || '1')
  const memfree = readMemfree(core.getInput(Inputs.Memfree))
  const execution: ExecutionSettings = {
    shell,
    maxWorkers,
    failFast,
    failFastMode,
    stopOnSuccess: stopOnSuccess > 0 ? stopOnSuccess : undefined,
    totalTimeoutMs,
    timeoutMs,
    retries,
    retryDelayMs,
    workingDirectory,
    log,
    workflowCommands,
    batchSize,
    ...(memfree === undefined ? {} : { memfree })
  }
  return { execution, dryRun, shard }
}

/** The run mode the inputs ask for, with its own inputs read and checked. */
async function readRunMode(
  given: SourceInputs,
  threads: ReviewThreadSettings | undefined,
  settings: Pick<ActionSettings, 'execution' | 'shard'>
): Promise<RunMode> {
  const mergePattern = core.getInput(Inputs.MergeResults)
  const hasTasks = given.tasks.trim() !== ''
  const sources = parseSourceLines(
    `Invalid ${Inputs.Sources}`,
    core.getInput(Inputs.Sources, { trimWhitespace: false })
  )
  checkBatchSizeFits(settings.execution.batchSize, { given, threads, mergePattern })
  if (mergePattern !== '') {
    const running =
      hasTasks ||
      given.items.trim() !== '' ||
      given.itemsFile !== '' ||
      given.matrix.trim() !== '' ||
      threads
    if (running || settings.shard) {
      throw new Error(
        `Invalid inputs: '${Inputs.MergeResults}' is set together with items, tasks or '${Inputs.Shard}'. ` +
          `Expected '${Inputs.MergeResults}' alone, in a job that merges the shards' results.`
      )
    }
    if (sources !== undefined) {
      throw new Error(
        `Invalid inputs: '${Inputs.Sources}' is set together with '${Inputs.MergeResults}'. ` +
          `Expected '${Inputs.Sources}' in the jobs that run the tasks.`
      )
    }
    return { kind: 'merge', pattern: mergePattern }
  }
  if (threads !== undefined) {
    return {
      kind: 'review-threads',
      command: given.command,
      threads,
      source: REVIEW_THREADS_SOURCE,
      ...(sources === undefined ? {} : { sources })
    }
  }
  if (hasTasks) {
    if (sources !== undefined) {
      throw new Error(
        `Invalid inputs: '${Inputs.Sources}' is set together with '${Inputs.Tasks}'. Expected ` +
          'no step-level sources with tasks: give each task its own sources: list.'
      )
    }
    const tasks = await parseTasks(given.tasks, Inputs.Tasks, settings.execution.maxWorkers)
    const needing = tasks.find(task => task.needs.length > 0)
    if (settings.shard !== undefined && needing !== undefined) {
      throw new Error(
        `Invalid inputs: '${Inputs.Shard}' is set and task '${needing.name}' has needs, which cannot ` +
          `cross shards. Expected tasks without needs, or no '${Inputs.Shard}'.`
      )
    }
    return { kind: 'tasks', tasks }
  }
  if (given.matrix.trim() !== '') return readMatrixMode(given, sources)
  const directory = settings.execution.workingDirectory
  const items =
    given.itemsFile !== ''
      ? await readItemsFile(resolve(directory, given.itemsFile), Inputs.ItemsFile)
      : parseItems(given.items, { input: Inputs.Items })
  return {
    kind: 'items',
    items,
    source: given.itemsFile !== '' ? `${Inputs.ItemsFile} '${given.itemsFile}'` : Inputs.Items,
    command: given.command === '' ? undefined : given.command,
    ...(sources === undefined ? {} : { sources })
  }
}

/** One object item per combination of `matrix`; a command is needed, as objects are no commands. */
async function readMatrixMode(
  given: SourceInputs,
  sources: string[] | undefined
): Promise<RunMode> {
  const items = expandMatrix(await parseMatrix(given.matrix))
  if (given.command.trim() === '') {
    throw new Error(
      `Invalid inputs: '${Inputs.Matrix}' is set without a '${Inputs.Command}'. Expected a ` +
        'command template that uses the values of each combination, such as npm test -- --os={os}.'
    )
  }
  return {
    kind: 'items',
    items,
    source: Inputs.Matrix,
    command: given.command,
    ...(sources === undefined ? {} : { sources })
  }
}
