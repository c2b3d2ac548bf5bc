/**
 * The part of `@actions/core` this action uses, with the same names and the same output, byte for
 * byte: inputs from `INPUT_*`, outputs to the `GITHUB_OUTPUT` file, workflow commands on stdout,
 * the job summary appended to `GITHUB_STEP_SUMMARY`. `@actions/core` itself loads an HTTP client
 * (undici, 0.9 MB) for OIDC tokens at start-up, which tripled this action's start-up time for
 * nothing it uses (docs/decisions/002-own-workflow-commands.md).
 *
 * One difference: text the action prints is never a command the runner acts on, since it may
 * carry item or task text. `info` lines and the messages of `debug`, `warning` and `error` go
 * through neutraliseInline (a zero-width space breaks a line-leading `::` and every `##[`), so the
 * only commands printed here are the ones these functions mean to print. While tasks run, every
 * line goes through routeLog's writer, so none can land inside a task's output.
 */
import { appendFileSync, existsSync } from 'node:fs'
import { access, appendFile, constants } from 'node:fs/promises'
import { EOL } from 'node:os'
import { randomUUID } from 'node:crypto'
import { neutraliseInline } from './workflow-commands.js'

/** Options of getInput, as in @actions/core. */
export interface InputOptions {
  /** Throw when the input is empty. */
  required?: boolean
  /** Trim leading and trailing whitespace (default true). */
  trimWhitespace?: boolean
}

/** Where an annotation points, and its title. */
export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

/** An input's value: the runner passes `with:` values as `INPUT_<NAME>` variables. */
export function getInput(name: string, options: InputOptions = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || ''
  if (options.required && !value) throw new Error(`Input required and not supplied: ${name}`)
  return options.trimWhitespace === false ? value : value.trim()
}

/**
 * Sets a step output through the GITHUB_OUTPUT file (the `::set-output` command without one).
 * Throws a one-line error naming GITHUB_OUTPUT when its file is missing or cannot be written.
 */
export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT || ''
  if (file !== '') {
    const block = `${keyValueMessage(name, value)}${EOL}`
    if (!existsSync(file)) throw runnerFileError('GITHUB_OUTPUT', file, 'no such file')
    try {
      appendFileSync(file, block, { encoding: 'utf8' })
    } catch (error) {
      throw runnerFileError('GITHUB_OUTPUT', file, String(error), error)
    }
    return
  }
  write(EOL)
  issueCommand('set-output', { name }, commandValue(value))
}

/** Prints to stdout, the step's log. */
function toStdout(text: string): void {
  process.stdout.write(text)
}

let write: (text: string) => void = toStdout

/**
 * Sends everything printed here to `writer` (whole lines, each ending with EOL) instead of
 * stdout, or to stdout again without one: while task output is printed, the task log decides
 * where a line of ours can go without splitting a line of a task.
 */
export function routeLog(writer?: (text: string) => void): void {
  write = writer ?? toStdout
}

/** Writes a line to the log; item or task text in it can start no workflow command. */
export function info(message: string): void {
  write(neutraliseInline(message) + EOL)
}

/** A debug line, shown when step debug logging is on. */
export function debug(message: string): void {
  issueCommand('debug', {}, neutraliseInline(message))
}

/** Whether step debug logging is on. */
export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1'
}

/** An error annotation. */
export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('error', commandProperties(properties), neutraliseInline(String(message)))
}

/** A warning annotation. */
export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  issueCommand('warning', commandProperties(properties), neutraliseInline(String(message)))
}

/** Fails the step: exit code 1 once the action ends, and an error annotation. */
export function setFailed(message: string | Error): void {
  process.exitCode = 1
  error(message)
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
  issueCommand('add-mask', {}, secret)
}

/** The job summary: text collected, then appended to the GITHUB_STEP_SUMMARY file. */
class Summary {
  private buffer = ''

  /** Adds text as it is (Markdown or HTML), with a line break after it when asked. */
  addRaw(text: string, addEOL = false): this {
    this.buffer += text + (addEOL ? EOL : '')
    return this
  }

  /** Appends what was added to the summary file and empties the buffer. */
  async write(): Promise<this> {
    const file = process.env.GITHUB_STEP_SUMMARY
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
      )
    }
    try {
      await access(file, constants.R_OK | constants.W_OK)
      await appendFile(file, this.buffer, { encoding: 'utf8' })
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
      throw runnerFileError('GITHUB_STEP_SUMMARY', file, reason, error)
    }
    this.buffer = ''
    return this
  }
}

export const summary = new Summary()

/**
 * One of the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) is missing or cannot be
 * written. @actions/core throws `Missing file at path: …`, which names neither the variable nor
 * what it is for.
 */
function runnerFileError(variable: string, file: string, reason: string, cause?: unknown): Error {
  const purpose = variable === 'GITHUB_OUTPUT' ? "the step's outputs" : 'the job summary'
  return new Error(
    `Invalid ${variable} '${file}': ${reason}. Expected the file the runner creates for ${purpose}.`,
    { cause }
  )
}

/** A workflow command's message, escaped so it stays on one line: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A workflow command's property value, escaped: as escapeData, plus `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function issueCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: string
): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`)
}

function commandProperties(
  properties: AnnotationProperties
): Record<string, string | number | undefined> {
  if (Object.keys(properties).length === 0) return {}
  return {
    title: properties.title === undefined ? undefined : neutraliseInline(properties.title),
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn
  }
}

function commandValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** `name<<delimiter` block of a file command, with a delimiter no value can contain. */
function keyValueMessage(name: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  const text = commandValue(value)
  if (name.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  }
  if (text.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  }
  return `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}`
}
