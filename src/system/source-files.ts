import { createHash } from 'node:crypto'
import { type Stats } from 'node:fs'
import { lstat, open, readlink, realpath } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { literalPrefix } from './glob.js'
import { READ_FLAGS } from './plain-files.js'

/** How many source files are read at once: enough to overlap reads, few enough for any ulimit. */
const OPEN_AT_ONCE = 16

/** Every `.git` file and folder at any depth, with what is inside: never a source. */
const NOT_SOURCES = '!/**/.git'

/**
 * The files absolute glob lines match (`!` lines exclude; `.git` never matches), links not
 * followed (a link is itself an entry), folders standing for the files below them. Loads
 * @actions/glob on first use. Throws when a folder on the way cannot be read.
 */
export async function matchSourceFiles(lines: readonly string[]): Promise<string[]> {
  const glob = await import('@actions/glob')
  const searched = await Promise.all(lines.map(async line => (await searchable(line)) && line))
  const kept = searched.filter(line => line !== false)
  const globber = await glob.create([...kept, NOT_SOURCES].join('\n'), {
    matchDirectories: false,
    implicitDescendants: true,
    followSymbolicLinks: false,
    excludeHiddenFiles: false
  })
  return [...new Set(await globber.glob())]
}

/**
 * Whether a line can match anything: not when the folder it searches from is missing, or is a
 * file on the way (which @actions/glob would throw for, ENOTDIR, rather than match nothing).
 */
async function searchable(line: string): Promise<boolean> {
  if (line.startsWith('!')) return true
  try {
    await lstat(literalPrefix(line))
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code !== 'ENOENT' && code !== 'ENOTDIR'
  }
}

/**
 * The folder an include line searches from, as it really is: links on the way to it resolved
 * (the glob would go through them), its last segment not (a link there is an entry, never walked).
 * Missing parts are kept as written. Throws when a folder on the way cannot be read.
 */
export async function realSearchRoot(line: string): Promise<string> {
  const root = literalPrefix(line)
  const parent = dirname(root)
  if (parent === root) return root
  return join(await realExisting(parent), basename(root))
}

/** `path` with links resolved as far as it exists, the rest as written. */
async function realExisting(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const parent = dirname(path)
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === path) throw error
    return join(await realExisting(parent), basename(path))
  }
}

/** One matched path as it enters a digest: what it is, and what of it counts. */
export type SourceEntry =
  | { kind: 'file'; size: number; sha256: string }
  | { kind: 'link'; target: string }
  | { kind: 'other'; type: string }

/**
 * Reads what a digest needs of source files, each path once however many items share it, at
 * most OPEN_AT_ONCE at a time. A regular file's content is hashed (opened without following a
 * link and without waiting on a FIFO), a link's own text is read (its target is not), and any
 * other kind is only named. undefined: the file could not be read or vanished.
 */
export class SourceReader {
  private readonly entries = new Map<string, Promise<SourceEntry | undefined>>()
  private running = 0
  private mostAtOnce = 0
  private readonly waiting: (() => void)[] = []

  /** The most files read at once so far. */
  get peak(): number {
    return this.mostAtOnce
  }

  /** What counts of the file at the absolute `path`, read once. */
  entry(path: string): Promise<SourceEntry | undefined> {
    let known = this.entries.get(path)
    if (known === undefined) {
      known = this.limited(() => readEntry(path))
      this.entries.set(path, known)
    }
    return known
  }

  /** How many distinct files could not be read. */
  async unreadable(): Promise<number> {
    const entries = await Promise.all(this.entries.values())
    return entries.filter(entry => entry === undefined).length
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= OPEN_AT_ONCE) await new Promise<void>(go => this.waiting.push(go))
    this.running += 1
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running)
    try {
      return await work()
    } finally {
      this.running -= 1
      this.waiting.shift()?.()
    }
  }
}

/** What counts of one path, or undefined when it cannot be read. */
async function readEntry(path: string): Promise<SourceEntry | undefined> {
  try {
    const stats = await lstat(path)
    if (stats.isSymbolicLink()) return { kind: 'link', target: await readlink(path) }
    if (!stats.isFile()) return { kind: 'other', type: typeName(stats) }
    return await hashFile(path)
  } catch {
    return undefined
  }
}

/** A regular file's size and SHA-256, from one open that is checked to be that regular file. */
async function hashFile(path: string): Promise<SourceEntry | undefined> {
  const handle = await open(path, READ_FLAGS)
  try {
    const stats = await handle.stat()
    // Replaced by something else between lstat and open: the item runs rather than guess.
    if (!stats.isFile()) return undefined
    const hash = createHash('sha256')
    let size = 0
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer)
      size += (chunk as Buffer).length
    }
    return { kind: 'file', size, sha256: hash.digest('hex') }
  } finally {
    await handle.close()
  }
}

/** The kind of a path that is neither a regular file, a folder nor a link. */
function typeName(stats: Stats): string {
  if (stats.isFIFO()) return 'fifo'
  if (stats.isSocket()) return 'socket'
  if (stats.isCharacterDevice()) return 'character-device'
  if (stats.isBlockDevice()) return 'block-device'
  return stats.isDirectory() ? 'directory' : 'unknown'
}
