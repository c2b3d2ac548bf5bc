import { open, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Most bytes of a task's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that are read back. */
export const MAX_TASK_OUTPUTS_BYTES = 1024 * 1024
export const MAX_TASK_SUMMARY_BYTES = 64 * 1024

/**
 * A task's own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Parallel tasks writing to the step's
 * files would race on them and could blow the summary's budget; each task gets its own, and the
 * action collects them into the results and the job summary.
 */
export class TaskFiles {
  /** Path given to the task as GITHUB_OUTPUT. */
  readonly outputPath: string
  /** Path given to the task as GITHUB_STEP_SUMMARY. */
  readonly summaryPath: string

  constructor(directory: string, seq: number) {
    this.outputPath = join(directory, `output-${seq}`)
    this.summaryPath = join(directory, `summary-${seq}`)
  }

  /** Creates both files empty: @actions/core refuses to write to a file that does not exist. */
  async reset(): Promise<void> {
    await Promise.all([writeFile(this.outputPath, ''), writeFile(this.summaryPath, '')])
  }

  /** Reads what the task wrote, then deletes the files. */
  async collect(): Promise<{ outputs: Record<string, string>; summary: string }> {
    const [outputText, summary] = await Promise.all([
      readStart(this.outputPath, MAX_TASK_OUTPUTS_BYTES),
      readStart(this.summaryPath, MAX_TASK_SUMMARY_BYTES)
    ])
    await Promise.all([rm(this.outputPath, { force: true }), rm(this.summaryPath, { force: true })])
    return { outputs: parseOutputFile(outputText), summary }
  }
}

/** The first `limit` bytes of a file as UTF-8, or '' when it does not exist. */
async function readStart(path: string, limit: number): Promise<string> {
  const file = await open(path, 'r').catch(() => undefined)
  if (file === undefined) return ''
  try {
    const buffer = Buffer.alloc(limit)
    const { bytesRead } = await file.read(buffer, 0, limit, 0)
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
