import { describe, expect, it } from '@jest/globals'
import { itemText, type Item } from '../../src/model/item.js'
import { cut, itemLabel, itemTextLabel } from '../../src/model/labels.js'

/** A review thread item as threadItem builds it (src/github/thread-items.ts), fields in its order. */
function threadItem(fields: { [key: string]: Item }): Item {
  return {
    path: 'src/b.ts',
    line: 3,
    author: 'bob',
    body: 'fix b',
    startLine: null,
    diffSide: 'RIGHT',
    isOutdated: false,
    subjectType: 'LINE',
    url: 'https://github.com/o/r/pull/1#discussion_r2',
    id: 'PRRT_2',
    comments: [],
    viewerCanResolve: true,
    ...fields
  }
}

describe('itemLabel', () => {
  it('shows control characters as visible symbols so an item stays on one line', () => {
    expect(itemLabel('a\nb\tc\r\u001b[31m')).toBe('a⏎b⇥c��[31m')
  })

  it('shows non-string items without a name or path as JSON and cuts long ones', () => {
    expect(itemLabel([1, { a: 'x' }])).toBe('[1,{"a":"x"}]')
    expect(itemLabel({})).toBe('{}')
    expect(itemLabel(7)).toBe('7')
    expect(itemLabel(null)).toBe('null')
    expect(itemLabel('x'.repeat(100), 10)).toBe('xxxxxxxxx…')
  })

  it('names an object without a name or path by its fields, key=value in key order', () => {
    expect(itemLabel({ os: 'linux', node: 20 })).toBe('os=linux, node=20')
    expect(itemLabel({ a: [1, 'x'], b: null, c: true, d: '' })).toBe(
      'a=[1,"x"], b=null, c=true, d='
    )
    // A nested object shows by its own name, else as JSON.
    expect(itemLabel({ os: 'linux', config: { name: 'gcc-12', cc: 'gcc' } })).toBe(
      'os=linux, config=gcc-12'
    )
    expect(itemLabel({ config: { cc: 'gcc', version: 12 } })).toBe(
      'config={"cc":"gcc","version":12}'
    )
    // A blank name or path is no name: the fields show.
    expect(itemLabel({ name: ' ', os: 'mac' })).toBe('name= , os=mac')
    expect(itemLabel({ path: '', line: 3 })).toBe('path=, line=3')
    // Values with newlines stay on one line; long labels are cut.
    expect(itemLabel({ msg: 'a\nb' })).toBe('msg=a⏎b')
    expect(itemLabel({ os: 'linux', node: 20 }, 10)).toBe('os=linux,…')
  })

  it("names an object by its string 'name'", () => {
    expect(itemLabel({ name: 'alpha', n: 1 })).toBe('alpha')
    // A name comes before a path.
    expect(itemLabel({ path: 'src/a.ts', line: 1, name: 'lint a' })).toBe('lint a')
  })

  it('names a review thread by its place, path:line, or path:start-end for a range', () => {
    expect(itemLabel(threadItem({}))).toBe('src/b.ts:3')
    expect(itemLabel(threadItem({ startLine: 3, line: 7 }))).toBe('src/b.ts:3-7')
    // An outdated thread has no line; a thread on a whole file neither.
    expect(itemLabel(threadItem({ line: null, isOutdated: true }))).toBe('src/b.ts')
    expect(itemLabel(threadItem({ line: null, subjectType: 'FILE' }))).toBe('src/b.ts')
    // A line that is not a number is not shown as one.
    expect(itemLabel({ path: 'a.ts', line: '3' })).toBe('a.ts')
    expect(itemLabel({ path: 'a.ts', line: 3, startLine: 'x' })).toBe('a.ts:3')
    expect(itemLabel({ path: 'a.ts', line: 3, startLine: 9 })).toBe('a.ts:3')
  })

  it('keeps a hostile name or path on one line, and cuts it', () => {
    expect(itemLabel({ name: 'a\nb\r\u001b[31mred\u007f' })).toBe('a⏎b��[31mred�')
    expect(itemLabel({ name: '::error::x\n::warning::y' })).toBe('::error::x⏎::warning::y')
    expect(itemLabel({ path: 'src/x\n::error::y.ts', line: 2 })).toBe('src/x⏎::error::y.ts:2')
    expect(itemLabel({ name: 'n'.repeat(100) }, 10)).toBe('nnnnnnnnn…')
    expect(itemLabel(threadItem({ path: 'p'.repeat(100) }), 10)).toBe('ppppppppp…')
    expect(itemLabel({ name: 'ab😀cd' }, 4)).toBe('ab…')
  })

  it('falls back to the fields for a name that is empty, blank or not a string', () => {
    const shown: [Item, string][] = [
      ['', ''],
      ['   ', '   '],
      ['\n', '⏎'],
      [42, '42'],
      [true, 'true'],
      [null, 'null'],
      [['a'], '["a"]'],
      [{ first: 'a' }, '{"first":"a"}']
    ]
    for (const [name, text] of shown)
      expect(itemLabel({ name, n: 1 }, 200)).toBe(`name=${text}, n=1`)
    // With a path beside it, the place names it.
    expect(itemLabel({ name: '', path: 'a.ts', line: 1 })).toBe('a.ts:1')
    expect(itemLabel({ name: 5, path: 'a.ts' })).toBe('a.ts')
    // A path that is empty or not a string names nothing either.
    expect(itemLabel({ path: '', line: 1 })).toBe('path=, line=1')
    expect(itemLabel({ path: ['a.ts'], line: 1 })).toBe('path=["a.ts"], line=1')
  })

  it('shows an array as its JSON, even one of named objects', () => {
    expect(itemLabel([{ name: 'alpha' }, 'b'])).toBe('[{"name":"alpha"},"b"]')
    expect(itemLabel(['x', 1])).toBe('["x",1]')
    expect(itemLabel([])).toBe('[]')
  })

  it('reads only fields the item holds itself, not inherited ones', () => {
    const parsed = JSON.parse('{"__proto__": {"name": "inherited"}, "n": 1}') as Item
    // Its own __proto__ field is a field like any other, whose object has a name of its own.
    expect(itemLabel(parsed)).toBe('__proto__=inherited, n=1')
    const inheriting = Object.create({ name: 'inherited' }) as { [key: string]: Item }
    inheriting.n = 1
    expect(itemLabel(inheriting)).toBe('n=1')
  })

  it('never changes the item text that commands and outputs use', () => {
    const item = threadItem({})
    itemLabel(item)
    expect(itemText(item)).toBe(JSON.stringify(item))
    expect(itemText({ name: 'alpha', n: 1 })).toBe('{"name":"alpha","n":1}')
  })
})

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    expect(cut('ab😀cd', 4)).toBe('ab…')
    expect(cut('abc', 3)).toBe('abc')
  })
})

describe('itemTextLabel', () => {
  it('shows the whole text of an item on one line, whatever its name', () => {
    const thread = { path: 'src/b.ts', line: 3, body: 'fix\nthis' }
    expect(itemLabel(thread)).toBe('src/b.ts:3')
    expect(itemTextLabel(thread)).toBe('{"path":"src/b.ts","line":3,"body":"fix\\nthis"}')
    expect(itemTextLabel('a\nbc', 3)).toBe('a⏎…')
  })
})

describe('itemLabel of hostile names', () => {
  it('shows C1 controls, line separators and bidi controls as �', () => {
    expect(itemLabel({ name: 'a\u202eb\u0085c\u2028d\u2067e' })).toBe('a�b�c�d�e')
    expect(itemLabel({ path: 'src/\u202ex.ts', line: 1 })).toBe('src/�x.ts:1')
  })
})
