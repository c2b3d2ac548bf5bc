import { type HaltMode } from '../model/halt.js'
import { type Item } from '../model/item.js'
import { type Shard } from '../model/shard.js'
import { type Shell } from '../model/shell.js'
import { type WorkflowCommands } from '../action/workflow-commands.js'
import { type LogMode } from '../log/log-mode.js'
import { type TaskSpec } from './tasks.js'

/** When to halt on failures: after a number of tasks, or a percentage of those that run (not reused). */
export type FailFastThreshold = { count: number } | { percent: number }

/** Where review threads come from and what to do with them (`items-from: review-threads`). */
export interface ReviewThreadSettings {
  /** Token for GitHub's API, as given (action.yml defaults it to the job's; an empty one is refused). */
  token: string
  /** The pull request's number, or undefined for the one the event is about. */
  pullRequest: number | undefined
  /** Whether threads on code that has changed since (outdated) are items too. */
  includeOutdated: boolean
  /** Path globs a thread's file must match (any of them); empty for all. */
  paths: string[]
  /** Logins of the authors whose threads are items; empty for all. */
  authors: string[]
  /** Which threads to resolve after their task. */
  resolve: ResolveThreads
  /** The reply posted before resolving, as a template; undefined for none. */
  comment: string | undefined
}

/** Where a step's tasks come from, and what it does: each mode carries only its own fields. */
export type RunMode = ItemsMode | TasksMode | ReviewThreadsMode | MergeMode

/** One command per item, from `items`, `items-file` or the combinations of `matrix`. */
export interface ItemsMode {
  kind: 'items'
  /** The items, parsed (for `matrix`, one object per combination). */
  items: Item[]
  /** What gave the items, for error messages: `items`, `items-file 'list.json'`, `matrix`. */
  source: string
  /** The command template as given; undefined when not given (then each item is the command). */
  command: string | undefined
  /** `sources`: glob lines rendered per item, whose files decide whether it changed; undefined for none. */
  sources?: string[]
}

/** Named tasks from `tasks`, each with its own script, needs and settings. */
export interface TasksMode {
  kind: 'tasks'
  /** The tasks, parsed. */
  tasks: TaskSpec[]
}

/** One command per unresolved review thread of a pull request (`items-from: review-threads`). */
export interface ReviewThreadsMode {
  kind: 'review-threads'
  /** The command template run once per thread. */
  command: string
  /** Which threads, and what to do with them once their task ends. */
  threads: ReviewThreadSettings
  /** What gives the items, for error messages: `items-from 'review-threads'`. */
  source: string
  /** `sources`: glob lines rendered per thread (`{path}`), as for items; undefined for none. */
  sources?: string[]
}

/** No tasks: the shards' results files matching `merge-results` are merged into one report. */
export interface MergeMode {
  kind: 'merge'
  /** Glob of the shards' results files. */
  pattern: string
}

/** How the tasks of a run are started, limited and logged. */
export interface ExecutionSettings {
  /** The shell that runs each command. */
  shell: Shell
  /** How many tasks run at once. */
  maxWorkers: number
  /** When to halt the run because tasks did not succeed; undefined for never. */
  failFast: FailFastThreshold | undefined
  /** What a halt does to running tasks. */
  failFastMode: HaltMode
  /** Halt once this many tasks succeeded; undefined for never. */
  stopOnSuccess: number | undefined
  /** Time budget for the whole run in milliseconds; undefined for none. */
  totalTimeoutMs: number | undefined
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
  /** How many items one command runs (`batch-size`): a whole number, or `auto`. */
  batchSize: BatchSize
  /** `memfree`: the bytes of memory that must be available for a task to start; undefined for no limit. */
  memfree?: number
}

/** `batch-size`: items per command, or `auto` for as many batches as workers. */
export type BatchSize = number | 'auto'

/** The action's inputs, checked and parsed. */
export interface ActionSettings {
  /** Where the tasks come from. */
  mode: RunMode
  /** How they run. */
  execution: ExecutionSettings
  /** Absolute path of an earlier run's history (or timings or results) file; undefined for none. */
  historyPath: string | undefined
  /** Which items that succeeded before are not run again. */
  skipPassed: SkipPassed
  /** This job's share of the items; undefined to run them all. */
  shard: Shard | undefined
  /** Print the commands and set the outputs without running anything. */
  dryRun: boolean
  /** What to do when there are no items. */
  ifNoItems: NoItemsBehavior
  /** Whether to write the job summary. */
  summary: boolean
  /** The job summary's title: `summary-title`, the step's id, or parallel-exec. */
  summaryTitle: string
}

/** Which items that succeeded in an earlier attempt or run are not run again (`skip-passed`). */
export enum SkipPassed {
  /** Run every item. */
  Never = 'never',
  /** Skip items that succeeded in an earlier attempt of this workflow run, with the same command. */
  Rerun = 'rerun',
  /** Also skip items whose sources and command equal those of their last success, in any run. */
  Unchanged = 'unchanged'
}

/** What to do when there are no items. */
export enum NoItemsBehavior {
  /** Output a warning but do not fail the action. */
  Warn = 'warn',
  /** Fail the action with an error message. */
  Error = 'error',
  /** Do not output any warnings or errors, the action does not fail. */
  Ignore = 'ignore'
}

/** Where the items come from. */
export enum ItemsFrom {
  /** The `items` or `items-file` input. */
  Input = 'input',
  /** The unresolved review threads of a pull request, one object item per thread. */
  ReviewThreads = 'review-threads'
}

/** Which review threads to resolve once the run is over. */
export enum ResolveThreads {
  /** Resolve none. */
  None = 'none',
  /** Resolve each thread whose task succeeded (after the reply in `resolve-comment`, if any). */
  OnSuccess = 'on-success'
}
