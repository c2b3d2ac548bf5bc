import { afterAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type Item } from '../../src/model/item.js'
import { globEscape, rootedPattern } from '../../src/system/glob.js'
import { matchSourceFiles } from '../../src/system/source-files.js'
import { PatternTemplate } from '../../src/template/pattern-template.js'
import { PlaceholderError, TemplateError } from '../../src/template/template.js'

const render = (line: string, item: Item, seq = 1): string =>
  PatternTemplate.parse(line).render(item, seq)

describe('PatternTemplate', () => {
  it("puts in the command template's placeholders, each value glob-escaped", () => {
    expect(render('packages/{}/**', 'a*[1]')).toBe('packages/a[*][[]1]/**')
    expect(render('{//}/*.ts', 'src/lib/x?.ts')).toBe('src/lib/*.ts')
    expect(render('{/}', 'src/x?.ts')).toBe('x[?].ts')
    expect(render('{.}.md', 'docs/a\\b.txt')).toBe('docs/a\\\\b.md')
    expect(render('{/.}', 'a/b.c')).toBe('b')
    expect(render('out/{#}/*', 'x', 7)).toBe('out/7/*')
    expect(render('{name}/{dir.sub}/**', { name: 'a*', dir: { sub: '[b]' } })).toBe('a[*]/[[]b]/**')
    expect(render('{1}/{2}', ['a', '?'])).toBe('a/[?]')
    // The line's own glob text and braces stay as written.
    expect(render('lib/{a,b}/[xy]*', 'z')).toBe('lib/{a,b}/[xy]*')
  })

  it('refuses {%}: the slot is not known before the run', () => {
    expect(() => PatternTemplate.parse('out/{%}/*')).toThrow(TemplateError)
    expect(() => PatternTemplate.parse('out/{%}/*')).toThrow(
      'Placeholder {%} cannot be used in a path pattern: the worker slot is not known before the run.'
    )
  })

  it('names the placeholder and the item when it names nothing', () => {
    const error = (() => {
      try {
        render('{name}/**', 'plain')
      } catch (thrown) {
        return thrown as PlaceholderError
      }
    })()
    expect(error).toBeInstanceOf(PlaceholderError)
    expect(error?.namesNothing).toBe(true)
    expect(error?.message).toBe(
      'Placeholder {name} names nothing in item 1 ("plain"): the item has no field \'name\' (it is a string).'
    )
  })

  it.each([
    ['a\nb', 'a line feed'],
    ['a\rb', 'a carriage return'],
    ['a\0b', 'a NUL character'],
    ['a\ud800', 'a lone surrogate']
  ])('refuses a value with %#: no pattern line can carry it', (item, what) => {
    expect(() => render('{}', item)).toThrow(
      `Placeholder {} cannot be used in a path pattern for item 1 (${JSON.stringify(item)}): its value contains ${what}`
    )
  })

  it('tells whether a line has placeholders', () => {
    expect(PatternTemplate.parse('src/**').hasPlaceholders).toBe(false)
    expect(PatternTemplate.parse('src/{}').hasPlaceholders).toBe(true)
  })
})

describe('rootedPattern', () => {
  it('roots a relative line at an escaped folder and folds . and ..', () => {
    expect(rootedPattern('a/../b/*', '/w/x[1]')).toBe('/w/x[[]1]/b/*')
    expect(rootedPattern('/abs/./c', '/w')).toBe('/abs/c')
  })

  it('brackets a last blank, which @actions/glob would trim', () => {
    expect(rootedPattern('a ', '/w')).toBe('/w/a[ ]')
    expect(rootedPattern('a\u00a0', '/w')).toBe('/w/a[\u00a0]')
  })

  it('escapes what @actions/glob reads as glob syntax', () => {
    expect(globEscape('a\\*?[b]')).toBe('a\\\\[*][?][[]b]')
  })
})

describe('any item names exactly its own path', () => {
  const root = mkdtempSync(join(tmpdir(), 'pattern w[1]*?\\ '))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  // Characters glob syntax gives meaning to, blanks @actions/glob trims, and plain ones.
  const CHARS = [...'*?[]\\{}!#~ .,-()+@^$|&;\'"`=:%ab\t\u00a0\u3000é😀']
  const segment = fc
    .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 10 })
    .map(chars => chars.join(''))
    .filter(name => name !== '.' && name !== '..' && Buffer.byteLength(name) < 200)

  /** Names a glob misreading the item would match instead: its glob characters read as such. */
  function misreadings(item: string): string[] {
    return [
      item.replace(/\\(.)/gu, '$1'),
      item.replaceAll('*', ''),
      item.replaceAll('*', 'ab'),
      item.replaceAll('?', 'a'),
      item.replace(/\[([^\]])[^\]]*\]/gu, '$1'),
      item.replace(/\s+$/u, ''),
      `${item}a`,
      `a${item}`
    ]
  }

  /** How each template lays out an item's files, and which file it must match. */
  const FORMS: Record<
    string,
    { line: string; item: (name: string) => Item; file: (name: string) => string }
  > = {
    file: { line: '{}', item: name => name, file: name => name },
    folder: { line: '{}/**', item: name => name, file: name => join(name, 'f') },
    suffix: { line: 'sub/{}.txt', item: name => name, file: name => join('sub', `${name}.txt`) },
    field: { line: '{name}', item: name => ({ name }), file: name => name },
    dirname: { line: '{//}/x', item: name => `${name}/leaf`, file: name => join(name, 'x') }
  }

  it('matches that path and no misreading of it (counted)', async () => {
    let cases = 0
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.array(segment, { maxLength: 4 }),
        fc.constantFrom(...Object.keys(FORMS)),
        async (name, others, formName) => {
          const form = FORMS[formName] as (typeof FORMS)[string]
          const dir = mkdtempSync(join(root, 'case-'))
          const names = new Set([name, ...misreadings(name), ...others])
          names.delete('.')
          names.delete('..')
          names.delete('')
          for (const each of names) {
            if (Buffer.byteLength(each) >= 250 || each.includes('/')) continue
            const path = join(dir, form.file(each))
            mkdirSync(dirname(path), { recursive: true })
            writeFileSync(path, each)
          }
          const line = rootedPattern(
            PatternTemplate.parse(form.line).render(form.item(name), 1),
            dir
          )
          expect(await matchSourceFiles([line])).toEqual([join(dir, form.file(name))])
          rmSync(dir, { recursive: true })
          cases += 1
        }
      ),
      { seed: 20261207, numRuns: 500 }
    )
    expect(cases).toBe(500)
  })
})
