import { statSync } from 'node:fs'
import { open, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Most bytes of a task's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that are read back. */
export const MAX_TASK_OUTPUTS_BYTES = 1024 * 1024
export const MAX_TASK_SUMMARY_BYTES = 64 * 1024

/**
 * A task's own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Parallel tasks writing to the step's
 * files would race on them and could blow the summary's budget; each task gets its own, and the
 * action collects them into the results and the job summary. The files belong to a worker slot
 * and are emptied for each task that runs in it: no file is created or deleted per task, and
 * since most tasks write nothing, a task costs two stat calls and nothing more.
 */
export class TaskFiles {
  /** Path given to the task as GITHUB_OUTPUT. */
  readonly outputPath: string
  /** Path given to the task as GITHUB_STEP_SUMMARY. */
  readonly summaryPath: string
  /** Both files exist and are empty (collect saw them so, and no task has had them since). */
  private knownEmpty = false

  constructor(directory: string, slot: number) {
    this.outputPath = join(directory, `github-output-${slot}`)
    this.summaryPath = join(directory, `github-step-summary-${slot}`)
  }

  /**
   * Makes both files exist and be empty before a task (or another attempt of one) gets them:
   * @actions/core refuses a file that is missing, and a failed attempt's outputs must not leak
   * into the next.
   */
  async reset(): Promise<void> {
    if (!this.knownEmpty) {
      await Promise.all([emptyFile(this.outputPath), emptyFile(this.summaryPath)])
    }
    this.knownEmpty = false
  }

  /** Reads what the task wrote (only the start of a huge file). */
  async collect(): Promise<{ outputs: Record<string, string>; summary: string }> {
    const outputSize = sizeOf(this.outputPath)
    const summarySize = sizeOf(this.summaryPath)
    // A task may have removed them: then they are not known to be there.
    this.knownEmpty = outputSize === 0 && summarySize === 0
    if (outputSize <= 0 && summarySize <= 0) return { outputs: {}, summary: '' }
    const [outputText, summary] = await Promise.all([
      readStart(this.outputPath, outputSize, MAX_TASK_OUTPUTS_BYTES),
      readStart(this.summaryPath, summarySize, MAX_TASK_SUMMARY_BYTES)
    ])
    return { outputs: parseOutputFile(outputText), summary }
  }
}

/** A file's size; -1 when it is missing. A local stat: quicker in line than through the pool. */
function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? -1
}

async function emptyFile(path: string): Promise<void> {
  const size = sizeOf(path)
  if (size > 0) await truncate(path, 0)
  else if (size < 0) await writeFile(path, '')
}

/** The first `limit` bytes of a file of `size` bytes as UTF-8, or '' when it is empty. */
async function readStart(path: string, size: number, limit: number): Promise<string> {
  if (size <= 0) return ''
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(size, limit))
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await file.close()
  }
}

/**
 * Parses a GITHUB_OUTPUT file as the runner does: `name=value` lines, and `name<<DELIMITER`
 * blocks whose value runs until a line that is exactly the delimiter. Later values win.
 */
export function parseOutputFile(text: string): Record<string, string> {
  // No prototype: a task may name an output __proto__.
  const outputs: Record<string, string> = Object.create(null) as Record<string, string>
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    if (line === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    const equals = line.indexOf('=')
    if (heredoc && (equals === -1 || equals > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const end = lines.indexOf(delimiter, index + 1)
      // An unterminated block is what the runner rejects; keep what is there rather than fail.
      const stop = end === -1 ? lines.length : end
      outputs[name] = lines.slice(index + 1, stop).join('\n')
      index = stop
    } else if (equals > 0) {
      outputs[line.slice(0, equals)] = line.slice(equals + 1)
    }
  }
  return outputs
}
