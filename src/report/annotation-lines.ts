import { cut } from '../model/labels.js'

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
// Terminal codes an annotation would show as text: OSC sequences (titles, links), ended by BEL or
// ST, and CSI sequences (colours, cursor moves); then any other control character but tab and LF.
const TERMINAL_CODES =
  // eslint-disable-next-line no-control-regex
  /\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b\[[0-?]*[ -/]*[@-~]/g
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// Bidirectional embeddings, overrides and isolates: they can make a line read other than it is.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

/** Text without terminal codes and control characters, tabs and line breaks kept. */
function withoutControls(text: string): string {
  return text
    .replace(TERMINAL_CODES, '')
    .split('\n')
    .map(lastRedraw)
    .join('\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(BIDI_CONTROLS, '')
}

/** What a terminal shows of a line redrawn after carriage returns (a progress bar): its last state. */
function lastRedraw(line: string): string {
  const withoutEnd = line.replace(/\r+$/, '')
  return withoutEnd.slice(withoutEnd.lastIndexOf('\r') + 1)
}

/**
 * The lines of an excerpt worth an annotation: up to 3 early lines that look like failures (such
 * as jest's `FAIL path` or the note of earlier attempts), then the last lines, at most
 * ANNOTATION_LINES in all, in order, with `…` where lines are skipped.
 */
export function annotationLines(excerpt: string): string[] {
  const lines = withoutControls(excerpt)
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
  return cut(withoutControls(error).trimEnd(), ERROR_CHARS)
}
