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
    // Rounded up to a whole byte: the limit is never below the size written.
    ['1.2G', 1_288_490_189],
    ['0.001K', 2],
    ['0.0001K', 1],
    ['1.0000001K', 1025],
    ['8191.999999999999T', 9_007_199_254_740_991],
    // Read from the digits as written: a double's product is one byte below the size.
    ['7590.23T', 8_345_546_142_494_229]
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
    '0.000G',
    '8192T',
    '8191.9999999999999T',
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

  it('reads every size spelling as the fewest whole bytes not below it, or refuses it', () => {
    let accepted = 0
    let zero = 0
    let tooLarge = 0
    let doubleWrong = 0
    for (let run = 0; run < 5000; run++) {
      const [letter, power] = pick([
        ['k', 1],
        ['m', 2],
        ['g', 3],
        ['t', 4]
      ] as const)
      // Now and then a zero, which is refused; from fractions of a byte to past 8 PiB.
      const whole = random(10) === 0 ? '0' : String(random(10 ** (1 + random(5))))
      const digits = random(3) === 0 ? '' : String(random(10 ** (1 + random(9))))
      const fraction = digits.padStart(digits.length + random(4), '0')
      const number = fraction === '' ? whole : `${whole}.${fraction}`
      const suffix = pick(['', 'b', 'ib'])
      const spelled = [...`${number}${pick(['', ' '])}${letter}${suffix}`]
        .map(char => (random(2) === 0 ? char.toUpperCase() : char))
        .join('')
      // The size written is scaled / 10^places bytes, exactly.
      const scaled = BigInt(whole + fraction) * 1024n ** BigInt(power)
      const places = 10n ** BigInt(fraction.length)
      if (scaled === 0n || scaled > BigInt(Number.MAX_SAFE_INTEGER) * places) {
        if (scaled === 0n) zero++
        else tooLarge++
        expect(() => parseSize(spelled)).toThrow(`Invalid memfree '${spelled}'.`)
        continue
      }
      accepted++
      const bytes = BigInt(parseSize(spelled) as number)
      // Not below the size written, and one byte less would be.
      expect(bytes * places).toBeGreaterThanOrEqual(scaled)
      expect((bytes - 1n) * places).toBeLessThan(scaled)
      if (Math.ceil(Number(number) * 1024 ** power) !== Number(bytes)) doubleWrong++
    }
    // 4,603 read, 182 zeros and 215 past 8 PiB refused with this seed; 41 of those read are
    // sizes a double's product would put a byte below the size written.
    expect(accepted).toBeGreaterThan(4400)
    expect(zero).toBeGreaterThan(120)
    expect(tooLarge).toBeGreaterThan(150)
    expect(doubleWrong).toBeGreaterThan(30)
  })

  it('reads every one-decimal size in M or G back as written', () => {
    let sizes = 0
    for (const [letter, unit] of [
      ['M', 'MiB'],
      ['G', 'GiB']
    ] as const) {
      for (let whole = 1; whole < 1024; whole++) {
        for (let tenth = 0; tenth < 10; tenth++) {
          const bytes = parseSize(`${whole}.${tenth}${letter}`) as number
          expect(formatBytes(bytes)).toBe(`${tenth === 0 ? whole : `${whole}.${tenth}`} ${unit}`)
          sizes++
        }
      }
    }
    expect(sizes).toBe(20_460)
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
    // Quoted as given, as every memfree message quotes it.
    printed = []
    expect(readMemfree(' 2G ', macOS)).toBeUndefined()
    expect(printed).toEqual(["::notice::memfree ' 2G ' is not applied here: the reason.\n"])
    expect(() => readMemfree(' 64G ', machine(8 * GiB))).toThrow("Invalid memfree ' 64G ': this")
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
