import { isAbsolute, join, normalize } from 'node:path'

/**
 * A test of repository paths (`/`-separated) against one glob: `*` is any run of characters within
 * a path segment, `**` any number of whole segments, `?` one character other than `/`; everything
 * else stands for itself, so `app/[id]/(group)/x.ts` or `a,b` name themselves. Dotfiles match like
 * any file and case counts. Loads picomatch on first use: only the review-threads mode needs it.
 */
export async function pathMatcher(glob: string): Promise<(path: string) => boolean> {
  const { default: picomatch } = await import('picomatch/posix.js')
  // picomatch would read brackets, braces, parentheses, `!` and `+(…)` as glob syntax.
  const literal = glob.replace(/[\\[\]{}()!+@|^$,]/g, '\\$&')
  return picomatch(literal, { dot: true, nobrace: true, noextglob: true })
}

/**
 * The files matching the globs (one per line, as @actions/glob reads them: `*`, `**`, `?`, `[…]`,
 * `!` to exclude, `#` for a comment; relative ones from `cwd`), absolute, sorted, each once.
 * Directories never match, nor the files below a directory that does; links are not followed. Loads @actions/glob on first
 * use: only the merge-results mode needs it.
 */
export async function findFiles(patterns: string, cwd: string): Promise<string[]> {
  const glob = await import('@actions/glob')
  const rooted = patterns
    .split(/\r?\n/)
    .map(line => rootAt(line.trim(), cwd))
    .join('\n')
  // Links are not followed: a link to a folder of results would read the same file twice.
  const globber = await glob.create(rooted, {
    matchDirectories: false,
    implicitDescendants: false,
    followSymbolicLinks: false
  })
  return [...new Set(await globber.glob())].sort()
}

/** A pattern line with a relative path rooted at `cwd`, whose own glob characters are escaped. */
function rootAt(line: string, cwd: string): string {
  if (line === '' || line.startsWith('#')) return line
  const exclude = line.startsWith('!') ? '!' : ''
  const path = line.slice(exclude.length)
  if (path.startsWith('~')) return line
  return exclude + rootedPattern(path, cwd)
}

/**
 * A path with its glob characters escaped as @actions/glob reads them: `[*]`, `[?]`, `[[]`, and on
 * Linux and macOS `\\` (on Windows `\` separates paths). It then names exactly itself.
 */
export function globEscape(path: string): string {
  const special = process.platform === 'win32' ? /[*?[]/g : /[\\*?[]/g
  return path.replace(special, char => (char === '\\' ? '\\\\' : `[${char}]`))
}

/**
 * A glob line (no `!`) rooted at `cwd`, whose own path is escaped, `.` and `..` folded (which
 * @actions/glob refuses, and an absolute path may well have): an absolute pattern @actions/glob
 * takes as it is. A last blank character is bracketed, as @actions/glob trims each line.
 */
export function rootedPattern(pattern: string, cwd: string): string {
  const rooted = isAbsolute(pattern) ? normalize(pattern) : join(globEscape(cwd), pattern)
  return rooted.replace(/\s$/u, blank => `[${blank}]`)
}

/**
 * The folder a rooted glob searches from: its segments up to the first with a wildcard or a
 * class of more than one character, escapes read as @actions/glob reads them.
 */
export function literalPrefix(pattern: string): string {
  const literal: string[] = []
  for (const segment of pattern.split('/')) {
    const text = literalSegment(segment)
    if (text === undefined) break
    literal.push(text)
  }
  return literal.join('/') || '/'
}

/**
 * The first segment of a glob line that stands for `.` or `..` without being written so
 * (`[.]`, `\\.`, `[.][.]`): @actions/glob refuses such a line, and `path.join` cannot fold it.
 */
export function disguisedDotSegment(
  pattern: string
): { written: string; name: string } | undefined {
  for (const written of pattern.split('/')) {
    const name = literalSegment(written)
    if ((name === '.' || name === '..') && written !== name) return { written, name }
  }
  return undefined
}

/**
 * A glob segment as the name it stands for, or undefined when it may match more than one: read
 * as @actions/glob's Pattern.getLiteral reads it (`\\c` is c, a class of one character is it).
 */
function literalSegment(segment: string): string | undefined {
  let text = ''
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index] as string
    if (char === '\\' && index + 1 < segment.length) {
      text += segment[++index]
      continue
    }
    if (char === '*' || char === '?') return undefined
    if (char === '[' && index + 1 < segment.length) {
      const set = classAt(segment, index + 1)
      if (set !== undefined && set.text.length > 1) return undefined
      if (set !== undefined && set.text !== '') {
        text += set.text
        index = set.close
        continue
      }
    }
    text += char
  }
  return text
}

/** The characters of a class opened before `start`, escapes read, and where it closes; undefined if it does not. */
function classAt(segment: string, start: number): { text: string; close: number } | undefined {
  let text = ''
  for (let index = start; index < segment.length; index += 1) {
    const char = segment[index] as string
    if (char === '\\' && index + 1 < segment.length) text += segment[++index]
    else if (char === ']') return { text, close: index }
    else text += char
  }
  return undefined
}
