import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'

const files = [
  'README.md',
  'bench/README.md',
  ...readdirSync('docs')
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`),
  ...readdirSync('docs/decisions').map(name => `docs/decisions/${name}`)
]

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a Markdown file's headings, outside code blocks. */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchor(heading ?? '')))
}

/** Every `[text](target)` link of a Markdown text that is not a web address, outside code. */
function localLinks(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target ?? '')
    .filter(target => !/^[a-z]+:/.test(target))
}

describe('the README and docs/', () => {
  it('link only to files and headings that exist', () => {
    const broken: string[] = []
    for (const file of files) {
      for (const target of localLinks(readFileSync(file, 'utf8'))) {
        const [path = '', hash] = target.split('#')
        const linked = path === '' ? file : normalize(join(dirname(file), path))
        if (!existsSync(linked)) broken.push(`${file}: ${target} (no such file)`)
        else if (hash !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(hash)) {
          broken.push(`${file}: ${target} (no such heading)`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('name only test files and sources that exist', () => {
    const missing: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const [path] of text.matchAll(/\b(?:__tests__\/[\w./-]+|src\/[\w-]+\/[\w.-]+)\.ts\b/g)) {
        if (!existsSync(path)) missing.push(`${file}: ${path}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('find a broken link and a heading that is not there', () => {
    expect(localLinks('[a](docs/none.md) [b](#x) [c](https://x.y) `[d](e)`')).toEqual([
      'docs/none.md',
      '#x'
    ])
    expect(anchor('Sharding over matrix jobs, merged into one report')).toBe(
      'sharding-over-matrix-jobs-merged-into-one-report'
    )
    expect(anchor('`workflow-commands`: what the runner may act on')).toBe(
      'workflow-commands-what-the-runner-may-act-on'
    )
  })
})
