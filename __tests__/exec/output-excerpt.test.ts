import { describe, expect, it } from '@jest/globals'
import * as fc from 'fast-check'
import { countsByteByByte, lineBreaksIn } from '../../src/exec/excerpt-lines.js'
import {
  DEFAULT_EXCERPT_LIMITS,
  OutputExcerpt,
  type ExcerptLimits
} from '../../src/exec/output-excerpt.js'

const LF = 0x0a

/** The output's lines as the excerpt counts them: a final line break ends the last one. */
function linesOf(all: Buffer): Buffer[] {
  if (all.length === 0) return []
  const lines: Buffer[] = []
  let start = 0
  for (let index = all.indexOf(LF); index !== -1; index = all.indexOf(LF, start)) {
    const end = index > start && all[index - 1] === 0x0d ? index - 1 : index
    lines.push(all.subarray(start, end))
    start = index + 1
  }
  if (start < all.length) lines.push(all.subarray(start))
  return lines
}

function excerptOf(data: Buffer, limits: Partial<ExcerptLimits>, sizes: number[] = [data.length]) {
  const excerpt = new OutputExcerpt(limits)
  let offset = 0
  for (let index = 0; offset < data.length; index++) {
    const size = Math.max(1, sizes[index % sizes.length] ?? 1)
    excerpt.write(data.subarray(offset, offset + size))
    offset += size
  }
  return excerpt
}

const endCut = /^([^]*)… \(([\d,]+) more bytes\)$/
const startCut = /^\(([\d,]+) earlier bytes\) …([^]*)$/
const leftOut = /^… ([\d,]+) lines? left out …$/
const number = (text: string): number => Number(text.replace(/,/g, ''))

/** Checks that `shown` is `line`, or its start or end cut with a mark counting what is cut. */
function expectShownAs(shown: string, line: Buffer, lineBytes: number, isLast: boolean): void {
  if (shown === line.toString('utf8')) return
  const atEnd = endCut.exec(shown)
  const atStart = startCut.exec(shown)
  const cut = atEnd ? number(atEnd[2] as string) : number((atStart as RegExpExecArray)[1] as string)
  const kept = line.length - cut
  expect(line.length).toBeGreaterThan(lineBytes)
  expect(kept).toBeLessThanOrEqual(lineBytes)
  if (atEnd) {
    // Cut at a character's start, so at most 3 bytes short of the cap.
    expect(kept).toBeGreaterThanOrEqual(Math.min(lineBytes - 3, line.length))
    expect(atEnd[1]).toBe(line.subarray(0, kept).toString('utf8'))
  } else {
    // Only the last line is shown by its end.
    expect(isLast).toBe(true)
    expect(atStart?.[2]).toBe(line.subarray(cut).toString('utf8'))
  }
}

const byte = fc.constantFrom(0x61, 0x62, 0x20, 0x0a, 0x0a, 0x0d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff)
// Output of short lines, and of long ones (counted another way: see lineBreaksIn).
const output = fc.oneof(
  fc.array(byte, { maxLength: 600 }),
  fc.array(fc.oneof({ weight: 40, arbitrary: fc.constant(0x61) }, { weight: 1, arbitrary: byte }), {
    maxLength: 1200
  })
)
const limitsArbitrary = fc.record({
  headLines: fc.integer({ min: 0, max: 6 }),
  headBytes: fc.integer({ min: 0, max: 80 }),
  tailLines: fc.integer({ min: 0, max: 8 }),
  tailBytes: fc.integer({ min: 0, max: 120 }),
  lineBytes: fc.integer({ min: 1, max: 40 })
})

describe('OutputExcerpt', () => {
  let cases = 0
  it('shows whole lines of the original, head then tail, and counts those left out exactly', () => {
    fc.assert(
      fc.property(
        output,
        fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 12 }),
        limitsArbitrary,
        (bytes, sizes, limits) => {
          cases++
          const data = Buffer.from(bytes)
          const lines = linesOf(data)
          const excerpt = excerptOf(data, limits, sizes)
          const text = excerpt.excerpt()
          // Chunking changes nothing.
          expect(excerptOf(data, limits).excerpt()).toBe(text)

          // An empty text is one empty line, or no output at all.
          const shown = text === '' ? lines.map(() => '') : text.split('\n')
          const mark = shown.findIndex(line => leftOut.test(line))
          const leftOutLines =
            mark === -1 ? 0 : number(leftOut.exec(shown[mark] as string)?.[1] ?? '')
          expect(shown.filter(line => leftOut.test(line)).length).toBeLessThanOrEqual(1)
          const head = mark === -1 ? shown : shown.slice(0, mark)
          const tail = mark === -1 ? [] : shown.slice(mark + 1)
          const all = [...head, ...tail]
          // Nothing shown twice, nothing missing from the count.
          expect(all.length + leftOutLines).toBe(lines.length === 0 ? 0 : lines.length)
          head.forEach((line, index) => {
            expectShownAs(
              line,
              lines[index] as Buffer,
              limits.lineBytes,
              index === lines.length - 1
            )
          })
          tail.forEach((line, index) => {
            const original = lines.length - tail.length + index
            expectShownAs(
              line,
              lines[original] as Buffer,
              limits.lineBytes,
              original === lines.length - 1
            )
          })
          // Each side within its limits.
          const bytesOf = (side: string[]): number => Buffer.byteLength(side.join('\n'))
          if (mark !== -1) {
            expect(head.length).toBeLessThanOrEqual(limits.headLines)
            expect(tail.length).toBeLessThanOrEqual(limits.tailLines)
            expect(bytesOf(tail)).toBeLessThanOrEqual(limits.tailBytes)
          }
          expect(bytesOf(head) + bytesOf(tail)).toBeLessThanOrEqual(
            limits.headBytes + limits.tailBytes + 1
          )
          // What fits is shown whole (invalid UTF-8 shown as U+FFFD takes more bytes).
          const whole = lines.map(line => line.toString('utf8')).join('\n')
          const longest = Math.max(0, ...lines.map(line => line.length))
          if (
            lines.length <= limits.headLines &&
            Buffer.byteLength(whole) <= limits.headBytes &&
            longest <= limits.lineBytes
          ) {
            expect(text).toBe(whole)
          }
          // Memory holds the limits, not the output.
          expect(excerpt.capturedBytes).toBeLessThanOrEqual(
            limits.headBytes + limits.lineBytes + 4 + limits.tailBytes + 8
          )
        }
      ),
      { numRuns: 5000 }
    )
    expect(cases).toBeGreaterThanOrEqual(5000)
  })

  it('counts a line break at any place of a large chunk, among short lines or long ones', () => {
    const limits = { headLines: 1, tailLines: 2, tailBytes: 30, lineBytes: 8 }
    for (const filler of ['abcdefghijklmnopqrstuvwxyz0123456789', 'ab\n']) {
      for (let place = 0; place < 600; place++) {
        const data = Buffer.from(filler.repeat(300).slice(0, 600))
        data[place] = LF
        const written = new OutputExcerpt(limits)
        written.write(Buffer.from('first line\n'))
        written.write(data)
        const byteByByte = excerptOf(
          Buffer.concat([Buffer.from('first line\n'), data]),
          limits,
          [1]
        )
        expect(written.excerpt()).toBe(byteByByte.excerpt())
      }
    }
  })

  it('counts lines byte by byte only where that is faster: lines under 12 bytes', () => {
    // Measured (MB/s, native search vs byte loop): 10 B 832/958, 12 B 993/956, 16 B 1332/945.
    const sample = (lineBytes: number): Buffer =>
      Buffer.from(('a'.repeat(lineBytes - 1) + '\n').repeat(64)).subarray(0, 256)
    const decided = (lineBytes: number): boolean => {
      const chunk = sample(lineBytes)
      return countsByteByByte(lineBreaksIn(chunk).breaks, chunk.length)
    }
    expect([8, 10, 11].map(decided)).toEqual([true, true, true])
    expect([13, 16, 20, 30, 80].map(decided)).toEqual([false, false, false, false, false])
  })

  it('keeps the failing line at the top and the summary at the bottom of a long test run', () => {
    const output = [
      'FAIL packages/web/src/__tests__/router.test.tsx',
      '  ● router › redirects',
      ...Array.from(
        { length: 500 },
        (_, i) => `    at frame ${i} (node_modules/x/index.js:${i}:7)`
      ),
      'Tests:       1 failed, 41 passed, 42 total',
      ''
    ].join('\r\n')
    const text = excerptOf(Buffer.from(output), {}).excerpt()
    const shown = text.split('\n')
    expect(shown[0]).toBe('FAIL packages/web/src/__tests__/router.test.tsx')
    expect(shown[19]).toBe('    at frame 17 (node_modules/x/index.js:17:7)')
    expect(shown[20]).toBe('… 433 lines left out …')
    expect(shown[21]).toBe('    at frame 451 (node_modules/x/index.js:451:7)')
    expect(shown.at(-1)).toBe('Tests:       1 failed, 41 passed, 42 total')
    expect(shown).toHaveLength(20 + 1 + 50)
    expect(Buffer.byteLength(text)).toBeLessThan(
      DEFAULT_EXCERPT_LIMITS.headBytes + DEFAULT_EXCERPT_LIMITS.tailBytes + 100
    )
  })

  it('cuts a long line at a character boundary and says how much is left out', () => {
    const long = 'é'.repeat(600)
    const text = excerptOf(Buffer.from(`${long}\nshort\n${long}`), {
      headLines: 1,
      lineBytes: 11
    }).excerpt()
    // The first line by its start, the last by its end.
    expect(text.split('\n')).toEqual([
      'ééééé… (1,190 more bytes)',
      'short',
      '(1,190 earlier bytes) …ééééé'
    ])
    // The end of a last line longer than the window: its start is gone, its end is shown.
    const huge = excerptOf(Buffer.from('x'.repeat(100_000)), { headLines: 0, lineBytes: 10 })
    expect(huge.excerpt()).toBe('(99,990 earlier bytes) …xxxxxxxxxx')
  })

  it('shows a long last line by its end, its latest state, however long it is', () => {
    // A progress bar redrawn with carriage returns: one line of 1–6 KiB, its end the latest state.
    for (const updates of [60, 200, 400]) {
      const bar = Array.from({ length: updates }, (_, i) => `\rDownloading ${i + 1} of ${updates}`)
      const progress = bar.join('')
      const latest = `Downloading ${updates} of ${updates}`
      const ending = ['', '\n', '\r\n']
      for (const [end, headLines] of ending.flatMap(end => [1, 20].map(h => [end, h] as const))) {
        const text = excerptOf(Buffer.from(`start\n${progress}${end}`), { headLines }).excerpt()
        const shown = text.split('\n')
        expect(shown).toHaveLength(2)
        expect(shown[0]).toBe('start')
        expect(shown[1]).toMatch(/^\([\d,]+ earlier bytes\) …/)
        expect(shown[1]?.endsWith(latest)).toBe(true)
        const cut = number(startCut.exec(shown[1] as string)?.[1] ?? '')
        expect(cut + DEFAULT_EXCERPT_LIMITS.lineBytes).toBe(Buffer.byteLength(progress))
      }
      // Before the last line it is shown by its start, as every other line.
      const middle = excerptOf(Buffer.from(`${progress}\nERROR: checksum\n`), {}).excerpt()
      expect(middle.split('\n')[0]).toMatch(/^\rDownloading 1 of \d+\r[^]*… \([\d,]+ more bytes\)$/)
      expect(middle.split('\n')[1]).toBe('ERROR: checksum')
    }
  })

  it('holds a few KiB however much is printed', () => {
    const excerpt = new OutputExcerpt()
    const chunk = Buffer.from('a line of output that goes on for a while\n'.repeat(1000))
    for (let index = 0; index < 2000; index++) excerpt.write(chunk)
    const { headBytes, tailBytes, lineBytes } = DEFAULT_EXCERPT_LIMITS
    expect(excerpt.capturedBytes).toBeLessThanOrEqual(headBytes + tailBytes + lineBytes + 12)
    expect(excerpt.excerpt()).toContain('\n… 1,999,930 lines left out …\n')
  })
})
