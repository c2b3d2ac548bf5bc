import { randomUUID } from 'node:crypto'

/** A file's variables in order, or (read strictly) why the runner would refuse it. */
export type KeyValueFile = { entries: [string, string][] } | { problem: string }

/**
 * How a file is read. Strict: as the runner reads GITHUB_ENV (actions/runner,
 * EnvFileKeyValuePairs, on Linux and macOS), refusing what it refuses. Lenient: every value that
 * can be read is kept, and nothing is refused.
 */
export interface KeyValueRules {
  strict: boolean
}

/** How a line starts a variable: with its value, or with the delimiter of its block. */
type LineStart = { name: string; value: string } | { name: string; delimiter: string }

/** A name, `<<`, a delimiter: the lenient reading's block start, taken when no `=` comes first. */
const LENIENT_BLOCK = /^([^=]+?)<<(.+)$/

/**
 * Reads a file of `NAME=value` lines and `NAME<<DELIMITER` blocks, whose value is every line up to
 * the first line that is exactly DELIMITER, without the last line break; empty lines are skipped.
 * A line is `NAME=value` when its first `=` comes before any `<<`.
 *
 * Strict, as the runner: lines end at LF, a byte order mark is dropped, and a line that is
 * neither form, an empty name (the runner refuses it after `<<` and sets a nameless variable for
 * `=value`), an empty delimiter or a block without its delimiter line is a problem naming the line.
 * Lenient: lines end at LF or CRLF, a line that is neither form is passed over, and a block
 * without its delimiter line takes the rest of the file.
 */
export function parseKeyValueFile(text: string, rules: { strict: true }): KeyValueFile
export function parseKeyValueFile(
  text: string,
  rules: { strict: false }
): { entries: [string, string][] }
export function parseKeyValueFile(text: string, { strict }: KeyValueRules): KeyValueFile {
  const lines = splitLines(text, strict)
  const entries: [string, string][] = []
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    if (line === '') continue
    const start = lineStart(line, strict)
    if (start === undefined) continue
    if (typeof start === 'string') return { problem: `line ${index + 1} ${start}` }
    if ('value' in start) {
      entries.push([start.name, start.value])
      continue
    }
    let end = lines.indexOf(start.delimiter, index + 1)
    if (end === -1) {
      if (strict) {
        return {
          problem: `the value that starts on line ${index + 1} has no closing delimiter line`
        }
      }
      // An unterminated block is what the runner rejects; keep what is there rather than fail.
      end = lines.length
    }
    entries.push([start.name, lines.slice(index + 1, end).join('\n')])
    index = end
  }
  return { entries }
}

/** The file's lines, as the rules end them. */
function splitLines(text: string, strict: boolean): string[] {
  if (!strict) return text.split(/\r?\n/)
  // The runner reads the file as .NET's File.ReadAllText does, which drops a byte order mark.
  return (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n')
}

/**
 * How a non-empty line starts a variable; undefined for a line the lenient reading passes over,
 * and what is wrong with a line the strict reading refuses.
 */
function lineStart(line: string, strict: boolean): LineStart | string | undefined {
  const equals = line.indexOf('=')
  const heredoc = line.indexOf('<<')
  if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
    if (equals > 0) return { name: line.slice(0, equals), value: line.slice(equals + 1) }
    return strict ? 'sets a variable without a name' : undefined
  }
  if (!strict) {
    const block = LENIENT_BLOCK.exec(line)
    if (block !== null) return { name: block[1] as string, delimiter: block[2] as string }
    return equals > 0 ? { name: line.slice(0, equals), value: line.slice(equals + 1) } : undefined
  }
  if (heredoc < 0) return 'is neither NAME=value nor NAME<<DELIMITER'
  const name = line.slice(0, heredoc)
  const delimiter = line.slice(heredoc + 2)
  if (name === '' || delimiter === '') return "needs a name before '<<' and a delimiter after it"
  return { name, delimiter }
}

/**
 * Lines that set these variables (as a strict reading gives them), each as `NAME<<DELIMITER`
 * with a fresh random delimiter that its value does not contain (as @actions/core writes them),
 * so nothing a task wrote can end a block early or run into the next task's. A name ending in
 * `<` would run into the `<<`: it can only have come from a `NAME=value` line, and is written as
 * one.
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
