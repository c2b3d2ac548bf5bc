import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFiles, pathMatcher } from '../../src/system/glob.js'

describe('pathMatcher', () => {
  it.each([
    ['*.md', 'README.md', true],
    ['*.md', 'docs/a.md', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['src/**/*.ts', 'lib/a.ts', false],
    ['**/results.json', 'results.json', true],
    ['**/results.json', 'a/b/results.json', true],
    ['**/results.json', 'a/b/results.jsonx', false],
    ['shard-?/*.json', 'shard-1/r.json', true],
    ['shard-?/*.json', 'shard-10/r.json', false],
    ['a/**', 'a/b/c', true],
    ['a.b(c)+[d]', 'a.b(c)+[d]', true],
    ['a**b', 'axxb', true],
    ['src/**/*.ts', 'src/a.tsx', false],
    ['docs/**', 'docs/a/b.md', true],
    ['docs/**', 'docsy/a.md', false],
    ['**', 'any/thing', true],
    ['src/*', 'src/a/b.ts', false],
    ['a?.ts', 'a/.ts', false],
    ['a?.ts', 'abc.ts', false],
    ['$(x)', '$(x)', true],
    ['a**b', 'ax/xb', false],
    ['a.b', 'axb', false],
    // Dotfiles match like any file; case counts, as in a repository's paths.
    ['**/*.yml', '.github/workflows/ci.yml', true],
    ['*', '.env', true],
    ['README.MD', 'README.md', false],
    // Brackets, parentheses, braces, commas and `!` name themselves (route folders, for one).
    ['app/[slug]/page.tsx', 'app/[slug]/page.tsx', true],
    ['app/[slug]/page.tsx', 'app/s/page.tsx', false],
    ['app/(group)/*.tsx', 'app/(group)/a.tsx', true],
    ['{a,b}.ts', 'a.ts', false],
    ['{a,b}.ts', '{a,b}.ts', true],
    ['!a.ts', 'b.ts', false],
    ['!a.ts', '!a.ts', true],
    ['+(a).ts', '+(a).ts', true],
    ['+(a).ts', 'a.ts', false],
    ['a\\b', 'a\\b', true]
  ])('%p on %p is %p', async (glob, path, expected) => {
    expect((await pathMatcher(glob))(path)).toBe(expected)
  })
})

describe('findFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'glob-'))
  const files = [
    'shards/0/results.json',
    'shards/1/results.json',
    'shards/1/other.txt',
    // A directory named like a results file: neither it nor what is below it matches.
    'shards/2/results.json/inner.json',
    'shards/.hidden/results.json',
    // A working directory whose own name holds glob characters.
    'odd [dir] *?/shard/results.json',
    'odd [dir] *?/shard/other.json',
    'odd d *x/shard/results.json',
    // A backslash escapes the next character in @actions/glob's patterns on Linux and macOS.
    'back\\*slash/shard/results.json',
    'back*slash/shard/results.json'
  ]
  for (const path of files) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), '{}')
  }

  it('finds files under the literal prefix, sorted, relative to cwd or absolute', async () => {
    expect(await findFiles('shards/*/results.json', root)).toEqual([
      join(root, 'shards/.hidden/results.json'),
      join(root, 'shards/0/results.json'),
      join(root, 'shards/1/results.json')
    ])
    expect(await findFiles(`${root}/**/*.txt`, '/')).toEqual([join(root, 'shards/1/other.txt')])
  })

  it('takes one glob per line, each file once, and plain paths that exist', async () => {
    expect(
      await findFiles('shards/0/results.json\n\n  shards/[01]/results.json  \nnope/x.json', root)
    ).toEqual([join(root, 'shards/0/results.json'), join(root, 'shards/1/results.json')])
    expect(await findFiles('missing/*.json', root)).toEqual([])
    expect(await findFiles('shards/2/results.json', root)).toEqual([])
  })

  it('leaves out what a `!` line excludes, and skips `#` comment lines', async () => {
    expect(
      await findFiles('# the shards\nshards/**/results.json\n!shards/.hidden/**', root)
    ).toEqual([join(root, 'shards/0/results.json'), join(root, 'shards/1/results.json')])
  })

  it('reads the working directory’s own name literally', async () => {
    const cwd = join(root, 'odd [dir] *?')
    expect(await findFiles('shard/results.json', cwd)).toEqual([join(cwd, 'shard/results.json')])
    expect(await findFiles('*/results.json\n!*/other.json', cwd)).toEqual([
      join(cwd, 'shard/results.json')
    ])
    const backslash = join(root, 'back\\*slash')
    expect(await findFiles('shard/results.json', backslash)).toEqual([
      join(backslash, 'shard/results.json')
    ])
  })

  it('follows no link, so a linked folder does not give the same file twice', async () => {
    const base = mkdtempSync(join(tmpdir(), 'glob-links-'))
    mkdirSync(join(base, 'real'))
    writeFileSync(join(base, 'real', 'results.json'), '{}')
    symlinkSync(join(base, 'real'), join(base, 'linked'))
    symlinkSync(base, join(base, 'real', 'up'))
    expect(await findFiles('**/results.json', base)).toEqual([join(base, 'real/results.json')])
  })

  it('takes an absolute line with . and .. segments', async () => {
    expect(await findFiles(`${root}/shards/../shards/./0/results.json`, '/')).toEqual([
      join(root, 'shards/0/results.json')
    ])
  })
})
