/**
 * Escapes text for a Markdown paragraph or heading: HTML-escaped, and Markdown's punctuation
 * backslash-escaped, so an item cannot become a link, an image (a tracking pixel) or emphasis.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text).replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
}

/** Escapes text for HTML (and so for Markdown inside HTML blocks). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}
