import { afterAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type Item } from '../../src/model/item.js'
import { globEscape, rootedPattern } from '../../src/system/glob.js'
import { sourcesDigests } from '../../src/plan/sources.js'
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

  it.each<[string, Item, string]>([
    ['packages/{}/**', '', "its value '' names no path"],
    ['packages/{name}/**', { name: '' }, "its value '' names no path"],
    ['packages/{}/**', '/', "its value '/' names no path"],
    ['packages/{name}/**', { name: '.' }, "its value '.' has the part '.'"],
    ['{}', '..', "its value '..' has the part '..'"],
    ['{}/**', 'x/..', "its value 'x/..' has the part '..'"],
    ['{}/**', 'a/./b', "its value 'a/./b' has the part '.'"],
    ['{1}', ['..'], "its value '..' has the part '..'"],
    ['{/.}', 'x/.env', "its value '' names no path"],
    ['{/}/**', 'a/', "its value '' names no path"],
    ['{.}', '.bashrc', "its value '' names no path"],
    ['{//}/**', '../x', "its value '..' has the part '..'"]
  ])(
    'refuses in %p the item %p, whose value would not name a path of its own',
    (line, item, why) => {
      expect(() => render(line, item)).toThrow(
        `cannot be used in a path pattern for item 1 (${JSON.stringify(item)}): ${why}`
      )
      expect(() => render(line, item)).toThrow(
        'Expected a value that names a path of its own: not empty, with no . or .. part.'
      )
    }
  )

  it('takes {//} of an item without a folder as the working directory, its folder', () => {
    expect(render('{//}/*.ts', 'x.ts')).toBe('./*.ts')
    expect(render('{//}/*.ts', './x.ts')).toBe('./*.ts')
    expect(rootedPattern(render('{//}/*.ts', 'x.ts'), '/w')).toBe('/w/*.ts')
  })

  it('takes a value starting with ~ as a folder named so, not the home folder', () => {
    expect(rootedPattern(render('{}/**', '~'), '/w')).toBe('/w/~/**')
    expect(rootedPattern(render('x/{}', '~/.npmrc'), '/w')).toBe('/w/x/~/.npmrc')
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

  /** A name of 1 to 3 parts, some `.`, `..` or empty (never first or last); or only slashes, or nothing. */
  const part = fc.oneof(
    { weight: 6, arbitrary: segment },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..') }
  )
  const name = fc
    .oneof(
      { weight: 1, arbitrary: fc.constantFrom('', '/', '//') },
      {
        weight: 12,
        arbitrary: fc
          .array(part, { minLength: 1, maxLength: 3 })
          .filter(parts => parts[0] !== '' && parts.at(-1) !== '')
          .map(parts => parts.join('/'))
      }
    )
    .filter(text => Buffer.byteLength(text) < 200)

  /**
   * How each template lays out an item's files: the value it puts in, the path (as text) it must
   * match, and where a link stands in for it.
   */
  const FORMS: Record<
    string,
    {
      line: string
      item: (name: string) => Item
      value: (name: string) => string
      file: (name: string) => string
      link: (name: string) => string
    }
  > = {
    file: { line: '{}', item: n => n, value: n => n, file: n => n, link: n => n },
    folder: { line: '{}/**', item: n => n, value: n => n, file: n => `${n}/f`, link: n => n },
    suffix: {
      line: 'sub/{}.txt',
      item: n => n,
      value: n => n,
      file: n => `sub/${n}.txt`,
      link: n => `sub/${n}.txt`
    },
    field: { line: '{name}', item: n => ({ name: n }), value: n => n, file: n => n, link: n => n },
    // {//} of `name/leaf`: `name`, `/` for a name of slashes; `.` (the working directory) for `.`.
    dirname: {
      line: '{//}/x',
      item: n => `${n}/leaf`,
      value: n => (/^\/*$/.test(n) ? '/' : n),
      file: n => (n === '.' ? 'x' : `${n}/x`),
      link: n => n
    }
  }

  /** A folder outside every case, which links point at: walking it would find f, x and more. */
  const outside = mkdtempSync(join(tmpdir(), 'pattern-outside-'))
  for (const file of ['f', 'x', 'inner/y']) {
    mkdirSync(dirname(join(outside, file)), { recursive: true })
    writeFileSync(join(outside, file), file)
  }
  afterAll(() => rmSync(outside, { recursive: true, force: true }))

  /** Writes a file (or, linked, a link to `outside`) at the relative path, its folders made. */
  function place(dir: string, path: string, linked: boolean): void {
    const at = join(dir, path)
    mkdirSync(dirname(at), { recursive: true })
    if (linked) symlinkSync(outside, at)
    else writeFileSync(at, path)
  }

  it('refuses it, or matches that path (a link as itself) and no misreading of it (counted)', async () => {
    const counts = { refused: 0, multi: 0, linked: 0, matched: 0 }
    const saved = process.env.GITHUB_WORKSPACE
    await fc.assert(
      fc.asyncProperty(
        name,
        fc.array(segment, { maxLength: 4 }),
        fc.constantFrom(...Object.keys(FORMS)),
        fc.nat(4).map(n => n === 0),
        async (name, others, formName, linkedAsked) => {
          const form = FORMS[formName] as (typeof FORMS)[string]
          let rendered: string | undefined
          try {
            rendered = PatternTemplate.parse(form.line).render(form.item(name), 1)
          } catch (error) {
            if (!(error instanceof PlaceholderError)) throw error
          }
          // Refused exactly when the value is no path of its own: nothing, or folded away.
          const value = form.value(name)
          const parts = value.split('/')
          const folds = parts.every(each => each === '') || parts.some(each => /^\.\.?$/.test(each))
          const ownFolder = formName === 'dirname' && value === '.'
          expect([name, formName, rendered === undefined]).toEqual([
            name,
            formName,
            folds && !ownFolder
          ])
          if (rendered === undefined) {
            counts.refused += 1
            return
          }
          // The working directory itself is no place for a link.
          const linked = linkedAsked && !ownFolder
          const dir = mkdtempSync(join(root, 'case-'))
          const own = linked ? form.link(name) : form.file(name)
          place(dir, own, linked)
          for (const each of new Set([...misreadings(name), ...others])) {
            const parts = each.split('/')
            if (parts.some(one => one === '' || one === '.' || one === '..')) continue
            if (each === name || Buffer.byteLength(each) >= 250) continue
            try {
              place(dir, form.file(each), false)
            } catch {
              // A misreading that cannot be made beside the name (a file where it needs a folder).
            }
          }
          const line = rootedPattern(rendered, dir)
          if (linked && formName === 'dirname') {
            // The line's folder is behind a link to outside: refused when the digests are taken.
            process.env.GITHUB_WORKSPACE = dir
            const command = { file: 'true', args: [], display: 'true' }
            await expect(
              sourcesDigests([{ index: 0, item: 'x', command, sources: [line] }], dir)
            ).rejects.toThrow('once links are followed, outside the workspace')
          } else {
            expect(await matchSourceFiles([line])).toEqual([`${dir}/${own}`.replace(/\/+/g, '/')])
          }
          rmSync(dir, { recursive: true })
          counts.matched += 1
          if (name.includes('/')) counts.multi += 1
          if (linked) counts.linked += 1
        }
      ),
      { seed: 20261207, numRuns: 800 }
    )
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = saved
    expect(counts.refused + counts.matched).toBe(800)
    expect(Math.min(counts.refused, counts.multi, counts.linked)).toBeGreaterThan(50)
  })
})
