import { readdir, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'

/**
 * A pattern for a path glob: `*` is any run of characters within a path segment, `**` any number
 * of whole segments, `?` one character other than `/`; everything else stands for itself.
 */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string
    if (char === '?') {
      source += '[^/]'
    } else if (char !== '*') {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    } else if (glob[i + 1] !== '*') {
      source += '[^/]*'
    } else {
      const wholeSegment =
        (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')
      if (!wholeSegment)
        source += '[^/]*' // `a**b` is just `a*b`
      else if (glob[i + 2] === '/')
        source += '(?:[^/]*/)*' // `**/`: no segments or some
      else source += '.*' // a trailing `**`: everything below
      i += wholeSegment && glob[i + 2] === '/' ? 2 : 1
    }
  }
  return new RegExp(`^${source}$`)
}

/**
 * The files matching any of the globs (one per line; relative ones from `cwd`), sorted, each once.
 * Only the part of the tree below each glob's literal prefix is read.
 */
export async function findFiles(patterns: string, cwd: string): Promise<string[]> {
  const found = new Set<string>()
  for (const line of patterns.split(/\r?\n/)) {
    const glob = line.trim().split(sep).join('/')
    if (glob === '') continue
    const absolute = (isAbsolute(glob) ? glob : join(cwd, glob)).split(sep).join('/')
    const segments = absolute.split('/')
    const firstWild = segments.findIndex(segment => /[*?]/.test(segment))
    if (firstWild === -1) {
      if (await isFile(absolute)) found.add(resolve(absolute))
      continue
    }
    // '/' alone for the root, and 'D:/' rather than 'D:' (the current directory on drive D).
    const base =
      segments.slice(0, firstWild).join('/') +
      (firstWild <= 1 || /:$/.test(segments[firstWild - 1] as string) ? '/' : '')
    const matcher = globToRegExp(segments.slice(firstWild).join('/'))
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (!entry.isFile()) continue
      const path = join(entry.parentPath, entry.name)
      if (matcher.test(relative(base, path).split(sep).join('/'))) found.add(resolve(path))
    }
  }
  return [...found].sort()
}

async function isFile(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined)
  return stats?.isFile() ?? false
}
