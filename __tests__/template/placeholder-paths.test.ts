import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { Shell } from '../../src/model/shell.js'
import { CommandTemplate } from '../../src/template/template.js'

type Row = [
  item: string,
  noExtension: string,
  base: string,
  directory: string,
  baseNoExtension: string
]

// item, {.}, {/}, {//}, {/.}: the values GNU parallel 20221122 gives, from
//   printf '%s\0' ITEMS... | parallel -0 -k -q printf '%s\0' {} {.} {/} {//} {/.}
// ({.} is s:\.[^/.]*$::, {/} s:.*/::, {//} File::Basename's dirname). The action's values matched
// GNU parallel's for every string of up to 6 characters of 'a', '.' and '/' (1,093 of them) and
// for these; the rows where they differ on purpose are in the next table.
const GNU_PARALLEL: Row[] = [
  ['x.', 'x', 'x.', '.', 'x'],
  ['.', '', '.', '.', ''],
  ['..', '.', '..', '.', '.'],
  ['...', '..', '...', '.', '..'],
  ['x/.', 'x/', '.', 'x', ''],
  ['x/..', 'x/.', '..', 'x', '.'],
  ['.x', '', '.x', '.', ''],
  ['.x.', '.x', '.x.', '.', '.x'],
  ['x..y', 'x.', 'x..y', '.', 'x.'],
  ['x..', 'x.', 'x..', '.', 'x.'],
  ['a.b.', 'a.b', 'a.b.', '.', 'a.b'],
  ['a/b.', 'a/b', 'b.', 'a', 'b'],
  ['a/b.c/d', 'a/b.c/d', 'd', 'a/b.c', 'd'],
  ['a.b/c', 'a.b/c', 'c', 'a.b', 'c'],
  ['a.b/', 'a.b/', '', '.', ''],
  ['.b/', '.b/', '', '.', ''],
  ['x.y/.', 'x.y/', '.', 'x.y', ''],
  ['/', '/', '', '/', ''],
  ['//', '//', '', '/', ''],
  ['///a', '///a', 'a', '/', 'a'],
  ['a/', 'a/', '', '.', ''],
  ['a//b', 'a//b', 'b', 'a', 'b'],
  ['a///', 'a///', '', '.', ''],
  ['a/b/', 'a/b/', '', 'a', ''],
  ['a.b//', 'a.b//', '', '.', ''],
  ['/a', '/a', 'a', '/', 'a'],
  ['/a.b', '/a', 'a.b', '/', 'a'],
  ['./a.b', './a', 'a.b', '.', 'a'],
  ['../a', '../a', 'a', '..', 'a'],
  ['a/..', 'a/.', '..', 'a', '.'],
  ['a/.b', 'a/', '.b', 'a', ''],
  ['', '', '', '.', ''],
  ['a b.c', 'a b', 'a b.c', '.', 'a b'],
  ['a b/c d.e f', 'a b/c d', 'c d.e f', 'a b', 'c d'],
  ['x.tar.gz', 'x.tar', 'x.tar.gz', '.', 'x.tar'],
  ['dir.d/file', 'dir.d/file', 'file', 'dir.d', 'file'],
  ['.bashrc', '', '.bashrc', '.', ''],
  ['é.txt', 'é', 'é.txt', '.', 'é'],
  ["it's $(x).sh", "it's $(x)", "it's $(x).sh", '.', "it's $(x)"],
  ['a\nb.c', 'a\nb', 'a\nb.c', '.', 'a\nb'],
  ['a.b\n', 'a', 'a.b\n', '.', 'a'],
  ['x.y\nz', 'x', 'x.y\nz', '.', 'x'],
  ['d.x/a\nb', 'd.x/a\nb', 'a\nb', 'd.x', 'a\nb'],
  ['a.\nb', 'a', 'a.\nb', '.', 'a'],
  ['\n.a', '\n', '\n.a', '.', '\n'],
  ['a/\n', 'a/\n', '\n', 'a', '\n'],
  ['\n', '\n', '\n', '.', '\n'],
  ['a/b\n', 'a/b\n', 'b\n', 'a', 'b\n']
]

// GNU parallel's s:.*/:: stops at a newline, so its {/} is not the basename of a value with a
// newline before its last slash. The action takes the text after the real last slash.
const DELIBERATE_DIFFERENCES: [...Row, gnuParallel: Row][] = [
  [
    'a/b\nc/d',
    'a/b\nc/d',
    'd',
    'a/b\nc',
    'd',
    ['a/b\nc/d', 'a/b\nc/d', 'b\nc/d', 'a/b\nc', 'b\nc/d']
  ],
  ['a\n/b.c', 'a\n/b', 'b.c', 'a\n', 'b', ['a\n/b.c', 'a\n/b', 'a\nb.c', 'a\n', 'a\nb']]
]

const FORMS = '{.} {/} {//} {/.}'
const POSITIONAL_FORMS = '{1.} {1/} {1//} {1/.}'

/** The values a real bash receives for the path forms of one item, in the given forms. */
function received(forms: string, item: string | string[]): string[] {
  const command = CommandTemplate.parse(`printf '%s\\0' ${forms}`, Shell.Bash).render(item, 1, 1)
  const result = spawnSync(command.file, command.args, { encoding: 'utf8' })
  expect(result.status).toBe(0)
  return result.stdout.split('\0').slice(0, -1)
}

// GNU parallel's own definitions of the path forms (its %Global::replace), run by perl.
const GNU_PARALLEL_FORMS = String.raw`
  use File::Basename;
  $/ = "\0";
  while (my $item = <STDIN>) {
    chomp $item;
    my @forms = ($item) x 4;
    $forms[0] =~ s:\.[^/.]*$::;
    $forms[1] =~ s:.*/::;
    $forms[2] = dirname($forms[2]);
    $forms[3] =~ s:.*/::; $forms[3] =~ s:\.[^/.]*$::;
    print join("\0", @forms), "\0";
  }`

/** Every string of up to `length` characters from `alphabet`. */
function allStrings(alphabet: string[], length: number): string[] {
  const strings = ['']
  for (let start = 0; start < strings.length; start++) {
    const prefix = strings[start] as string
    if ([...prefix].length < length) for (const ch of alphabet) strings.push(prefix + ch)
  }
  return strings
}

/** Strings of random length up to `length` from `alphabet`, from a fixed seed. */
function randomStrings(alphabet: string[], count: number, length: number): string[] {
  let seed = 20221122
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return Math.floor((seed / 2 ** 31) * n)
  }
  return Array.from({ length: count }, () =>
    Array.from({ length: next(length + 1) }, () => alphabet[next(alphabet.length)]).join('')
  )
}

describe('path placeholders, against GNU parallel', () => {
  it.each(GNU_PARALLEL)('%j', (item, ...expected) => {
    expect(received(FORMS, item)).toEqual(expected)
    expect(received(POSITIONAL_FORMS, [item])).toEqual(expected)
    const words = CommandTemplate.parse(`x ${FORMS}`, Shell.None).render(item, 1, 1).args
    expect(words).toEqual(expected)
  })

  // 5,461 strings of up to 6 of 'a', '.', '/' and a newline, and 5,000 random ones of up to 12
  // characters with spaces, backslashes, é and dots.
  it("gives what perl gives with GNU parallel's definitions, for 10,461 strings", () => {
    const items = [
      ...allStrings(['a', '.', '/', '\n'], 6),
      ...randomStrings(['a', '.', '/', '\n', ' ', '\\', 'é', '..'], 5000, 12)
    ]
    expect(items).toHaveLength(10_461)
    const perl = spawnSync('perl', ['-e', GNU_PARALLEL_FORMS], {
      input: items.map(item => `${item}\0`).join(''),
      encoding: 'utf8'
    })
    expect(perl.status).toBe(0)
    const gnu = perl.stdout.split('\0')
    const template = CommandTemplate.parse(`x ${FORMS}`, Shell.None)
    const positional = CommandTemplate.parse(`x ${POSITIONAL_FORMS}`, Shell.None)
    let differences = 0
    items.forEach((item, index) => {
      const expected = gnu.slice(index * 4, index * 4 + 4)
      // The deliberate difference: what follows the real last slash, past any newline.
      if (/\n.*\//s.test(item.slice(0, item.lastIndexOf('/') + 1))) {
        const base = item.slice(item.lastIndexOf('/') + 1)
        expected[1] = base
        expected[3] = base.replace(/\.[^/.]*$/, '')
        differences++
      }
      expect([item, ...template.render(item, 1, 1).args]).toEqual([item, ...expected])
      expect([item, ...positional.render([item], 1, 1).args]).toEqual([item, ...expected])
    })
    expect(differences).toBeGreaterThan(100)
  })

  it.each(DELIBERATE_DIFFERENCES)('%j differs from GNU parallel in {/} and {/.}', (...row) => {
    const [item, noExtension, base, directory, baseNoExtension, gnuParallel] = row
    const expected = [noExtension, base, directory, baseNoExtension]
    expect(received(FORMS, item)).toEqual(expected)
    expect(received(POSITIONAL_FORMS, [item])).toEqual(expected)
    expect(expected).not.toEqual(gnuParallel.slice(1))
  })
})
