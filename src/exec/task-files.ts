import { lstatSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseKeyValueFile } from './key-value-file.js'
import { createAfresh, emptyFile, readPlainFile, removePath } from '../system/plain-files.js'

/** Most bytes of a task's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that are read back. */
const MAX_TASK_OUTPUTS_BYTES = 1024 * 1024
export const MAX_TASK_SUMMARY_BYTES = 64 * 1024

/** What a task left in its own files. */
export interface CollectedFiles {
  outputs: Record<string, string>
  summary: string
  /** For each step file command the task wrote to (GITHUB_ENV, ...), the file that now holds it. */
  stepFiles?: Record<string, string>
}

/**
 * A task's own GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and item files, and its own file for each step
 * file command the runner set (GITHUB_ENV, GITHUB_PATH). Parallel tasks writing
 * to the step's files would race on them (eight multi-line GITHUB_ENV writes at once leave it
 * unparseable) and could blow the summary's budget; each task gets its own. The files belong to a
 * worker slot and are emptied for each task that runs in it: no file is created or deleted per
 * task unless it wrote to a step file or its item is written, and since most tasks write nothing,
 * a task usually costs a few lstat calls.
 */
export class TaskFiles {
  /** Path given to the task as GITHUB_OUTPUT. */
  readonly outputPath: string
  /** Path given to the task as GITHUB_STEP_SUMMARY. */
  readonly summaryPath: string
  /** Path given to the task as PARALLEL_ITEM_FILE, when it gets one. */
  readonly itemPath: string
  /** The task's file for each step file command. */
  private readonly stepPaths: [string, string][]
  /** Every variable naming one of these files but the item's. */
  readonly variables: Readonly<Record<string, string>>

  constructor(
    private readonly directory: string,
    slot: number,
    stepFileCommands: readonly string[] = []
  ) {
    this.outputPath = join(directory, `github-output-${slot}`)
    this.summaryPath = join(directory, `github-step-summary-${slot}`)
    this.itemPath = join(directory, `parallel-item-${slot}`)
    this.stepPaths = stepFileCommands.map(name => [
      name,
      join(directory, `${fileName(name)}-${slot}`)
    ])
    this.variables = {
      GITHUB_OUTPUT: this.outputPath,
      GITHUB_STEP_SUMMARY: this.summaryPath,
      ...Object.fromEntries(this.stepPaths)
    }
  }

  /**
   * Makes every file exist, be a plain file of ours and be empty before a task (or another attempt
   * of one) gets them, and writes the item afresh when given: @actions/core refuses a file that is
   * missing, a failed attempt's outputs must not leak into the next, nor what a process left behind
   * by the previous task wrote since. What a task put in a file's place (a hard link to a file
   * elsewhere, a symlink) is removed, never truncated or written through (see plain-files.ts).
   */
  async reset(item?: string): Promise<void> {
    if (item !== undefined) createAfresh(this.itemPath, item)
    emptyFile(this.outputPath)
    emptyFile(this.summaryPath)
    for (const [, path] of this.stepPaths) emptyFile(path)
  }

  /**
   * Reads what the task wrote (only the start of a huge file). A step file it wrote to is moved
   * aside, named by the task's `index`, to be applied after the run.
   */
  async collect(index: number): Promise<CollectedFiles> {
    let stepFiles: Record<string, string> | undefined
    for (const [name, path] of this.stepPaths) {
      if (plainFileSize(path) <= 0) continue
      const kept = join(this.directory, `${fileName(name)}-task-${index + 1}`)
      // A task knows the name: whatever it put there (a directory would fail the rename) goes.
      removePath(kept)
      renameSync(path, kept)
      stepFiles ??= {}
      stepFiles[name] = kept
    }
    const outputText = readStart(this.outputPath, MAX_TASK_OUTPUTS_BYTES)
    const summary = readStart(this.summaryPath, MAX_TASK_SUMMARY_BYTES)
    return { outputs: parseOutputFile(outputText), summary, stepFiles }
  }
}

/** Removes the item files of worker slots 1 to `slots`: the items are in the results. */
export function removeItemFiles(directory: string, slots: number): void {
  for (let slot = 1; slot <= slots; slot++) {
    rmSync(new TaskFiles(directory, slot).itemPath, { force: true, recursive: true })
  }
}

/** `GITHUB_ENV` → `github-env`. */
function fileName(variable: string): string {
  return variable.toLowerCase().replaceAll('_', '-')
}

/**
 * The size of a plain file; -1 when it is missing or is something else a task put there (a
 * directory, a FIFO that would block a read, a symlink to a file that is not ours). A local
 * lstat: quicker in line than through the thread pool, and most tasks write nothing.
 */
function plainFileSize(path: string): number {
  const stats = lstatSync(path, { throwIfNoEntry: false })
  return stats?.isFile() ? stats.size : -1
}

/**
 * The first `limit` bytes of a task's file as UTF-8; '' when it is empty or missing, or is not a
 * plain file. A local lstat first: most tasks write nothing.
 */
function readStart(path: string, limit: number): string {
  if (plainFileSize(path) <= 0) return ''
  return readPlainFile(path, limit)?.bytes.toString('utf8') ?? ''
}

/**
 * Reads a GITHUB_OUTPUT file leniently (see parseKeyValueFile): every output that can be read,
 * later values winning.
 */
export function parseOutputFile(text: string): Record<string, string> {
  // No prototype: a task may name an output __proto__.
  const outputs: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [name, value] of parseKeyValueFile(text, { strict: false }).entries) {
    outputs[name] = value
  }
  return outputs
}
