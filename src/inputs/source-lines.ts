import { disguisedDotSegment } from '../system/glob.js'

/**
 * Source glob lines as given: one per line, trimmed, blank lines and `#` comments dropped, a
 * leading `!` kept (an exclusion). Read before any value is put in, so no item can turn a line
 * into a comment or an exclusion. `where` starts the error message; undefined for none given.
 */
export function parseSourceLines(where: string, text: string): string[] | undefined {
  const lines = text
    .split(/\r?\n|\r/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'))
  if (lines.length === 0) return undefined
  const tilde = lines.find(line => line.replace(/^!/, '').startsWith('~'))
  if (tilde !== undefined) {
    throw new Error(
      `${where} '${tilde}': it starts with ~, a home folder outside the workspace. ` +
        'Expected a glob relative to working-directory, inside the workspace.'
    )
  }
  for (const line of lines) {
    const dots = disguisedDotSegment(line.replace(/^!/, ''))
    if (dots === undefined) continue
    throw new Error(
      `${where} '${line}': its part '${dots.written}' stands for '${dots.name}', which a glob cannot hold. ` +
        "Expected . and .. written as they are (they are folded: 'a/../b' is 'b'), or a name."
    )
  }
  if (lines.every(line => line.startsWith('!'))) {
    throw new Error(
      `${where} '${lines.join('⏎')}': every line excludes files (!). Expected at least one line naming the files ` +
        'to include, such as packages/{}/**.'
    )
  }
  return lines
}
