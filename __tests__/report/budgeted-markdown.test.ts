import { describe, expect, it } from '@jest/globals'
import { BudgetedMarkdown } from '../../src/report/budgeted-markdown.js'

describe('BudgetedMarkdown', () => {
  it('joins its parts with line breaks', () => {
    const markdown = new BudgetedMarkdown()
    markdown.add('# a\n', 'b')
    expect(markdown.text()).toBe('# a\n\nb')
  })

  it('keeps entries while the bytes spent, each with its line break, stay within the limit', () => {
    const markdown = new BudgetedMarkdown()
    markdown.add('12345') // 6 bytes spent
    markdown.section({
      entries: ['ab', 'cd', 'ef'],
      render: entry => entry,
      limit: 12, // 'ab' and 'cd' bring it to 12, 'ef' would make 15
      leftOut: count => `(${count} left out)`
    })
    expect(markdown.text()).toBe('12345\nab\ncd\n(1 left out)')
  })

  it('counts bytes, not characters', () => {
    const markdown = new BudgetedMarkdown()
    markdown.section({ entries: ['é', 'x'], render: entry => entry, limit: 3 })
    expect(markdown.text()).toBe('é')
  })

  it('renders only the entries it tries, up to max, and counts the rest as left out', () => {
    const rendered: number[] = []
    const markdown = new BudgetedMarkdown()
    markdown.section({
      entries: [1, 2, 3, 4, 5],
      max: 2,
      render: entry => {
        rendered.push(entry)
        return String(entry)
      },
      limit: 1000,
      leftOut: count => `${count} more`
    })
    expect(rendered).toEqual([1, 2])
    expect(markdown.text()).toBe('1\n2\n3 more')
  })

  it('ends a section at the first entry that does not fit, and does not count that entry', () => {
    const markdown = new BudgetedMarkdown()
    markdown.section({ entries: ['a', 'too long', 'b'], render: entry => entry, limit: 5 })
    // Only 'a' (2) is spent: the refused 'too long' (9) leaves the next section its room.
    markdown.section({ entries: ['c'], render: entry => entry, limit: 4, leftOut: () => 'none' })
    expect(markdown.text()).toBe('a\nc')
  })

  it('shows a heading only over kept entries, and a wrapper always', () => {
    const markdown = new BudgetedMarkdown()
    markdown.section({ entries: ['x'], render: entry => entry, limit: 0, heading: '## H' })
    markdown.section({
      entries: ['y'],
      render: entry => entry,
      limit: 0,
      wrap: kept => `<table>${kept.join('')}</table>`
    })
    markdown.section({ entries: ['z'], render: entry => entry, limit: 1000, heading: '## Z' })
    expect(markdown.text()).toBe('<table></table>\n## Z\nz')
  })
})
