import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { describeUnreadable, sourcesDigests } from '../../src/plan/sources.js'
import { matchSourceFiles, SourceReader } from '../../src/system/source-files.js'

/** A folder of files, written from paths to contents. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sources-'))
  for (const [path, content] of Object.entries(files)) write(root, path, content)
  return root
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), content)
}

/** A prepared item with these rooted source lines (and its own working directory, if any). */
function item(index: number, sources?: string[], cwd?: string): PreparedItem {
  const command = { file: 'true', args: [], display: 'true' }
  return { index, item: String(index), command, sources, overrides: cwd ? { cwd } : undefined }
}

/** The digest of what one rooted glob line matches, as seen from `root`. */
async function digest(root: string, ...lines: string[]): Promise<string | undefined> {
  const rooted = lines.map(line =>
    line.startsWith('!') ? `!${join(root, line.slice(1))}` : join(root, line)
  )
  return (await sourcesDigests([item(0, rooted)], root)).digests[0]
}

describe('sourcesDigests', () => {
  it('changes with a file’s content, an added, a removed or a renamed file, and only then', async () => {
    const root = tree({ 'pkg/a.ts': 'one', 'pkg/sub/b.ts': 'two', 'other/c.ts': 'three' })
    const first = await digest(root, 'pkg/**')
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(await digest(root, 'pkg/**')).toBe(first)
    write(root, 'other/c.ts', 'changed elsewhere')
    expect(await digest(root, 'pkg/**')).toBe(first)

    const seen = new Set([first])
    const changes: [string, () => void][] = [
      ['content', () => write(root, 'pkg/a.ts', 'ONE')],
      ['same size, other bytes', () => write(root, 'pkg/a.ts', 'TWO')],
      ['added', () => write(root, 'pkg/new.ts', '')],
      ['removed', () => rmSync(join(root, 'pkg/sub/b.ts'))],
      ['renamed', () => renameSync(join(root, 'pkg/a.ts'), join(root, 'pkg/z.ts'))],
      ['an empty file added', () => write(root, 'pkg/empty', '')]
    ]
    for (const [what, change] of changes) {
      change()
      const after = await digest(root, 'pkg/**')
      expect([what, seen.has(after as string)]).toEqual([what, false])
      seen.add(after as string)
    }
  })

  it('matches nothing through a missing folder or a file on the way', async () => {
    const root = tree({ 'a.txt': 'a', 'pkg/b': 'b' })
    const none = await digest(tree({}), 'x/**')
    const result = await sourcesDigests([item(0, [join(root, 'a.txt/src/**')])], root)
    expect(result).toEqual({ digests: [none], unreadable: 0 })
    expect(await digest(root, 'missing/x/**', 'pkg/**')).toBe(await digest(root, 'pkg/**'))
  })

  it('does not count mode bits, a known limit the docs state: chmod +x alone changes nothing', async () => {
    const root = tree({ 'pkg/run.sh': 'echo' })
    const before = await digest(root, 'pkg/**')
    chmodSync(join(root, 'pkg/run.sh'), 0o755)
    expect(await digest(root, 'pkg/**')).toBe(before)
  })

  it('is a digest of nothing when nothing matches, which a file appearing changes', async () => {
    const root = tree({})
    const none = await digest(root, 'pkg/**')
    expect(none).toBe(await digest(tree({ 'x.ts': '' }), 'pkg/**'))
    write(root, 'pkg/a', '')
    expect(await digest(root, 'pkg/**')).not.toBe(none)
  })

  it('counts paths relative to the working directory: the same tree elsewhere gives the same digest', async () => {
    const files = { 'src/a.ts': 'a', 'src/b/c.ts': 'c', 'src/B.ts': 'B' }
    const one = tree(files)
    const two = tree(files)
    const digests = await sourcesDigests(
      [item(0, [join(one, 'src/**')], one), item(1, [join(two, 'src/**')], two)],
      '/'
    )
    expect(digests.digests[0]).toBe(digests.digests[1])
    expect(digests.unreadable).toBe(0)
  })

  it('orders entries by their UTF-8 bytes, however they are found: not UTF-16, not the locale', async () => {
    // U+E000 is EE 80 80 in UTF-8, 😀 F0 9F 98 80, but in UTF-16 😀 (D83D DE00) comes first;
    // a locale puts a before B, bytes put B (42) before a (61).
    const names = ['\uE000', '😀', 'B', 'a', 'é']
    const root = tree(Object.fromEntries(names.map(name => [name, name])))
    const bytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    expect(bytes).toEqual(['B', 'a', 'é', '\uE000', '😀'])
    expect(bytes).not.toEqual([...names].sort())
    expect(bytes).not.toEqual([...names].sort((a, b) => a.localeCompare(b)))
    // The digest as decision 017 defines it, over the entries in that order.
    const expected = createHash('sha256')
    for (const name of bytes) {
      const sha256 = createHash('sha256').update(name).digest('hex')
      expected.update(`F\0${name}\0${Buffer.byteLength(name)}\0${sha256}\0`)
    }
    // One line per file: the glob finds them in the lines' order.
    expect(await digest(root, ...names)).toBe(expected.digest('hex'))
    expect(await digest(root, ...[...names].reverse())).toBe(await digest(root, ...names))
    expect(await digest(root, ...[...bytes].reverse())).toBe(await digest(root, ...names))
  })

  it('leaves out what a ! line excludes, and every .git file and folder', async () => {
    const root = tree({ 'a.ts': 'a' })
    const bare = await digest(root, '**')
    write(root, 'README.md', 'docs')
    write(root, '.git/HEAD', 'ref: x')
    write(root, 'sub/.git', 'gitdir: ../.git/modules/sub')
    write(root, 'sub/.git-keep', 'counts')
    expect(await digest(root, '**', '!**/*.md')).not.toBe(bare)
    rmSync(join(root, 'sub/.git-keep'))
    expect(await digest(root, '**', '!**/*.md')).toBe(bare)
    // Dot files other than .git count.
    write(root, '.env', 'x')
    expect(await digest(root, '**', '!**/*.md')).not.toBe(bare)
  })

  it('reads a link’s own text and never follows it: to a file, to a folder, broken', async () => {
    const root = tree({ 'real/file': 'content', 'real/dir/inner': 'inside' })
    symlinkSync('../real/file', join(root, 'pkg-file'))
    mkdirSync(join(root, 'pkg'))
    symlinkSync('../real/file', join(root, 'pkg/to-file'))
    symlinkSync('../real/dir', join(root, 'pkg/to-dir'))
    symlinkSync('../nowhere', join(root, 'pkg/broken'))
    const first = await digest(root, 'pkg/**')
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    // What is behind a link is not seen (as git stores links) ...
    write(root, 'real/file', 'changed')
    write(root, 'real/dir/inner', 'changed')
    write(root, 'real/dir/added', 'new')
    expect(await digest(root, 'pkg/**')).toBe(first)
    // ... where it points is.
    rmSync(join(root, 'pkg/broken'))
    symlinkSync('../elsewhere', join(root, 'pkg/broken'))
    expect(await digest(root, 'pkg/**')).not.toBe(first)
  })

  describe('links on the way to a line’s folder', () => {
    const saved = process.env.GITHUB_WORKSPACE
    afterEach(() => {
      if (saved === undefined) delete process.env.GITHUB_WORKSPACE
      else process.env.GITHUB_WORKSPACE = saved
    })

    /** A workspace with `link` to a folder outside it holding sub/secret, and `gitlink` to its .git. */
    function linkedWorkspace(): { workspace: string; outside: string } {
      const outside = tree({ 'sub/secret': 's' })
      const workspace = tree({ 'pkg/a': 'a', '.git/config': '[core]' })
      symlinkSync(outside, join(workspace, 'link'))
      symlinkSync('.git', join(workspace, 'gitlink'))
      process.env.GITHUB_WORKSPACE = workspace
      return { workspace, outside }
    }

    it.each([
      ['an item’s line', 'link/sub/**', 'sub', undefined, 'Invalid sources: item 1 (0) has'],
      ['a task’s line', 'link/sub/**', 'sub', [], "Invalid tasks: task '0' has"],
      [
        'a file named through the link',
        'link/sub/secret',
        'sub/secret',
        undefined,
        'Invalid sources: item 1 (0) has'
      ]
    ])('refuses %s that a link takes out of the workspace', async (_, line, real, needs, start) => {
      const { workspace, outside } = linkedWorkspace()
      const linked = { ...item(0, [join(workspace, 'pkg/**'), join(workspace, line)]), needs }
      await expect(sourcesDigests([linked], workspace)).rejects.toThrow(
        `${start} sources '${join(workspace, line)}', which search '${join(realpathSync(outside), real)}' once links are followed, outside the workspace '${realpathSync(workspace)}'. Expected globs whose folders, links followed, are inside the workspace.`
      )
    })

    it('refuses a line that a link takes into .git, which the .git exclusion would not see', async () => {
      const { workspace } = linkedWorkspace()
      await expect(
        sourcesDigests([item(0, [join(workspace, 'gitlink/config')])], workspace)
      ).rejects.toThrow(
        `which search '${join(realpathSync(workspace), '.git/config')}' once links are followed, inside a .git folder, which is never a source.`
      )
      // As does a line that names .git as written, which would only ever match nothing.
      await expect(
        sourcesDigests([item(0, [join(workspace, '.git/**')])], workspace)
      ).rejects.toThrow('inside a .git folder, which is never a source.')
    })

    it('takes a link inside the workspace to a folder inside it, and a missing folder behind a link as nothing', async () => {
      const { workspace } = linkedWorkspace()
      symlinkSync('pkg', join(workspace, 'alias'))
      const viaAlias = await sourcesDigests([item(0, [join(workspace, 'alias/**')])], workspace)
      expect(viaAlias.digests[0]).toMatch(/^[0-9a-f]{64}$/)
      const missing = await sourcesDigests([item(0, [join(workspace, 'alias/none/**')])], workspace)
      expect(missing.digests[0]).toBe(await digest(tree({}), 'x/**'))
    })

    it('records a link to an outside folder as a link, never walked: as a line’s folder or below it', async () => {
      const { workspace, outside } = linkedWorkspace()
      symlinkSync(outside, join(workspace, 'pkg/out'))
      expect(await matchSourceFiles([join(workspace, 'pkg/**')])).toEqual(
        expect.arrayContaining([join(workspace, 'pkg/out')])
      )
      expect(await matchSourceFiles([join(workspace, 'pkg/**')])).toHaveLength(2)
      expect(await matchSourceFiles([join(workspace, 'link/**')])).toEqual([
        join(workspace, 'link')
      ])
      const before = await sourcesDigests(
        [item(0, [join(workspace, 'pkg/**')]), item(1, [join(workspace, 'link')])],
        workspace
      )
      write(outside, 'sub/secret', 'changed')
      write(outside, 'added', 'new')
      expect(
        await sourcesDigests(
          [item(0, [join(workspace, 'pkg/**')]), item(1, [join(workspace, 'link')])],
          workspace
        )
      ).toEqual(before)
    })
  })

  it('names a FIFO and a socket without opening them', async () => {
    const root = tree({ 'pkg/a': 'a' })
    const plain = await digest(root, 'pkg/**')
    // A FIFO with no writer: opening it to read would wait for ever.
    execFileSync('mkfifo', [join(root, 'pkg/fifo')])
    const withFifo = await digest(root, 'pkg/**')
    expect(withFifo).toMatch(/^[0-9a-f]{64}$/)
    expect(withFifo).not.toBe(plain)
    const server = createServer()
    await new Promise<void>(listening => server.listen(join(root, 'pkg/socket'), listening))
    try {
      const withSocket = await digest(root, 'pkg/**')
      expect(withSocket).not.toBe(withFifo)
    } finally {
      server.close()
    }
  })

  const root = process.getuid?.() === 0
  // As root, chmod does not stop reads: the case is left to runs as another user.
  ;(root ? it.skip : it)(
    'leaves the digest unknown for an item with an unreadable file',
    async () => {
      const dir = tree({ 'pkg/a': 'a', 'pkg/secret': 's', 'other/b': 'b' })
      chmodSync(join(dir, 'pkg/secret'), 0)
      try {
        const result = await sourcesDigests(
          [item(0, [join(dir, 'pkg/**')]), item(1, [join(dir, 'other/**')])],
          dir
        )
        expect(result.digests[0]).toBeUndefined()
        expect(result.digests[1]).toMatch(/^[0-9a-f]{64}$/)
        expect(result.unreadable).toBe(1)
      } finally {
        chmodSync(join(dir, 'pkg/secret'), 0o644)
      }
    }
  )

  it('lets through, rather than count as unreadable, an error that is not the file system’s', async () => {
    const root = tree({ 'a/b': 'b' })
    // The inputs refuse such a line; were one to get here, it must fail loudly, not run as changed.
    await expect(digest(root, 'a/[.]/b')).rejects.toThrow(
      "Relative pathing '.' and '..' is not allowed"
    )
  })

  it('says how many could not be read, in one notice', () => {
    expect(describeUnreadable(0)).toBeUndefined()
    expect(describeUnreadable(1)).toBe(
      '1 source file or folder could not be read: the items whose sources match them run, as changed.'
    )
    expect(describeUnreadable(3)).toMatch(/^3 source files or folders could not be read/)
  })

  it('counts a file that vanished before it was read as unreadable', async () => {
    const reader = new SourceReader()
    expect(await reader.entry(join(tmpdir(), 'no-such-source-file'))).toBeUndefined()
    expect(await reader.unreadable()).toBe(1)
  })

  it('leaves items without sources undefined, and globs a shared list and a shared file once', async () => {
    const dir = tree({ 'shared/x': 'x', 'a/1': '1', 'b/1': '1' })
    const result = await sourcesDigests(
      [
        item(0, [join(dir, 'shared/**'), join(dir, 'a/**')]),
        item(1),
        item(2, [join(dir, 'shared/**'), join(dir, 'a/**')]),
        item(3, [join(dir, 'shared/**'), join(dir, 'b/**')])
      ],
      dir
    )
    expect(result.digests[1]).toBeUndefined()
    expect(result.digests[0]).toBe(result.digests[2])
    // a/1 and b/1 hold the same bytes, under other paths.
    expect(result.digests[3]).not.toBe(result.digests[0])
  })

  it('globs each distinct list once, however many items share it', async () => {
    const dir = tree({ 'shared/x': 'x', 'a/1': '1', 'b/1': '1' })
    // @actions/glob says, in a debug line, each folder it starts a search from.
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      if (String(chunk).includes('::debug::Search path')) return written.push(String(chunk)) > 0
      return write(chunk as string, ...(rest as []))
    })
    try {
      const shared = [join(dir, 'shared/**'), join(dir, 'a/**')]
      await sourcesDigests(
        [item(0, shared), item(1, [...shared]), item(2, shared), item(3, [join(dir, 'b/**')])],
        dir
      )
    } finally {
      spy.mockRestore()
    }
    const searched = (folder: string): number =>
      written.filter(line => line.includes(`Search path '${join(dir, folder)}'`)).length
    expect([searched('shared'), searched('a'), searched('b')]).toEqual([1, 1, 1])
  })

  it('counts a folder it cannot list as unreadable: a path longer than the system allows', async () => {
    const dir = tree({ 'other/b': 'b' })
    // Two chains of folders, each short enough to make, one moved to the end of the other.
    const levels = Array.from({ length: 10 }, () => 'd'.repeat(250))
    mkdirSync(join(dir, 'deep', ...levels), { recursive: true })
    mkdirSync(join(dir, 'more', ...levels), { recursive: true })
    renameSync(join(dir, 'more'), join(dir, 'deep', ...levels, 'more'))
    try {
      const result = await sourcesDigests(
        [item(0, [join(dir, 'deep/**')]), item(1, [join(dir, 'other/**')])],
        dir
      )
      expect(result.digests[0]).toBeUndefined()
      expect(result.digests[1]).toMatch(/^[0-9a-f]{64}$/)
      expect(result.unreadable).toBe(1)
    } finally {
      execFileSync('rm', ['-rf', join(dir, 'deep')])
    }
  })

  it('reads many files, at most 16 at once, each once', async () => {
    const dir = tree(
      Object.fromEntries(
        Array.from({ length: 300 }, (_, index) => [`pkg/${index}`, 'x'.repeat(index)])
      )
    )
    const reader = new SourceReader()
    const paths = Array.from({ length: 300 }, (_, index) => join(dir, 'pkg', String(index)))
    const entries = await Promise.all([...paths, ...paths].map(path => reader.entry(path)))
    expect(entries[299]).toEqual({
      kind: 'file',
      size: 299,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/)
    })
    expect(entries[599]).toBe(entries[299])
    expect(reader.peak).toBe(16)
    expect(await reader.unreadable()).toBe(0)
  })
})
