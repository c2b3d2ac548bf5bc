import { mermaidLabel, withNote } from './mermaid-label.js'

/**
 * Widest a gantt label (with its status note) may be, as Mermaid measures it, in px at its 11 px
 * gantt font. Mermaid draws a label inside its bar when it fits, else to the right of the bar,
 * else to its left; on GitHub's page (a chart about 900 px wide, 750 px of it time) a label up to
 * about 290 px always fits on one of the three sides, so it is never cut off at the chart's edge.
 */
export const MAX_LABEL_WIDTH = 280

/** East Asian wide and full-width characters, and emoji: measured up to 13.7 px. */
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f000}-\u{1faff}\u{20000}-\u{3fffd}]|\p{Extended_Pictographic}/u
/** Capitals of any script and the widest small letters and symbols: measured up to 11.2 px (`@`). */
const BROAD = /[\p{Lu}\p{Lt}@%#&mwMW—…]/u
/** Latin letters, digits, punctuation: measured up to 6.7 px (`ß`). */
const LATIN = /[\u0020-\u024f]/

/**
 * Mermaid turns each entity code `#<code>;` into a placeholder `ﬂ°°<code>¶ß` before it measures a
 * label (and into the character only after): measured 27.3 px for `ﬂ°°¶ß`, 6.1 px per digit.
 */
const PLACEHOLDER = 28
const DIGIT = 6.5

/** A character's width in px at 11 px, from above (measured in Chromium's default fonts). */
function charWidth(ch: string): number {
  if (WIDE.test(ch)) return 14
  if (BROAD.test(ch)) return 11.5
  // Other scripts (Cyrillic, Greek, Arabic, …) are about as wide as capitals: `ш` 8.8 px.
  return LATIN.test(ch) ? 7 : 11
}

/** The width Mermaid measures for an escaped label: its entity codes as their placeholders. */
export function measuredWidth(escaped: string): number {
  let width = 0
  for (const part of escaped.split(/(#\d+;)/)) {
    if (/^#\d+;$/.test(part)) width += PLACEHOLDER + DIGIT * (part.length - 2)
    else for (const ch of part) width += charWidth(ch)
  }
  return width
}

/**
 * The most characters (at most `maxLabel`) of `text` whose gantt label, with the status `note`
 * (see withNote), Mermaid measures within {@link MAX_LABEL_WIDTH}; at least 1.
 */
export function fittingLength(text: string, note: string, maxLabel: number): number {
  for (let length = maxLabel; length > 1; length--) {
    if (measuredWidth(withNote(mermaidLabel(text, length, true), note)) <= MAX_LABEL_WIDTH)
      return length
  }
  return 1
}
