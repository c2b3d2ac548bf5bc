/**
 * Escapes text for HTML, and so for the summary's HTML blocks, where Markdown does not reach: the
 * summary puts every text that came from items, tasks or inputs in one, as backslash escapes
 * cannot stop GFM from linking a bare address. `&` goes first, so no escape breaks another's entity.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
