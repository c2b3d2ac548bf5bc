import * as fs from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/**
 * node:crypto, loaded on first use: loading it costs about 3 ms of every start-up, and a run
 * needs it only for sharding's digests or where there is no /dev/urandom.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto')
}

/** Bytes read ahead for small requests: a run takes a UUID per output (as crypto does, pooled). */
const POOL_SIZE = 1024
let pool: Buffer | undefined
let poolOffset = POOL_SIZE

/** `size` bytes from the operating system's CSPRNG; each byte is handed out once. */
export function randomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`Expected size to be a whole number from 0 and up, got ${size}`)
  }
  if (size > 64) return readRandom(size)
  if (pool === undefined || poolOffset + size > POOL_SIZE) {
    pool = readRandom(POOL_SIZE)
    poolOffset = 0
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size))
  poolOffset += size
  return bytes
}

function readRandom(size: number): Buffer {
  if (process.platform !== 'win32') {
    const bytes = readUrandom(size)
    if (bytes) return bytes
  }
  return nodeCrypto().randomBytes(size)
}

/** A random (version 4) UUID, as crypto.randomUUID() gives. */
export function randomUUID(): string {
  const bytes = randomBytes(16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function readUrandom(size: number): Buffer | undefined {
  let fd: number | undefined
  try {
    fd = fs.openSync('/dev/urandom', 'r')
    const bytes = Buffer.alloc(size)
    for (let offset = 0; offset < size;) {
      const read = fs.readSync(fd, bytes, offset, size - offset, null)
      if (read <= 0) return undefined
      offset += read
    }
    return bytes
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) fs.closeSync(fd)
  }
}
