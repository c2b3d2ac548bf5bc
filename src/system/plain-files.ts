import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  rmSync,
  unlinkSync,
  writeFileSync
} from 'node:fs'

/**
 * Reading and writing files at paths a task can replace (its GITHUB_OUTPUT, its item file, ...):
 * nothing is written or truncated through a hard link or a symlink a task put there, and no read
 * waits on a FIFO or reads past a limit. Synchronous: a few small local calls cost less in line
 * than through the thread pool, and none of them can block.
 */

/** Opens for reading without following a symlink, and without waiting for a FIFO's writer. */
export const READ_FLAGS =
  constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/** Removes whatever is at `path` (a file, a link, a FIFO, a directory): the link, never its target. */
export function removePath(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') rmSync(path, { recursive: true, force: true })
  }
}

/**
 * Puts a new file holding `text` at `path`: whatever was there is removed, and the file is created
 * exclusively (O_EXCL, which follows no link), so no other file's content is ever touched.
 */
export function createAfresh(path: string, text: string): void {
  for (let attempt = 1; ; attempt++) {
    removePath(path)
    try {
      writeFileSync(path, text, { flag: 'wx' })
      return
    } catch (error) {
      // Something (a process a task left behind) put a file back in between: try again.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error
    }
  }
}

/**
 * Leaves an empty file of ours at `path`. One already so (a task that wrote nothing) costs an
 * lstat; anything else (written to, a hard link to another file, a symlink, a FIFO) is replaced.
 */
export function emptyFile(path: string): void {
  const stats = lstatSync(path, { throwIfNoEntry: false })
  if (stats?.isFile() && stats.size === 0 && stats.nlink === 1) return
  createAfresh(path, '')
}

/** What readPlainFile found: the first bytes read, and the file's size when it was opened. */
export interface PlainFileStart {
  bytes: Buffer
  size: number
}

/**
 * The first `limit` bytes of the plain file at `path` (or `limit + 1`, with `oneMore`, to tell a
 * file over the limit); undefined when there is none, or something else is there (a symlink, a
 * FIFO, a directory, a device).
 */
export function readPlainFile(
  path: string,
  limit: number,
  oneMore = false
): PlainFileStart | undefined {
  let fd: number
  try {
    fd = openSync(path, READ_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENXIO') return undefined
    throw error
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return undefined
    const bytes = Buffer.allocUnsafe(Math.min(stats.size, limit + (oneMore ? 1 : 0)))
    let read = 0
    while (read < bytes.length) {
      const count = readSync(fd, bytes, read, bytes.length - read, read)
      if (count === 0) break
      read += count
    }
    return { bytes: bytes.subarray(0, read), size: stats.size }
  } finally {
    closeSync(fd)
  }
}
