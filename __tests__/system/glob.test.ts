import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFiles, globToRegExp } from '../../src/system/glob.js'

describe('globToRegExp', () => {
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
    ['a.b', 'axb', false]
  ])('%p on %p is %p', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected)
  })
})

describe('findFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'glob-'))
  for (const path of ['shards/0/results.json', 'shards/1/results.json', 'shards/1/other.txt']) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), '{}')
  }
  mkdirSync(join(root, 'shards/2/results.json'), { recursive: true }) // a directory, not a file

  it('finds files under the literal prefix, sorted, relative to cwd or absolute', async () => {
    expect(await findFiles('shards/*/results.json', root)).toEqual([
      join(root, 'shards/0/results.json'),
      join(root, 'shards/1/results.json')
    ])
    expect(await findFiles(`${root}/**/*.txt`, '/')).toEqual([join(root, 'shards/1/other.txt')])
  })

  it('takes one glob per line, each file once, and plain paths that exist', async () => {
    expect(
      await findFiles('shards/0/results.json\n\n  shards/**/results.json  \nnope/x.json', root)
    ).toEqual([join(root, 'shards/0/results.json'), join(root, 'shards/1/results.json')])
    expect(await findFiles('missing/*.json', root)).toEqual([])
  })
})
