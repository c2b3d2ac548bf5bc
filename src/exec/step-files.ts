import { appendFileSync, rmSync } from 'node:fs'
import { readPlainFile } from '../system/plain-files.js'
import { parseKeyValueFile, serializeEnvEntries, type KeyValueFile } from './key-value-file.js'

/** Most bytes of one task's GITHUB_ENV or GITHUB_PATH file that are applied. */
export const MAX_TASK_STEP_FILE_BYTES = 1024 * 1024

/**
 * Parses a GITHUB_ENV file with the runner's rules: its variables in order, or the problem, naming
 * the line, for which the runner would refuse the file (see parseKeyValueFile).
 */
export function parseEnvFile(text: string): KeyValueFile {
  return parseKeyValueFile(text, { strict: true })
}

/** The non-empty lines of a GITHUB_PATH file, read as the runner does. */
export function fileLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  return body.split(/\r\n|\r|\n/).filter(line => line !== '')
}

/**
 * The runner file commands a task wrote to, kept aside during the run and applied to the step's
 * files after it, task by task in input order, so later steps see what each task wrote as if the
 * tasks had run one after another in input order (for GITHUB_ENV, a later task's value of a name
 * wins; for GITHUB_PATH, a later task's directories come first).
 */
export class StepFiles {
  /** Each task's files by index: command name → the file holding what the task wrote. */
  private readonly written = new Map<number, Record<string, string>>()

  /** `targets`: the step's file for each command the runner set (see stepFileTargets). */
  constructor(readonly targets: Readonly<Record<string, string>>) {}

  /** The commands each task gets a file of its own for. */
  get commands(): string[] {
    return Object.keys(this.targets)
  }

  /** Records the files the task at `index` wrote (its last attempt's). */
  add(index: number, files: Record<string, string> | undefined): void {
    if (files !== undefined) this.written.set(index, files)
  }

  /**
   * Appends every task's files to the step's, in input order, and removes them. A file the runner
   * would refuse or that is too large is left out with a warning naming the task (`describe`), so
   * that it cannot spoil what the other tasks wrote; a GITHUB_ENV name the runner refuses
   * (NODE_OPTIONS) is the runner's to report.
   */
  apply(describe: (index: number) => string, warn: (message: string) => void): void {
    const indexes = [...this.written.keys()].sort((a, b) => a - b)
    for (const index of indexes) {
      for (const [name, path] of Object.entries(this.written.get(index) ?? {})) {
        const target = this.targets[name]
        if (target === undefined) continue
        let problem: string | undefined
        try {
          problem = applyFile(name, path, target)
        } catch (error) {
          problem = String(error)
        }
        if (problem !== undefined)
          warn(`${describe(index)}: its ${name} was not applied: ${problem}.`)
        rmSync(path, { force: true })
      }
    }
    this.written.clear()
  }
}

/** Appends one task's file to the step's; the reason when it cannot be. */
function applyFile(name: string, path: string, target: string): string | undefined {
  // A process the task left behind may have put something else there since (a FIFO would block).
  const file = readPlainFile(path, MAX_TASK_STEP_FILE_BYTES, true)
  if (file === undefined) return 'it is no longer a plain file'
  const size = file.size
  if (size > MAX_TASK_STEP_FILE_BYTES) {
    return `it holds ${size.toLocaleString('en-US')} bytes, more than the ${MAX_TASK_STEP_FILE_BYTES.toLocaleString('en-US')} applied`
  }
  const text = file.bytes.toString('utf8')
  let addition: string
  if (name === 'GITHUB_ENV') {
    const parsed = parseEnvFile(text)
    if ('problem' in parsed) return parsed.problem
    addition = serializeEnvEntries(parsed.entries)
  } else {
    const lines = fileLines(text)
    addition = lines.length === 0 ? '' : `${lines.join('\n')}\n`
  }
  if (addition !== '') appendFileSync(target, addition, 'utf8')
  return undefined
}
