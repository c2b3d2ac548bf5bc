/** Lines of a task's output as its excerpt shows them (OutputExcerpt): counting, cutting, marks. */

export const LF = 0x0a
export const CR = 0x0d

/** One line as shown: its kept bytes, and how many were cut off at its end or its start. */
export interface ShownLine {
  bytes: Buffer
  cutAtEnd: number
  cutAtStart: number
}

/** Bytes sampled at a chunk's start to tell short lines from long ones. */
const DENSITY_SAMPLE = 256
/**
 * Average line length below which a byte loop counts faster than one native search per line
 * (equal at 12 bytes; the search 1.4 times faster at 16 and 2.7 at 30: see decision 015).
 */
const SHORT_LINE_BYTES = 12

/** Whether `breaks` line breaks in `sampled` bytes make lines short enough to count byte by byte. */
export function countsByteByByte(breaks: number, sampled: number): boolean {
  return breaks * SHORT_LINE_BYTES > sampled
}

/**
 * How many LFs a chunk holds, and where its last two are (-1 for none). One native search per
 * line is fastest but for the shortest lines, which are counted byte by byte.
 */
export function lineBreaksIn(chunk: Buffer): { breaks: number; last: number; beforeLast: number } {
  let breaks = 0
  let last = -1
  let beforeLast = -1
  const sample = Math.min(DENSITY_SAMPLE, chunk.length)
  for (let at = 0; at < sample; at++) {
    if (chunk[at] !== LF) continue
    beforeLast = last
    last = at
    breaks++
  }
  if (countsByteByByte(breaks, DENSITY_SAMPLE)) {
    for (let at = sample; at < chunk.length; at++) {
      if (chunk[at] !== LF) continue
      beforeLast = last
      last = at
      breaks++
    }
    return { breaks, last, beforeLast }
  }
  for (let at = chunk.indexOf(LF, sample); at !== -1; at = chunk.indexOf(LF, at + 1)) {
    beforeLast = last
    last = at
    breaks++
  }
  return { breaks, last, beforeLast }
}

/** A line as the excerpt prints it, with its cut marks. */
export function lineText(line: ShownLine): string {
  return startMark(line.cutAtStart) + line.bytes.toString('utf8') + endMark(line.cutAtEnd)
}

/** Bytes a shown line takes as text, marks and replaced invalid UTF-8 included. */
export function shownBytes(line: ShownLine): number {
  return Buffer.byteLength(lineText(line))
}

function startMark(cut: number): string {
  return cut > 0 ? `(${count(cut)} earlier bytes) …` : ''
}

function endMark(cut: number): string {
  return cut > 0 ? `… (${count(cut)} more bytes)` : ''
}

function count(value: number): string {
  return value.toLocaleString('en-US')
}

/** `end`, or one less when a CR stands before it (the CR of a CR LF). */
export function withoutCR(bytes: Buffer, end: number): number {
  return end > 0 && bytes[end - 1] === CR ? end - 1 : end
}

/** The largest index <= `index` that starts a UTF-8 character (a cut there splits none). */
export function characterStartAtOrBefore(bytes: Buffer, index: number): number {
  let start = index
  // A character is at most 4 bytes: three continuation bytes back at most.
  while (start > 0 && index - start < 3 && ((bytes[start] as number) & 0xc0) === 0x80) start--
  return ((bytes[start] as number) & 0xc0) === 0x80 ? index : start
}

/** Moves `index` forward past UTF-8 continuation bytes so decoding doesn't start mid-character. */
export function alignToCharacterStart(bytes: Buffer, index: number): number {
  let aligned = index
  while (
    aligned < bytes.length &&
    aligned - index < 3 &&
    ((bytes[aligned] as number) & 0xc0) === 0x80
  ) {
    aligned++
  }
  return aligned
}
