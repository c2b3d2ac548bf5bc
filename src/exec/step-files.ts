import { appendFileSync, rmSync } from 'node:fs'
import { readPlainFile } from '../system/plain-files.js'
import { randomUUID } from '../system/crypto.js'

/** Most bytes of one task's GITHUB_ENV or GITHUB_PATH file that are applied. */
export const MAX_TASK_STEP_FILE_BYTES = 1024 * 1024

/** A GITHUB_ENV file's variables in order, or why the runner would refuse it. */
export type EnvFile = { entries: [string, string][] } | { problem: string }

/**
 * Parses a GITHUB_ENV file with the runner's rules (actions/runner, EnvFileKeyValuePairs, on Linux
 * and macOS): lines end at LF; an empty line is skipped; `NAME=value` when the first `=` comes
 * before any `<<`; otherwise `NAME<<DELIMITER`, whose value is every line up to the first line that
 * is exactly DELIMITER, without the last line break. Anything else, a missing delimiter line, or an
 * empty name (the runner refuses it after `<<` and sets a nameless variable for `=value`) is a
 * problem that names the line.
 */
export function parseEnvFile(text: string): EnvFile {
  // The runner reads the file as .NET's File.ReadAllText does, which drops a byte order mark.
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n')
  // A final line break ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop()
  const entries: [string, string][] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      if (equals === 0) return { problem: `line ${index + 1} sets a variable without a name` }
      entries.push([line.slice(0, equals), line.slice(equals + 1)])
      continue
    }
    if (heredoc < 0) {
      return { problem: `line ${index + 1} is neither NAME=value nor NAME<<DELIMITER` }
    }
    const name = line.slice(0, heredoc)
    const delimiter = line.slice(heredoc + 2)
    if (name === '' || delimiter === '') {
      return { problem: `line ${index + 1} needs a name before '<<' and a delimiter after it` }
    }
    const end = lines.indexOf(delimiter, index + 1)
    if (end === -1) {
      return { problem: `the value that starts on line ${index + 1} has no closing delimiter line` }
    }
    entries.push([name, lines.slice(index + 1, end).join('\n')])
    index = end
  }
  return { entries }
}

/**
 * GITHUB_ENV lines that set these variables (as parseEnvFile gives them), each as
 * `NAME<<DELIMITER` with a fresh random delimiter that its value does not contain (as
 * @actions/core writes them), so nothing a task wrote can end a block early or run into the next
 * task's. A name ending in `<` would run into the `<<`: it can only have come from a `NAME=value`
 * line, and is written as one.
 */
export function serializeEnvEntries(entries: readonly [string, string][]): string {
  let text = ''
  for (const [name, value] of entries) {
    if (name.endsWith('<') && !value.includes('\n')) {
      text += `${name}=${value}\n`
      continue
    }
    let delimiter = `ghadelimiter_${randomUUID()}`
    while (value.includes(delimiter) || name.includes(delimiter)) {
      delimiter = `ghadelimiter_${randomUUID()}`
    }
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`
  }
  return text
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
