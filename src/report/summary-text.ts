import { itemLabel } from '../model/labels.js'
import { escapeHtml } from './markdown-escape.js'

/**
 * Text for one line of an HTML block: escaped, with line breaks and control characters shown as
 * symbols (a blank line would end the block and let Markdown in), cut to `max` characters. Any
 * text a results file carries may be anything, a signal's name included.
 */
export function htmlLine(text: string, max: number): string {
  return escapeHtml(itemLabel(text, max))
}
