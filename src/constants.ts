/** Names of the action's inputs, as declared in action.yml. */
export enum Inputs {
  Items = 'items',
  ItemsFrom = 'items-from',
  ItemsFile = 'items-file',
  Command = 'command',
  Tasks = 'tasks',
  Shell = 'shell',
  MaxWorkers = 'max-workers',
  FailFast = 'fail-fast',
  FailFastMode = 'fail-fast-mode',
  StopOnSuccess = 'stop-on-success',
  TotalTimeout = 'total-timeout',
  Timeout = 'timeout',
  Retries = 'retries',
  RetryDelay = 'retry-delay',
  Timings = 'timings',
  Shard = 'shard',
  MergeResults = 'merge-results',
  WorkingDirectory = 'working-directory',
  Log = 'log',
  WorkflowCommands = 'workflow-commands',
  IfNoItems = 'if-no-items',
  Summary = 'summary',
  DryRun = 'dry-run',
  GitHubToken = 'github-token',
  PullRequest = 'pull-request',
  IncludeOutdated = 'include-outdated',
  ThreadPaths = 'thread-paths',
  ThreadAuthors = 'thread-authors',
  ResolveThreads = 'resolve-threads',
  ResolveComment = 'resolve-comment'
}

/** Names of the action's outputs, as declared in action.yml. */
export enum Outputs {
  Total = 'total',
  Succeeded = 'succeeded',
  Failed = 'failed',
  TimedOut = 'timed-out',
  Cancelled = 'cancelled',
  Skipped = 'skipped',
  Results = 'results',
  FailedItems = 'failed-items',
  ResultsFile = 'results-file',
  ResultsTruncated = 'results-truncated',
  JobLog = 'job-log',
  TimingsFile = 'timings-file',
  Shard = 'shard',
  DurationMs = 'duration-ms'
}

/** How a command is run. */
export enum Shell {
  /** `bash --noprofile --norc -eo pipefail -c <command>`, as GitHub's `shell: bash`. */
  Bash = 'bash',
  /** `sh -e -c <command>`, as GitHub's `shell: sh`. */
  Sh = 'sh',
  /** PowerShell: `pwsh -NoProfile -NonInteractive`, as GitHub's `shell: pwsh`. */
  Pwsh = 'pwsh',
  /** No shell: the template is split into words once and run directly. */
  None = 'none'
}

/** How task output reaches the log. */
export enum LogMode {
  /** Each task's output printed whole, in one collapsible group, when the task ends. */
  Grouped = 'grouped',
  /** Lines as they come, each prefixed with the task's number and item. */
  Stream = 'stream',
  /** Only the output of tasks that did not succeed, grouped. */
  Failures = 'failures',
  /** No task output. */
  None = 'none'
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
