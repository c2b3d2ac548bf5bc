import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { TaskStatus } from '../../src/model/task-status.js'

const readme = readFileSync('README.md', 'utf8')
const reference = readFileSync('docs/reference.md', 'utf8')
const action = parse(readFileSync('action.yml', 'utf8')) as {
  outputs: Record<string, { description: string }>
}

/** The second cell of the table row whose first cell is `name` quoted, under `## heading`. */
function row(markdown: string, heading: string, name: string): string {
  const section = markdown.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  const line = section.split('\n').find(l => l.startsWith(`| \`${name}\``)) ?? ''
  return line.split('|')[2]?.trim() ?? ''
}

describe('what the docs say of skipped tasks', () => {
  it('names every way a task is skipped: a halt, a need that did not succeed, a dry run', () => {
    const places = {
      'reference Statuses': row(reference, 'Statuses', 'skipped'),
      'reference Outputs': row(reference, 'Outputs', 'skipped'),
      'README Statuses': row(readme, 'Statuses', 'skipped'),
      'README Outputs': row(readme, 'Outputs', 'skipped'),
      'action.yml': action.outputs.skipped?.description ?? ''
    }
    for (const [place, text] of Object.entries(places)) {
      expect([
        place,
        /halted/.test(text),
        /needs? did not succeed/.test(text),
        /dry run/.test(text)
      ]).toEqual([place, true, true, true])
    }
  })
})

describe('the statuses tables', () => {
  it('explain every status a task can end with, in the README and the reference', () => {
    for (const status of Object.values(TaskStatus)) {
      expect([status, row(readme, 'Statuses', status) !== '']).toEqual([status, true])
      expect([status, row(reference, 'Statuses', status) !== '']).toEqual([status, true])
    }
  })

  it('say of reused tasks that they succeeded before, and count them as an output', () => {
    expect(row(readme, 'Statuses', 'reused')).toMatch(/succeeded in an earlier attempt or run/)
    expect(row(reference, 'Statuses', 'reused')).toMatch(/satisfies the `needs` of others/)
    expect(row(reference, 'Outputs', 'reused')).toMatch(/not failures/)
    expect(action.outputs.reused?.description).toBeDefined()
  })
})
