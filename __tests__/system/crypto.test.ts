import { describe, expect, it } from '@jest/globals'
import { nodeCrypto, randomBytes, randomUUID } from '../../src/system/crypto.js'

describe('randomBytes', () => {
  it('gives as many bytes as asked, different every time', () => {
    const seen = new Set<string>()
    for (let index = 0; index < 200; index++) {
      const bytes = randomBytes(16)
      expect(bytes).toHaveLength(16)
      seen.add(bytes.toString('hex'))
    }
    expect(seen.size).toBe(200)
    expect(randomBytes(0)).toHaveLength(0)
    expect(randomBytes(100_000)).toHaveLength(100_000)
  })

  it('refuses a size that is not a whole number from 0 and up, and hands out no byte twice', () => {
    expect(() => randomBytes(-1)).toThrow(
      'Expected size to be a whole number from 0 and up, got -1'
    )
    expect(() => randomBytes(1.5)).toThrow(RangeError)
    // 1,024 draws of 4 bytes run through the 1 KiB pool four times; random 32-bit values repeat
    // about once in 8,000 such runs, bytes handed out again would repeat many times.
    const words = new Set<string>()
    for (let index = 0; index < 1024; index++) words.add(randomBytes(4).toString('hex'))
    expect(words.size).toBeGreaterThan(1020)
  })

  it('looks uniform: every byte value turns up in 64 KiB', () => {
    const counts = new Array<number>(256).fill(0)
    for (const byte of randomBytes(65_536)) counts[byte] = (counts[byte] as number) + 1
    // 256 expected per value; a broken source (all zeros, a counter, ASCII only) fails this.
    expect(Math.min(...counts)).toBeGreaterThan(150)
    expect(Math.max(...counts)).toBeLessThan(380)
  })
})

describe('randomUUID', () => {
  it('is a version 4 UUID in crypto.randomUUID’s format', () => {
    for (let index = 0; index < 100; index++) {
      expect(randomUUID()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
      )
    }
    expect(randomUUID()).not.toBe(randomUUID())
  })
})

describe('nodeCrypto', () => {
  it('is node:crypto', () => {
    expect(nodeCrypto().createHash('sha256').update('').digest('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    )
  })
})
