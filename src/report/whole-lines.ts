import { cut } from '../model/labels.js'
import { leftOutLinesMark } from '../model/left-out-lines.js'

/** Share of the budget the first lines get; the rest goes to the last lines, where errors end. */
const HEAD_SHARE = 1 / 3

/**
 * Text cut to about `maxChars` at line boundaries: its first and last whole lines, with a line
 * saying how many were left out between them. A single line longer than its share is cut at a
 * character boundary with a mark, since no line boundary is near.
 */
export function wholeLinesWithin(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const lines = text.split(/(?<=\n)/)
  const headRoom = Math.floor(maxChars * HEAD_SHARE)
  const head: string[] = []
  let used = 0
  for (const line of lines) {
    if (used + line.length > headRoom) break
    head.push(line)
    used += line.length
  }
  const tail: string[] = []
  for (let index = lines.length - 1; index >= head.length; index--) {
    const line = lines[index] as string
    if (used + line.length > maxChars) break
    tail.push(line)
    used += line.length
  }
  tail.reverse()
  if (head.length > 0 || tail.length > 0) {
    return head.join('') + leftOutLine(lines.length - head.length - tail.length) + tail.join('')
  }
  // Not one whole line fits: the first line's start, cut with a mark.
  const first = (lines[0] as string).replace(/\n$/, '')
  return `${cut(first, maxChars)}\n${lines.length > 1 ? leftOutLine(lines.length - 1) : ''}`
}

/** The line that stands for the lines left out, with its line break. */
function leftOutLine(count: number): string {
  return `${leftOutLinesMark(count)}\n`
}
