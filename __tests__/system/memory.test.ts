import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { freemem, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import {
  formatBytes,
  MEMINFO_PATH,
  meminfoReading,
  readMeminfo,
  systemMemory
} from '../../src/system/memory.js'

const dir = mkdtempSync(join(tmpdir(), 'memory-'))
const onLinux = process.platform === 'linux' ? it : it.skip
/** A fallback whose figures no meminfo line could give, to see when it is used. */
const fallback = { freemem: () => 111, totalmem: () => 222 }

/** Writes `text` to a fresh file and returns its path. */
function meminfoFile(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('readMeminfo', () => {
  onLinux('reads MemAvailable and MemTotal of the real /proc/meminfo, in bytes', () => {
    const real = readFileSync(MEMINFO_PATH, 'utf8')
    const total = Number(/^MemTotal:\s+(\d+) kB$/m.exec(real)?.[1]) * 1024
    const reading = readMeminfo()
    // libuv reads the same line for os.totalmem().
    expect(reading.total).toBe(total)
    expect(reading.total).toBe(totalmem())
    expect(reading.available).toBeGreaterThan(0)
    expect(reading.available).toBeLessThanOrEqual(reading.total)
  })

  onLinux('reads a copy of the real file the same way, every line but the two ignored', () => {
    const real = readFileSync(MEMINFO_PATH, 'utf8')
    const available = Number(/^MemAvailable:\s+(\d+) kB$/m.exec(real)?.[1]) * 1024
    const copy = meminfoFile('copy', real)
    expect(readMeminfo(copy, fallback)).toEqual({ available, total: totalmem() })
  })

  it('reads a crafted file exactly, whatever the order and spacing of its lines', () => {
    const path = meminfoFile(
      'crafted',
      'MemFree:          100 kB\nMemAvailable:    2048 kB\nBuffers: 5 kB\nMemTotal:   4096 kB\n'
    )
    expect(readMeminfo(path, fallback)).toEqual({ available: 2048 * 1024, total: 4096 * 1024 })
  })

  it('reads the file afresh each time', () => {
    const path = meminfoFile('changing', 'MemTotal: 4096 kB\nMemAvailable: 1024 kB\n')
    expect(readMeminfo(path, fallback).available).toBe(1024 * 1024)
    writeFileSync(path, 'MemTotal: 4096 kB\nMemAvailable: 3072 kB\n')
    expect(readMeminfo(path, fallback).available).toBe(3072 * 1024)
  })

  it('takes os.freemem() without MemAvailable (kernels before 3.14)', () => {
    const path = meminfoFile('old-kernel', 'MemTotal:  4096 kB\nMemFree:  1000 kB\n')
    expect(readMeminfo(path, fallback)).toEqual({ available: 111, total: 4096 * 1024 })
    // With the real fallback, libuv's own figure.
    const real = readMeminfo(path).available
    expect(real).toBeGreaterThan(0)
    expect(real).toBeLessThanOrEqual(totalmem())
  })

  it('falls back on os.freemem() and os.totalmem() when the file cannot be read', () => {
    expect(readMeminfo(join(dir, 'missing'), fallback)).toEqual({ available: 111, total: 222 })
  })

  it('does not take a line that only starts with the name, or one in other units', () => {
    expect(meminfoReading('MemAvailableX: 5 kB\nMemTotal: 7 MB\n', fallback)).toEqual({
      available: 111,
      total: 222
    })
  })
})

describe('systemMemory', () => {
  it('reads /proc/meminfo on Linux, at the path given', () => {
    const path = meminfoFile('linux', 'MemTotal: 8 kB\nMemAvailable: 4 kB\n')
    const source = systemMemory('linux', path)
    expect('read' in source && source.read()).toEqual({ available: 4096, total: 8192 })
  })

  it("reads libuv's figures on Windows", () => {
    const source = systemMemory('win32')
    if (!('read' in source)) throw new Error('Windows should be supported')
    const reading = source.read()
    expect(reading.total).toBe(totalmem())
    expect(reading.available).toBeGreaterThan(0)
    expect(reading.available).toBeLessThanOrEqual(Math.max(freemem(), reading.total))
  })

  it('says why memory is not read on macOS and elsewhere', () => {
    expect(systemMemory('darwin')).toEqual({
      unsupported:
        "macOS's free memory leaves out the file cache and compressed memory the system would " +
        'reclaim, so a limit on it would hold tasks back for no reason'
    })
    expect(systemMemory('freebsd')).toEqual({
      unsupported: 'the memory available is read on Linux and Windows only, not freebsd'
    })
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [2, '2 bytes'],
    [1023, '1023 bytes'],
    [1024, '1 KiB'],
    [512 * 1024 ** 2, '512 MiB'],
    [2 * 1024 ** 3, '2 GiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
    // Rounded down: a bound said is never above the true figure.
    [7.89 * 1024 ** 3, '7.8 GiB'],
    [1024 ** 3 - 1, '1023.9 MiB'],
    [3 * 1024 ** 4, '3 TiB'],
    [5000 * 1024 ** 4, '5000 TiB']
  ])('%p bytes is %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
})
