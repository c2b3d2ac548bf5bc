import { labelText } from './mermaid-label.js'

/**
 * Widest a gantt label (with its status note) may be, in px at Mermaid's 11 px gantt font. Mermaid
 * draws a label inside its bar when it fits, else to the right of the bar, else to its left; on
 * GitHub's page (a chart about 900 px wide, 750 px of it time) a label up to about 290 px always
 * fits on one of the three sides, so it is never cut off at the chart's edge.
 */
export const MAX_LABEL_WIDTH = 280

/** East Asian wide and full-width characters, and emoji: about a full em. */
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f000}-\u{1faff}\u{20000}-\u{3fffd}]|\p{Extended_Pictographic}/u
/** Capitals and the widest small letters and symbols. */
const BROAD = /[A-Z@%#&mwMW—…]/

/** A text's width in px at 11 px, estimated from above (the font is the viewer's). */
export function textWidth(text: string): number {
  let width = 0
  for (const ch of text) width += WIDE.test(ch) ? 12 : BROAD.test(ch) ? 10 : 6.5
  return width
}

/**
 * The most characters (at most `maxLabel`) of `text` whose label, followed by `note`, fits in
 * {@link MAX_LABEL_WIDTH}; at least 1.
 */
export function fittingLength(text: string, note: string, maxLabel: number): number {
  const room = MAX_LABEL_WIDTH - textWidth(note)
  for (let length = maxLabel; length > 1; length--) {
    if (textWidth(labelText(text, length)) <= room) return length
  }
  return 1
}
