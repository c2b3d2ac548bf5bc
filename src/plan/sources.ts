import { createHash } from 'node:crypto'
import { relative, sep } from 'node:path'
import { type PreparedItem } from '../exec/command-task.js'
import { matchSourceFiles, SourceReader, type SourceEntry } from '../system/source-files.js'

/** Each item's sources digest (undefined: none, or one could not be taken), and how many files or folders could not be read. */
export interface SourcesDigests {
  digests: (string | undefined)[]
  unreadable: number
}

/** The notice for files that could not be read, or undefined when all could. */
export function describeUnreadable(unreadable: number): string | undefined {
  if (unreadable === 0) return undefined
  const what =
    unreadable === 1 ? '1 source file or folder' : `${unreadable} source files or folders`
  return `${what} could not be read: the items whose sources match them run, as changed.`
}

/**
 * The sources digest of each prepared item with sources: SHA-256 over its matched paths (relative
 * to its working directory, `/`-separated, sorted by their UTF-8 bytes) and what each is (a file's
 * size and SHA-256, a link's text, another kind's name). Items with the same lines glob once.
 */
export async function sourcesDigests(
  prepared: readonly PreparedItem[],
  cwd: string
): Promise<SourcesDigests> {
  const reader = new SourceReader()
  const unlistable = { count: 0 }
  const byLines = new Map<string, Promise<string | undefined>>()
  const digests = await Promise.all(
    prepared.map(item => {
      if (item.sources === undefined) return undefined
      const base = item.overrides?.cwd ?? cwd
      const key = `${base}\0${item.sources.join('\0')}`
      let digest = byLines.get(key)
      if (digest === undefined) {
        digest = digestOf(item.sources, base, reader, unlistable)
        byLines.set(key, digest)
      }
      return digest
    })
  )
  return { digests, unreadable: (await reader.unreadable()) + unlistable.count }
}

/** The digest of what the lines match, or undefined when a file or folder could not be read. */
async function digestOf(
  lines: readonly string[],
  base: string,
  reader: SourceReader,
  unlistable: { count: number }
): Promise<string | undefined> {
  let paths: string[]
  try {
    paths = await matchSourceFiles(lines)
  } catch {
    // A folder on the way could not be listed.
    unlistable.count += 1
    return undefined
  }
  const named = paths.map(path => ({
    path,
    name: Buffer.from(relative(base, path).split(sep).join('/'))
  }))
  named.sort((a, b) => Buffer.compare(a.name, b.name))
  const entries = await Promise.all(named.map(({ path }) => reader.entry(path)))
  const hash = createHash('sha256')
  for (const [index, { name }] of named.entries()) {
    const entry = entries[index]
    if (entry === undefined) return undefined
    hash.update(entryText(name.toString(), entry))
  }
  return hash.digest('hex')
}

/** One entry of a digest: NUL never occurs in a path or a link's text, so fields cannot run together. */
function entryText(name: string, entry: SourceEntry): string {
  switch (entry.kind) {
    case 'file':
      return `F\0${name}\0${entry.size}\0${entry.sha256}\0`
    case 'link':
      return `L\0${name}\0${entry.target}\0`
    case 'other':
      return `O\0${name}\0${entry.type}\0`
  }
}
