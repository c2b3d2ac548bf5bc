import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Inputs, Outputs } from '../../src/action/action-yml.js'

interface ActionYml {
  inputs: Record<string, { default?: string; description: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml
const readme = readFileSync('README.md', 'utf8')
const reference = readFileSync('docs/reference.md', 'utf8')

/** The text under a `## heading` of a Markdown text, up to the next `## `. */
function sectionUnder(markdown: string, heading: string): string {
  return markdown.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
}

/** Rows of the first Markdown table under a `## heading`: first cell (unquoted) → second cell. */
function tableUnder(markdown: string, heading: string): Map<string, string> {
  const rows = new Map<string, string>()
  for (const line of sectionUnder(markdown, heading).split('\n')) {
    const cells = line.split('|').map(cell => cell.trim())
    const name = /^`([a-z-]+)`$/.exec(cells[1] ?? '')?.[1]
    if (name) rows.set(name, cells[2] ?? '')
  }
  return rows
}

/** The `with:` of the README's Usage block, every value read as the string a runner gets. */
function usageInputs(): Record<string, string> {
  const block = /```yaml\n([\s\S]*?)```/.exec(sectionUnder(readme, 'Usage'))?.[1] ?? ''
  const steps = parse(block, { schema: 'failsafe' }) as Array<{ with?: Record<string, string> }>
  return steps[0]?.with ?? {}
}

describe('action.yml', () => {
  it('declares exactly the inputs and outputs the code reads and writes', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('has a bundle whose code runs at the top level of the module, parsed once at start-up', () => {
    // A top-level await in src/index.ts turns the entry into an async module: the bundler then
    // wraps every module in a function that V8 parses again when it is called (~10 ms).
    const bundle = readFileSync(action.runs.main, 'utf8')
    expect(bundle).not.toContain('__webpack_handle_async_dependencies__')
    expect(bundle).toMatch(/^failIfUnsettled\(run\(\), failNow\);$/m)
  })

  it('is documented by the README: every input with its default in Usage, every output', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, { default: value }]) => [name, value ?? ''])
    )
    expect(usageInputs()).toEqual(defaults)
    expect([...tableUnder(readme, 'Outputs').keys()].sort()).toEqual(
      Object.keys(action.outputs).sort()
    )
  })

  it('is documented by docs/reference.md: every input with its default, every output', () => {
    const inputs = tableUnder(reference, 'Inputs')
    expect([...inputs.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
    for (const [name, { default: value }] of Object.entries(action.inputs)) {
      expect([name, inputs.get(name)]).toEqual([name, `\`${value === '' ? "''" : value}\``])
    }
    expect([...tableUnder(reference, 'Outputs').keys()].sort()).toEqual(
      Object.keys(action.outputs).sort()
    )
  })
})
