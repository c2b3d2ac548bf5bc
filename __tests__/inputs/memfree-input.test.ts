import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { totalmem } from 'node:os'
import { parseSize } from '../../src/inputs/input-values.js'
import { readMemfree } from '../../src/inputs/memfree-input.js'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { formatBytes, type MemorySource } from '../../src/system/memory.js'

const KiB = 1024
const MiB = 1024 ** 2
const GiB = 1024 ** 3
const TiB = 1024 ** 4

describe('parseSize', () => {
  it.each([
    ['512M', 512 * MiB],
    ['512m', 512 * MiB],
    ['512MB', 512 * MiB],
    ['512mb', 512 * MiB],
    ['2G', 2 * GiB],
    ['2GiB', 2 * GiB],
    ['2gib', 2 * GiB],
    ['1.5G', 1.5 * GiB],
    ['.5G', GiB / 2],
    ['64K', 64 * KiB],
    ['64kB', 64 * KiB],
    ['1T', TiB],
    ['1TiB', TiB],
    [' 2 G ', 2 * GiB],
    ['2 GiB', 2 * GiB],
    ['0.001K', 1],
    ['1.0000001K', 1024]
  ])('%p is %p bytes', (value, bytes) => {
    expect(parseSize(value)).toBe(bytes)
  })

  it('is undefined when empty or blank: no limit', () => {
    expect(parseSize('')).toBeUndefined()
    expect(parseSize('  ')).toBeUndefined()
  })

  it.each([
    '512',
    '0',
    '0G',
    '0.0M',
    '0.0001K',
    '-1G',
    '-512M',
    '2X',
    '2P',
    '2Gx',
    '2GBB',
    '2iB',
    'G',
    '1.G',
    '1,5G',
    '1e3M',
    'two G',
    '2 G B',
    '9'.repeat(400) + 'G'
  ])('refuses %p, naming the input', value => {
    expect(() => parseSize(value)).toThrow(
      `Invalid memfree '${value}'. Expected a size such as 512M or 2G (K, M, G or T, counted in 1024s).`
    )
  })
})

describe('parseSize over random spellings', () => {
  let seed = 20261207
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return Math.floor((seed / 2 ** 31) * n)
  }
  const pick = <T>(values: readonly T[]): T => values[random(values.length)] as T

  it('reads every size spelling as its number times 1024 per unit step, in any case', () => {
    let accepted = 0
    let zero = 0
    for (let run = 0; run < 3000; run++) {
      const [letter, power] = pick([
        ['k', 1],
        ['m', 2],
        ['g', 3],
        ['t', 4]
      ] as const)
      // Now and then a zero, which is refused, and a fraction of a byte, which counts as zero.
      const whole = random(10) === 0 ? 0 : random(2000)
      const number = `${whole}${random(2) === 0 ? '' : `.${pick([random(1000), 0, '0001'])}`}`
      const suffix = pick(['', 'b', 'ib'])
      const spelled = [...`${number}${pick(['', ' '])}${letter}${suffix}`]
        .map(char => (random(2) === 0 ? char.toUpperCase() : char))
        .join('')
      const bytes = Math.floor(Number(number) * 1024 ** power)
      if (bytes === 0) {
        zero++
        expect(() => parseSize(spelled)).toThrow(`Invalid memfree '${spelled}'.`)
      } else {
        accepted++
        expect(parseSize(spelled)).toBe(bytes)
      }
    }
    // 2,789 read and 211 zeros refused with this seed.
    expect(accepted).toBeGreaterThan(2700)
    expect(zero).toBeGreaterThan(150)
  })

  it('refuses, with its message, whatever is not a size, and reads nothing as less than a byte', () => {
    const ALPHABET = [...'0123456789.kmgtKMGTbiBIx- +eE,']
    let refused = 0
    for (let run = 0; run < 5000; run++) {
      const text = Array.from({ length: 1 + random(6) }, () => pick(ALPHABET)).join('')
      let bytes: number | undefined
      try {
        bytes = parseSize(text)
      } catch (error) {
        refused++
        expect((error as Error).message).toBe(
          `Invalid memfree '${text}'. Expected a size such as 512M or 2G (K, M, G or T, counted in 1024s).`
        )
        continue
      }
      if (bytes === undefined) {
        expect(text.trim()).toBe('')
        continue
      }
      expect(Number.isSafeInteger(bytes) && bytes >= 1).toBe(true)
      expect(text.trim()).toMatch(/^[\d.]+ ?[kmgt](i?b)?$/i)
    }
    // 4,848 of the 5,000 refused with this seed; the rest read or blank.
    expect(refused).toBeGreaterThan(4500)
    expect(refused).toBeLessThan(5000)
  })
})

describe('readMemfree', () => {
  let printed: string[] = []
  beforeEach(() => {
    printed = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    jest.restoreAllMocks()
  })
  const machine = (total: number): MemorySource => ({
    read: () => ({ available: total / 2, total })
  })

  it('takes a size up to the total memory of the machine', () => {
    expect(readMemfree('2G', machine(7.8 * GiB))).toBe(2 * GiB)
    expect(readMemfree('8G', machine(8 * GiB))).toBe(8 * GiB)
    expect(readMemfree('', machine(8 * GiB))).toBeUndefined()
    expect(printed).toEqual([])
  })

  it('refuses a size above the total memory, saying the most it may be', () => {
    expect(() => readMemfree('64G', machine(7.86 * GiB))).toThrow(
      "Invalid memfree '64G': this machine has 7.8 GiB of memory in all, so no task could start " +
        'with that much available. Expected at most 7.8 GiB.'
    )
    // One byte over is over.
    expect(() => readMemfree('8193M', machine(8 * GiB))).toThrow(
      "Invalid memfree '8193M': this machine has 8 GiB of memory in all"
    )
  })

  it('refuses a bad size before looking at the machine', () => {
    const unread: MemorySource = {
      read: () => {
        throw new Error('read')
      }
    }
    expect(() => readMemfree('512', unread)).toThrow("Invalid memfree '512'. Expected a size")
  })

  it('where memory is not read, leaves the limit out with one notice saying why', () => {
    const macOS: MemorySource = { unsupported: 'the reason' }
    expect(readMemfree('2G', macOS)).toBeUndefined()
    expect(printed).toEqual(["::notice::memfree '2G' is not applied here: the reason.\n"])
    // Not set: nothing to say.
    printed = []
    expect(readMemfree('', macOS)).toBeUndefined()
    expect(printed).toEqual([])
  })
})

describe('getInputs with memfree', () => {
  const onLinux = process.platform === 'linux' ? it : it.skip
  afterEach(() => {
    for (const name of Object.keys(process.env))
      if (name.startsWith('INPUT_')) delete process.env[name]
  })

  onLinux('reads memfree into the execution settings, in bytes', async () => {
    process.env.INPUT_ITEMS = 'a'
    process.env.INPUT_MEMFREE = '1M'
    expect((await getInputs()).execution.memfree).toBe(MiB)
    process.env.INPUT_MEMFREE = ''
    expect((await getInputs()).execution).not.toHaveProperty('memfree')
  })

  onLinux("refuses more than this machine's memory before anything runs", async () => {
    process.env.INPUT_ITEMS = 'a'
    process.env.INPUT_MEMFREE = '64T'
    const most = formatBytes(totalmem())
    await expect(getInputs()).rejects.toThrow(
      `Invalid memfree '64T': this machine has ${most} of memory in all, so no task could start ` +
        `with that much available. Expected at most ${most}.`
    )
  })

  it('refuses a bare number', async () => {
    process.env.INPUT_ITEMS = 'a'
    process.env.INPUT_MEMFREE = '512'
    await expect(getInputs()).rejects.toThrow(
      "Invalid memfree '512'. Expected a size such as 512M or 2G (K, M, G or T, counted in 1024s)."
    )
  })
})
