/**
 * Labels for Mermaid charts. Untrusted text (items, task names) is written with every character
 * that could mean something to Mermaid, or to the Markdown around it, as Mermaid's entity code
 * `#<decimal code point>;`, so a label can never end itself, add a statement, a directive or a
 * link, or end the fenced block. docs/decisions/010-job-summary.md says why each of them is escaped.
 */
import { cut } from '../model/labels.js'

/** Longest label, in characters, when the limits give none. */
export const DEFAULT_MAX_LABEL = 60

/** ASCII written as it is, except as a label's first character (keywords and list markers start lines). */
const RAW_ASCII = /^[A-Za-z0-9 .\-/()'+=!?]$/
/**
 * Also written as they are in a gantt task name, which Mermaid neither reads as Markdown nor links
 * (the reasons they are escaped elsewhere), and where each escaped character would be measured as
 * its ~7-character placeholder (see label-width.ts): `_` `@` `[` `]` `,`.
 */
const RAW_IN_GANTT = /^[_@[\],]$/
/** Letters, marks, numbers, symbols and punctuation outside ASCII are written as they are. */
const RAW_OTHER = /^[\p{L}\p{M}\p{N}\p{S}\p{P}]$/u
/** Mermaid's entity placeholders are built from these, so text must never spell one. */
const PLACEHOLDER_CHARS = new Set(['\ufb02', '\u00b6'])

/**
 * The text a label shows: on one line (control characters as visible symbols, as itemLabel
 * does), lone surrogate halves as U+FFFD, a word joiner inside `ﬂ°` and `¶ß`, cut to `maxLabel`
 * characters; an empty text as one space.
 */
export function labelText(text: string, maxLabel: number): string {
  const visible = text
    .replace(/\r\n/g, '\n')
    // C0 and C1 controls, DEL, and the two Unicode line separators.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ch =>
      ch === '\n' || ch === '\u2028' || ch === '\u2029' ? '⏎' : ch === '\t' ? '⇥' : '�'
    )
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '�')
    // Mermaid turns `ﬂ°` into `&` and `¶ß` into `;` all over the drawn SVG (its entity
    // placeholders): an invisible word joiner keeps such text as it is.
    .replace(/(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)/g, '\u2060')
  // A label cannot be empty (a gantt line needs a task name): an empty one shows a space.
  return visible === '' ? ' ' : cut(visible, labelMax(maxLabel))
}

/**
 * Untrusted text as a Mermaid label that shows labelText(text, maxLabel): inside a quoted
 * flowchart label, or a gantt task name (`gantt`, which leaves {@link RAW_IN_GANTT} as it is).
 */
export function mermaidLabel(text: string, maxLabel: number, gantt = false): string {
  return escapeLabelText(labelText(text, maxLabel), true, gantt)
}

/** A label followed by our own note in brackets (escaped too, so a `:` is never raw). */
export function withNote(label: string, note: string): string {
  return note === '' ? label : `${label} ${escapeLabelText(`(${note})`, false)}`
}

/** The longest label as a whole number of at least 1; the default when not finite. */
function labelMax(maxLabel: number): number {
  return Number.isFinite(maxLabel) ? Math.max(1, Math.floor(maxLabel)) : DEFAULT_MAX_LABEL
}

/**
 * Escapes text that labelText already made (no cutting, no control characters left to show).
 * `atStart`: the text starts the label (so its first character is escaped if ASCII); `gantt`: it
 * is a gantt task name.
 */
export function escapeLabelText(text: string, atStart = true, gantt = false): string {
  const chars = Array.from(text)
  const last = chars.length - 1
  const escaped = chars
    .map((ch, i) => {
      const raw =
        ch.length === 1 && ch < '\u0080'
          ? (i !== 0 || !atStart) &&
            (RAW_ASCII.test(ch) || (gantt && RAW_IN_GANTT.test(ch))) &&
            !(ch === ' ' && (i === 0 || i === last))
          : RAW_OTHER.test(ch) && !PLACEHOLDER_CHARS.has(ch)
      return raw ? ch : `#${ch.codePointAt(0)};`
    })
    .join('')
  // Letters and dots are only ever raw here (entity codes are `#digits;`), so these find the words:
  // flowchart's `direction TB` rule would swallow the line, and `www.` would become a link.
  return escaped
    .replace(/d(?=irection)/gi, ch => `#${ch.codePointAt(0)};`)
    .replace(/(?<=www)\./gi, '#46;')
}
