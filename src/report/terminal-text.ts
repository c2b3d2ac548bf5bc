// Terminal codes a page would show as text: OSC sequences (titles, links), ended by BEL or
// ST, and CSI sequences (colours, cursor moves); then any other control character but tab and LF.
const TERMINAL_CODES =
  // eslint-disable-next-line no-control-regex
  /\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)|\u001b\[[0-?]*[ -/]*[@-~]/g
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// Bidirectional embeddings, overrides and isolates: they can make a line read other than it is.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

/**
 * Text as a terminal shows it, for places that show codes as text (annotations, the job summary,
 * JUnit): without terminal codes and control characters, tabs and line breaks kept.
 */
export function plainText(text: string): string {
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
