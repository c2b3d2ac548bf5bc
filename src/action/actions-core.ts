/**
 * The runner's protocol, spoken by `@actions/core`: every input read, output set, line printed,
 * summary written and failure goes through its functions, so that whatever stands in for it (the
 * local debugger `@github/local-action`, a test's mock) sees all of them.
 *
 * What this layer adds (docs/decisions/002-own-workflow-commands.md, 006-print-own-lines.md):
 * - text the action prints is never a command the runner acts on, since it may carry item or
 *   task text: `info` lines, the messages of `debug`, `warning`, `error` and `setFailed` and an
 *   annotation's title go through neutraliseInline (a zero-width space breaks a line-leading `::`
 *   and every `##[`), so the only commands printed are the ones these functions mean to print;
 * - while tasks run, what `@actions/core` prints goes to routeLog's writer, so none of it lands
 *   inside a task's output;
 * - a missing or unwritable GITHUB_OUTPUT or GITHUB_STEP_SUMMARY file is named in the error.
 */
import * as core from '@actions/core'
import { accessSync, constants, existsSync } from 'node:fs'
import { neutraliseInline } from './workflow-commands.js'

/** An input's value: the runner passes `with:` values as `INPUT_<NAME>` variables. */
export function getInput(name: string, options?: core.InputOptions): string {
  return core.getInput(name, options)
}

/** Whether step debug logging is on. */
export function isDebug(): boolean {
  return core.isDebug()
}

/**
 * Sets a step output (through the GITHUB_OUTPUT file when there is one). Throws a one-line error
 * naming GITHUB_OUTPUT when its file is missing or cannot be written.
 */
export function setOutput(name: string, value: unknown): void {
  try {
    print(() => core.setOutput(name, value))
  } catch (error) {
    throw runnerFileProblem('GITHUB_OUTPUT', error)
  }
}

/** Where the text `@actions/core` prints goes while it is routed; stdout when undefined. */
let routed: ((text: string) => void) | undefined

/**
 * Sends everything printed here to `writer` (whole lines, each ending with EOL) instead of
 * stdout, or to stdout again without one: while task output is printed, the task log decides
 * where a line of ours can go without splitting a line of a task.
 */
export function routeLog(writer?: (text: string) => void): void {
  routed = writer
}

/**
 * Calls `@actions/core`. While the log is routed, what the call writes to stdout goes to the
 * writer instead: `@actions/core` writes to `process.stdout` synchronously and offers no other
 * target, so stdout's `write` is swapped for the call alone (no other code can run meanwhile).
 */
function print(call: () => void): void {
  const writer = routed
  if (writer === undefined) return call()
  const printed: string[] = []
  const stdout = process.stdout
  const write = stdout.write
  stdout.write = ((chunk: string | Uint8Array): boolean => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }) as typeof stdout.write
  try {
    call()
  } finally {
    stdout.write = write
    // One write of @actions/core is one whole line (a command is checked at its line's start).
    for (const text of printed) writer(text)
  }
}

/** Writes a line to the log; item or task text in it can start no workflow command. */
export function info(message: string): void {
  print(() => core.info(neutraliseInline(message)))
}

/** A debug line, shown when step debug logging is on. */
export function debug(message: string): void {
  print(() => core.debug(neutraliseInline(message)))
}

/** A notice annotation: something worth knowing that is not a problem. */
export function notice(message: string, properties: core.AnnotationProperties = {}): void {
  print(() => core.notice(neutraliseInline(message), safeProperties(properties)))
}

/** An error annotation. */
export function error(message: string | Error, properties: core.AnnotationProperties = {}): void {
  print(() => core.error(neutraliseInline(String(message)), safeProperties(properties)))
}

/** Warning annotations sent by this step so far: GitHub shows only the first 10 of a step. */
let warningsSent = 0

/** A warning annotation, counted. */
export function warning(message: string | Error, properties: core.AnnotationProperties = {}): void {
  warningsSent++
  print(() => core.warning(neutraliseInline(String(message)), safeProperties(properties)))
}

/** How many warning annotations this step has sent, so that later ones know the room left. */
export function sentWarnings(): number {
  return warningsSent
}

/** Counts warnings from zero again: for a new step in the same process (tests run many). */
export function resetWarningCount(): void {
  warningsSent = 0
}

/** Fails the step: exit code 1 once the action ends, and an error annotation. */
export function setFailed(message: string | Error): void {
  print(() => core.setFailed(neutraliseInline(String(message))))
}

/**
 * Fails the step with a message printed on stdout at once, whatever routeLog says: for when the
 * process is exiting and nothing routed would be printed any more.
 */
export function failNow(message: string): void {
  routeLog()
  setFailed(message)
}

/** Masks a value in the log from now on. */
export function setSecret(secret: string): void {
  print(() => core.setSecret(secret))
}

/** The job summary: `@actions/core`'s, with an error that names a missing or unwritable file. */
class Summary {
  /** Adds text as it is (Markdown or HTML), with a line break after it when asked. */
  addRaw(text: string, addEOL = false): this {
    core.summary.addRaw(text, addEOL)
    return this
  }

  /** Appends what was added to the summary file and empties the buffer. */
  async write(): Promise<this> {
    try {
      await core.summary.write()
    } catch (error) {
      throw runnerFileProblem('GITHUB_STEP_SUMMARY', error)
    }
    return this
  }
}

export const summary = new Summary()

/**
 * An annotation's properties, its title (which may carry item text) neutralised, and the empty
 * ones left out: `@actions/core` writes `::error ::` for a property object whose values are all
 * empty, where the runner's own format (and this action before) writes `::error::`.
 */
function safeProperties(properties: core.AnnotationProperties): core.AnnotationProperties {
  const kept: core.AnnotationProperties = Object.fromEntries(
    Object.entries(properties).filter(([, value]) => Boolean(value))
  )
  if (kept.title !== undefined) kept.title = neutraliseInline(kept.title)
  return kept
}

type RunnerFile = 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY'

/**
 * The error of a write to one of the runner's files, naming the variable and what its file is for
 * when the file is missing or cannot be written: `@actions/core` says `Missing file at path: …`
 * or `Unable to access summary file: …`, which name neither. Any other error (no variable set at
 * all, say) is kept as it is.
 */
function runnerFileProblem(variable: RunnerFile, error: unknown): unknown {
  const file = process.env[variable] || ''
  const reason = file === '' ? undefined : fileProblem(variable, file, error)
  if (reason === undefined) return error
  const purpose = variable === 'GITHUB_OUTPUT' ? "the step's outputs" : 'the job summary'
  return new Error(
    `Invalid ${variable} '${file}': ${reason}. Expected the file the runner creates for ${purpose}.`,
    { cause: error }
  )
}

/** What is wrong with a runner's file that a write to it failed on, if the file is to blame. */
function fileProblem(variable: RunnerFile, file: string, error: unknown): string | undefined {
  if (variable === 'GITHUB_STEP_SUMMARY') return summaryFileProblem(file, error)
  if (!existsSync(file)) return 'no such file'
  // An error with a code is the system's: EISDIR, EACCES, ENOSPC.
  return (error as NodeJS.ErrnoException).code === undefined ? undefined : String(error)
}

/**
 * What is wrong with the summary file: `@actions/core`'s access check drops the system's error
 * (EACCES, ENOTDIR), so the check is made again here to name it.
 */
function summaryFileProblem(file: string, error: unknown): string {
  let cause = error
  if ((error as NodeJS.ErrnoException).code === undefined) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK)
    } catch (accessError) {
      cause = accessError
    }
  }
  return (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(cause)
}

/** A workflow command's message, escaped so it stays on one line: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}
