import { cut } from '../model/labels.js'
import { plainText } from './terminal-text.js'

/** Lines of a task's output an annotation shows, at most. */
export const ANNOTATION_LINES = 8
/** Of those, lines from before the last ones that look like failures, at most. */
const FAILURE_LINES = 3
/** Characters of one line an annotation shows. */
const LINE_CHARS = 300
/** Characters of a task's error an annotation shows. */
const ERROR_CHARS = 500

// Words and marks test runners, compilers and shells put on the lines that say what went wrong.
const LOOKS_LIKE_FAILURE =
  /error|fail|fatal|panic|exception|assert|traceback|timed out|not ok|[✕✖✗×●❌]/i
/**
 * The lines of an excerpt worth an annotation: up to 3 early lines that look like failures (such
 * as jest's `FAIL path` or the note of earlier attempts), then the last lines, at most
 * ANNOTATION_LINES in all, in order, with `…` where lines are skipped.
 */
export function annotationLines(excerpt: string): string[] {
  const lines = plainText(excerpt)
    .trimEnd()
    .split('\n')
    .map(line => cut(line.trimEnd(), LINE_CHARS))
  if (lines.length === 1 && lines[0] === '') return []
  if (lines.length <= ANNOTATION_LINES) return lines
  // As many failure lines as are found before the last lines they leave room for.
  let failing: number[] = []
  let from = lines.length - ANNOTATION_LINES
  for (let wanted = FAILURE_LINES; wanted > 0; wanted--) {
    const end = lines.length - (ANNOTATION_LINES - wanted)
    const found = failureLineIndexes(lines, end).slice(0, wanted)
    if (found.length === wanted) {
      failing = found
      from = end
      break
    }
  }
  const last = Array.from({ length: lines.length - from }, (_, offset) => from + offset)
  const chosen = [...failing, ...last]
  return chosen.flatMap((index, at) => {
    const skipped = at === 0 ? index > 0 : index > (chosen[at - 1] as number) + 1
    return skipped ? ['…', lines[index] as string] : [lines[index] as string]
  })
}

/** Indexes of the lines before `end` that look like failures. */
function failureLineIndexes(lines: string[], end: number): number[] {
  return lines
    .slice(0, end)
    .flatMap((line, index) => (LOOKS_LIKE_FAILURE.test(line) ? [index] : []))
}

/** A task's error as an annotation shows it: at most ERROR_CHARS characters. */
export function annotationError(error: string): string {
  return cut(plainText(error).trimEnd(), ERROR_CHARS)
}
