import * as core from '../action/actions-core.js'
import { type CommandTaskOptions, type PreparedItem } from '../exec/command-task.js'
import { MemoryGate } from '../exec/memory-gate.js'
import { sharedLaunchers, stopRunLeftovers } from '../exec/process-runner.js'
import { StepFiles } from '../exec/step-files.js'
import { stepFileTargets, taskEnvironment } from '../exec/task-environment.js'
import { removeItemFiles } from '../exec/task-files.js'
import { type ExecutionSettings } from '../inputs/settings.js'
import { type BatchTitles, type LogSink, TaskLog } from '../log/task-log.js'
import { itemLabel } from '../model/labels.js'
import { type RunPlan } from '../plan/run-plan.js'
import { formatBytes, systemMemory } from '../system/memory.js'
import { batchName } from '../model/batch-title.js'
import { batchShortName } from '../model/batch-title.js'
import { type TaskRecord } from '../model/task-record.js'
import { JobLog } from './job-log.js'
import { Progress } from './task-lines.js'

/**
 * What a run sets up around its tasks and takes down after them: the task log (and our lines
 * routed through it), the job log, progress lines, the launchers, the stopping of what tasks
 * left behind, and the step's file commands.
 */
export class RunResources {
  readonly log: TaskLog
  readonly jobLog: JobLog
  readonly progress: Progress
  readonly stepFiles: StepFiles
  /** What decides, beyond free workers and locks, whether a task may start now (`memfree`). */
  readonly gate: MemoryGate | undefined
  private logFinished = false
  // On cancellation, what finished tasks left is stopped at once, alongside the running tasks.
  private readonly stopLeftoversNow = (): void => {
    setImmediate(() => void stopRunLeftovers())
  }

  constructor(
    settings: ExecutionSettings,
    private readonly plan: RunPlan,
    private readonly workDirectory: string,
    private readonly workers: number,
    private readonly cancellation: AbortSignal,
    sink: LogSink,
    expand?: (record: TaskRecord) => TaskRecord[]
  ) {
    const total = plan.prepared.length
    this.log = new TaskLog(settings.log, sink, settings.workflowCommands, batchTitles(plan))
    this.jobLog = new JobLog(workDirectory, expand)
    // From here on every line of ours goes through the task log, between tasks' output.
    core.routeLog(text => this.log.own(text))
    const batchSizes = plan.batches && plan.prepared.map(unit => unit.batch?.members.length ?? 1)
    this.gate = memoryGate(settings.memfree)
    this.progress = new Progress(total, plan.reused?.size ?? 0, batchSizes, this.gate)
    this.stepFiles = new StepFiles(stepFileTargets(process.env))
    const launchers = sharedLaunchers()
    launchers.expect(total, workers)
    launchers.onUnavailable = reason => {
      core.debug(`Tasks are started with spawn from now on: ${reason}`)
    }
    cancellation.addEventListener('abort', this.stopLeftoversNow, { once: true })
  }

  /** What every command task of the run shares. */
  taskOptions(settings: ExecutionSettings): CommandTaskOptions {
    return {
      template: this.plan.template,
      cwd: settings.workingDirectory,
      env: taskEnvironment(process.env),
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      retryDelayMs: settings.retryDelayMs,
      log: this.log,
      tempDir: this.workDirectory,
      stepFiles: this.stepFiles
    }
  }

  /** Prints what the task log still holds. */
  async finishLog(): Promise<void> {
    await this.log.finish()
    this.logFinished = true
  }

  /** Takes down what the run set up, also after an error; stops whatever tasks left running. */
  async close(): Promise<void> {
    this.cancellation.removeEventListener('abort', this.stopLeftoversNow)
    this.progress.stop()
    this.jobLog.close()
    removeItemFiles(this.workDirectory, this.workers)
    // Also after an error: a group still printing or an open neutralisation would swallow the
    // failure the step reports next.
    if (!this.logFinished) await this.log.finish().catch(() => undefined)
    core.routeLog()
    // Nothing a task started may outlive the action (a double fork, `setsid -f`).
    await stopRunLeftovers()
  }

  /** Applies what each task wrote to GITHUB_ENV and GITHUB_PATH, whatever the tasks' statuses. */
  applyStepFiles(): void {
    const { prepared } = this.plan
    this.stepFiles.apply(index => {
      const item = prepared.find((candidate: PreparedItem) => candidate.index === index)?.item ?? ''
      return `Task ${index + 1} (${itemLabel(item, 60)})`
    }, core.warning)
  }
}

/**
 * Under `memfree`, the gate that holds starts back while too little memory is available; the
 * first time it does, one line says so with the figures.
 */
function memoryGate(memfree: number | undefined): MemoryGate | undefined {
  const memory = systemMemory()
  // Where memory is not read, the inputs said so in a notice and left memfree out.
  if (memfree === undefined || 'unsupported' in memory) return undefined
  return new MemoryGate({
    memfree,
    read: memory.read,
    onFirstWait: available => {
      core.info(
        `Waiting for memory: ${formatBytes(available)} available, memfree is ${formatBytes(memfree)}.`
      )
    }
  })
}

/** Under `batch-size`, each batch's title in the log, by the index of its first item. */
function batchTitles(plan: RunPlan): Map<number, BatchTitles> {
  const titles = new Map<number, BatchTitles>()
  for (const { index, batch } of plan.batches ?? []) {
    if (batch === undefined) continue
    const items = batch.members.map(member => member.item)
    titles.set(index, {
      group: batchName(batch.number, items),
      prefix: batchShortName(batch.number)
    })
  }
  return titles
}
