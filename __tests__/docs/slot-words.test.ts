import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const readme = readFileSync('README.md', 'utf8')
const placeholders = readFileSync('docs/placeholders.md', 'utf8')
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string }>
}

/** Every line of `markdown` that starts with `start` (table rows, by their first cell). */
const linesStarting = (markdown: string, start: string): string[] =>
  markdown.split('\n').filter(line => line.startsWith(start))

/** The comment in the README's Usage block that starts with `start`, its lines joined. */
function usageComment(start: string): string {
  const lines = readme.split('\n')
  const first = lines.findIndex(line => line.trim().startsWith(start))
  const end = lines.findIndex((line, index) => index > first && !line.trim().startsWith('#'))
  return lines
    .slice(first, end)
    .map(line => line.trim().replace(/^# ?/, ''))
    .join(' ')
}

describe('what the docs say {%} and PARALLEL_JOBSLOT are', () => {
  // A task may hold several slots (`slots`): "the worker slot running it" would be one of them.
  it('say the first (lowest) slot a task holds, wherever they say which slot', () => {
    const places: [string, string][] = [
      ['README Usage', usageComment('# The command run')],
      ...linesStarting(readme, '| `{#}`, `{%}`').map((line): [string, string] => [
        'README placeholders',
        line.split('|').slice(2).join('|')
      ]),
      ...linesStarting(placeholders, '| `{%}`').map((line): [string, string] => ['{%}', line]),
      ...linesStarting(placeholders, '| `PARALLEL_JOBSLOT`').map((line): [string, string] => [
        'PARALLEL_JOBSLOT',
        line
      ]),
      ['action.yml command', action.inputs.command?.description ?? '']
    ]
    expect(places).toHaveLength(6)
    for (const [place, text] of places) {
      expect([place, text.includes('slot'), /running it|\{%\} the worker slot/.test(text)]).toEqual(
        [place, true, false]
      )
      expect([place, text.match(/first \(lowest\)/g)?.length]).toEqual([
        place,
        place === 'README placeholders' ? 2 : 1
      ])
    }
  })
})
