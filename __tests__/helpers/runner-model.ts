/*
 * A model of how the actions/runner reads workflow commands from a step's stdout, written after
 * src/Runner.Sdk/ProcessInvoker.cs (StreamReader.ReadLine), src/Runner.Worker/Handlers/
 * OutputManager.cs, src/Runner.Common/ActionCommand.cs (TryParseV2, TryParse) and
 * src/Runner.Worker/ActionCommandManager.cs (TryProcessCommand, stop-commands). String searches are
 * ordinal by default; with `culture: true` they skip ignorable characters (controls, zero-width and
 * other format characters) as .NET's culture-sensitive StartsWith and IndexOf do with ICU, while
 * the command name is still taken at a fixed offset from the match (see src/action/command-syntax.ts).
 */

/** How the model searches: ordinal, or like ICU, skipping ignorable characters. */
export interface SearchOptions {
  culture?: boolean
}

/** Characters an ICU comparison may ignore: controls, soft hyphen, zero-width and format ones. */
// eslint-disable-next-line no-control-regex
const IGNORABLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/

/** String.IndexOf(pattern, from): ordinal, or skipping ignorable characters inside the match. */
function indexOf(text: string, pattern: string, from: number, options: SearchOptions): number {
  if (!options.culture) return text.indexOf(pattern, from)
  for (let i = from; i < text.length; i++) {
    if (text[i] !== pattern[0]) continue
    let j = i + 1
    let k = 1
    while (k < pattern.length && j < text.length) {
      if (text[j] === pattern[k]) k++
      else if (!IGNORABLE.test(text[j] as string)) break
      j++
    }
    if (k === pattern.length) return i
  }
  return -1
}

/** String.StartsWith(pattern): ordinal, or ignoring ignorable characters before and inside it. */
function startsWith(text: string, pattern: string, options: SearchOptions): boolean {
  if (!options.culture) return text.startsWith(pattern)
  let i = 0
  while (i < text.length && IGNORABLE.test(text[i] as string)) i++
  return indexOf(text, pattern, i, options) === i
}

export const REGISTERED = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'internal-set-repo-path'
]
export const ANNOTATIONS = new Set(['error', 'warning', 'notice', 'debug'])

/** .NET String.TrimStart(): Char.IsWhiteSpace. */
const DOTNET_LEADING_WHITE_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

export interface ParsedCommand {
  name: string
  data: string
}

/** StreamReader.ReadLine over the whole output: "\r\n", "\r" and "\n" end a line. */
export function runnerLines(output: Buffer): string[] {
  const lines = output.toString('utf8').split(/\r\n|\r|\n/)
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

export function isRegistered(name: string, extra: string | null): boolean {
  const lower = name.toLowerCase()
  return REGISTERED.includes(lower) || (extra !== null && extra.toLowerCase() === lower)
}

export function parseV2(
  line: string,
  extra: string | null,
  options: SearchOptions = {}
): ParsedCommand | null {
  const message = line.replace(DOTNET_LEADING_WHITE_SPACE, '')
  if (!startsWith(message, '::', options)) return null
  const end = indexOf(message, '::', 2, options)
  if (end < 0) return null
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!isRegistered(name, extra)) return null
  return { name, data: message.slice(end + 2) }
}

export function parseLegacy(
  line: string,
  extra: string | null,
  options: SearchOptions = {}
): ParsedCommand | null {
  const prefix = indexOf(line, '##[', 0, options)
  if (prefix < 0) return null
  const bracket = line.indexOf(']', prefix)
  if (bracket < 0) return null
  const info = line.slice(prefix + 3, bracket)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!isRegistered(name, extra)) return null
  return { name, data: line.slice(bracket + 1) }
}

export interface RunnerLine {
  line: string
  /** 'plain': logged as it is; 'command': acted on; 'stop'/'resume': stop-commands handling. */
  kind: 'plain' | 'command' | 'stop' | 'resume'
  command?: ParsedCommand
}

/** What the runner does with each line of the output. */
export function runOnRunner(
  output: Buffer,
  options: SearchOptions = {}
): { lines: RunnerLine[]; stoppedAtEnd: boolean } {
  let stopToken: string | null = null
  const lines: RunnerLine[] = []
  for (const line of runnerLines(output)) {
    const command: ParsedCommand | null =
      parseV2(line, stopToken, options) ?? parseLegacy(line, stopToken, options)
    if (command === null) {
      lines.push({ line, kind: 'plain' })
    } else if (stopToken !== null) {
      if (command.name.toLowerCase() === stopToken.toLowerCase()) {
        stopToken = null
        lines.push({ line, kind: 'resume', command })
      } else {
        lines.push({ line, kind: 'plain' })
      }
    } else if (command.name.toLowerCase() === 'stop-commands') {
      const token: string = command.data
      // Newer runners refuse these tokens (the step fails); the model just ignores them.
      if (token === '' || token === 'pause-logging' || isRegistered(token, null)) {
        lines.push({ line, kind: 'plain' })
      } else {
        stopToken = token
        lines.push({ line, kind: 'stop', command })
      }
    } else {
      lines.push({ line, kind: 'command', command })
    }
  }
  return { lines, stoppedAtEnd: stopToken !== null }
}
