import { describe, expect, it } from '@jest/globals'
import { MEMORY_RETRY_MS, MemoryGate } from '../../src/exec/memory-gate.js'
import { type MemoryReading, systemMemory } from '../../src/system/memory.js'

const GiB = 1024 ** 3

/** A reader that gives the figures of `available` in turn, and counts its readings. */
function readings(...available: number[]): { read: () => MemoryReading; count: () => number } {
  let count = 0
  return {
    read: () => ({
      available: available[Math.min(count++, available.length - 1)] ?? 0,
      total: 8 * GiB
    }),
    count: () => count
  }
}

describe('MemoryGate', () => {
  it('admits while the memory available is at least memfree, refuses below it', () => {
    const memory = readings(3 * GiB, 2 * GiB, 2 * GiB - 1, 5 * GiB)
    const gate = new MemoryGate({ memfree: 2 * GiB, read: memory.read })
    expect([gate.admits(), gate.admits(), gate.admits(), gate.admits()]).toEqual([
      true,
      true,
      false,
      true
    ])
  })

  it('reads the memory afresh each time it is asked, and keeps the last reading', () => {
    const memory = readings(3 * GiB, 1 * GiB, 4 * GiB)
    const gate = new MemoryGate({ memfree: 2 * GiB, read: memory.read })
    expect(gate.available).toBeUndefined()
    expect(memory.count()).toBe(0)
    gate.admits()
    expect(gate.available).toBe(3 * GiB)
    gate.admits()
    expect(gate.available).toBe(1 * GiB)
    gate.admits()
    expect(memory.count()).toBe(3)
    expect(gate.available).toBe(4 * GiB)
  })

  it('says the first refusal only, with the memory available then', () => {
    const waits: number[] = []
    const memory = readings(1 * GiB, 3 * GiB, GiB / 2, GiB / 4)
    const gate = new MemoryGate({
      memfree: 2 * GiB,
      read: memory.read,
      onFirstWait: available => waits.push(available)
    })
    for (let asked = 0; asked < 4; asked++) gate.admits()
    expect(waits).toEqual([1 * GiB])
  })

  it('asks again after 500 ms unless told otherwise', () => {
    const { read } = readings(GiB)
    expect(MEMORY_RETRY_MS).toBe(500)
    expect(new MemoryGate({ memfree: GiB, read }).retryMs).toBe(500)
    expect(new MemoryGate({ memfree: GiB, read, retryMs: 20 }).retryMs).toBe(20)
  })

  const onLinux = process.platform === 'linux' ? it : it.skip
  onLinux('reads the real memory of this machine through the system reader', () => {
    const source = systemMemory()
    if (!('read' in source)) throw new Error('Linux should be supported')
    const { total } = source.read()
    // Nothing is ever available beyond the total; one byte always is.
    expect(new MemoryGate({ memfree: total + 1, read: source.read }).admits()).toBe(false)
    expect(new MemoryGate({ memfree: 1, read: source.read }).admits()).toBe(true)
  })
})
