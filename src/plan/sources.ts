import { createHash } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import { Inputs } from '../action/action-yml.js'
import { type PreparedItem } from '../exec/command-task.js'
import { itemLabel } from '../model/labels.js'
import {
  matchSourceFiles,
  realSearchRoot,
  SourceReader,
  type SourceEntry
} from '../system/source-files.js'
import { isInside, sourcesWorkspace } from './source-patterns.js'

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
 * Throws, naming `sources` or the task, for a line whose folder links take out of the workspace
 * (`GITHUB_WORKSPACE`, else `cwd`) or into a `.git` folder: its text was checked, not its links.
 */
export async function sourcesDigests(
  prepared: readonly PreparedItem[],
  cwd: string
): Promise<SourcesDigests> {
  const reader = new SourceReader()
  const workspace = await realpath(sourcesWorkspace(cwd))
  const unlistable = { count: 0 }
  const byLines = new Map<string, Promise<string | undefined>>()
  const digests = await Promise.all(
    prepared.map(item => {
      if (item.sources === undefined) return undefined
      const base = item.overrides?.cwd ?? cwd
      const key = `${base}\0${item.sources.join('\0')}`
      let digest = byLines.get(key)
      if (digest === undefined) {
        digest = digestOf(item, base, { reader, unlistable, workspace })
        byLines.set(key, digest)
      }
      return digest
    })
  )
  return { digests, unreadable: (await reader.unreadable()) + unlistable.count }
}

/** What every digest of one run shares: the file reader, the count of folders not listed, the real workspace. */
interface DigestContext {
  reader: SourceReader
  unlistable: { count: number }
  workspace: string
}

/** The digest of what an item's lines match, or undefined when a file or folder could not be read. */
async function digestOf(
  item: PreparedItem,
  base: string,
  { reader, unlistable, workspace }: DigestContext
): Promise<string | undefined> {
  const lines = item.sources ?? []
  let paths: string[]
  try {
    await checkSearchRoots(item, workspace)
    paths = await matchSourceFiles(lines)
  } catch (error) {
    // A folder on the way could not be listed; anything else is no question of reading files.
    if (!isFileSystemError(error)) throw error
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

/**
 * Refuses an item whose include line searches a folder that links on the way put outside the
 * real `workspace` or in a `.git` folder; the glob would walk it as if it were where it is named.
 */
async function checkSearchRoots(item: PreparedItem, workspace: string): Promise<void> {
  for (const line of item.sources ?? []) {
    if (line.startsWith('!')) continue
    const real = await realSearchRoot(line)
    const inside = isInside(real, workspace)
    if (inside && !relative(workspace, real).split(sep).includes('.git')) continue
    const where =
      item.needs === undefined
        ? `Invalid ${Inputs.Sources}: item ${item.index + 1} (${itemLabel(item.item, 40)}) has`
        : `Invalid ${Inputs.Tasks}: task '${itemLabel(item.item, 40)}' has`
    const why = inside
      ? 'inside a .git folder, which is never a source'
      : `outside the workspace '${workspace}'`
    throw new Error(
      `${where} sources '${line}', which search '${real}' once links are followed, ${why}. ` +
        'Expected globs whose folders, links followed, are inside the workspace.'
    )
  }
}

/** Whether `error` is the system's answer to a file operation (ENOENT, EACCES, ELOOP, …). */
function isFileSystemError(error: unknown): boolean {
  const { code, syscall } = error as NodeJS.ErrnoException
  return typeof syscall === 'string' && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)
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
