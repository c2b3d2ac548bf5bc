import { describe, expect, it } from '@jest/globals'
import { parseMatrix } from '../../src/inputs/matrix-input.js'
import { expandMatrix } from '../../src/model/matrix.js'
import { MATRIX_EXAMPLES } from '../helpers/matrix-examples.js'

const expand = async (text: string): Promise<object[]> => expandMatrix(await parseMatrix(text))

describe('parseMatrix', () => {
  it.each(MATRIX_EXAMPLES)('gives what GitHub documents, in order: $name', async example => {
    const combinations = await expand(example.yaml)
    expect(combinations.map(c => Object.entries(c))).toEqual(
      example.expected.map(c => Object.entries(c))
    )
  })

  it('takes JSON, as fromJSON gives a matrix from an earlier job', async () => {
    expect(await expand('{"os": ["linux"], "include": [{"os": "linux", "x": 1}]}')).toEqual([
      { os: 'linux', x: 1 }
    ])
  })

  it('takes anchors and aliases, and keeps __proto__ an ordinary key', async () => {
    expect(await expand('os: &oses [a, b]\ninclude:\n  - {os: a, all: *oses}')).toEqual([
      { os: 'a', all: ['a', 'b'] },
      { os: 'b' }
    ])
    const [combination] = await expand('__proto__: [x]')
    expect(Object.entries(combination as object)).toEqual([['__proto__', 'x']])
    expect(Object.getPrototypeOf(combination)).toBe(Object.prototype)
  })

  it('merges the pairs of a merge key (<<: *defaults), as YAML 1.1 does', async () => {
    const yaml =
      'os: [a, b]\ninclude:\n  - &base {os: a, x: 1}\n  - <<: *base\n    os: b\n    y: 2\n'
    expect(await expand(yaml)).toEqual([
      { os: 'a', x: 1 },
      { os: 'b', x: 1, y: 2 }
    ])
  })

  it('reads 3.10 as the number 3.1, as GitHub does: versions need quotes', async () => {
    expect(await expand("python: [3.10, '3.10']")).toEqual([{ python: 3.1 }, { python: '3.10' }])
    // As GitHub's ==, an include's '3.10' equals both the string and the number 3.1.
    expect(await expand("python: [3.10, '3.10']\ninclude: [{python: '3.10', x: 1}]")).toEqual([
      { python: 3.1, x: 1 },
      { python: '3.10', x: 1 }
    ])
  })

  it("adds an include whose quoted '20' equals a dimension's 20 to it, keeping 20", async () => {
    const yaml =
      'os: [ubuntu-latest, windows-latest]\nnode: [20, 22]\ninclude:\n' +
      "  - os: ubuntu-latest\n    node: '20'\n    coverage: true\n"
    expect(JSON.stringify(await expand(yaml))).toBe(
      JSON.stringify([
        { os: 'ubuntu-latest', node: 20, coverage: true },
        { os: 'ubuntu-latest', node: 22 },
        { os: 'windows-latest', node: 20 },
        { os: 'windows-latest', node: 22 }
      ])
    )
  })

  it('reads YAML booleans, null and case as GitHub compares them', async () => {
    const yaml =
      'os: [Ubuntu-Latest]\nflag: [true, null]\nexclude: [{flag: 0}]\n' +
      "include: [{os: ubuntu-latest, flag: 1, x: 1}, {flag: '', y: 2}]"
    // null == 0 excludes flag: null; true == 1 and Ubuntu-Latest == ubuntu-latest add x;
    // '' == null would match, but that combination is gone: {flag: ''} becomes a new one.
    expect(await expand(yaml)).toEqual([
      { os: 'Ubuntu-Latest', flag: true, x: 1 },
      { flag: '', y: 2 }
    ])
  })
})

describe('parseMatrix refuses, naming the input', () => {
  it.each([
    [
      'a YAML syntax error',
      'os: [a\nnode: 1',
      'Invalid matrix: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1. Expected YAML such as {os: [linux, macos], node: [20, 22]}.'
    ],
    [
      'a key given twice',
      'os: [a]\nos: [b]',
      'Invalid matrix: Map keys must be unique at line 2, column 1. Expected YAML such as {os: [linux, macos], node: [20, 22]}.'
    ],
    [
      'a list at the top',
      '[a, b]',
      'Invalid matrix: the YAML is a list. Expected a mapping of dimensions to lists, with optional include and exclude, such as {os: [linux, macos], node: [20, 22]}.'
    ],
    [
      'text without YAML in it',
      '# nothing',
      'Invalid matrix: the YAML is empty. Expected a mapping of dimensions to lists'
    ],
    [
      'a scalar at the top',
      'linux',
      'Invalid matrix: the YAML is a string. Expected a mapping of dimensions to lists'
    ],
    [
      'a dimension that is a string',
      'os: linux',
      "Invalid matrix: dimension 'os' is a string. Expected a list of values."
    ],
    [
      'a dimension that is a mapping',
      'os: {a: 1}',
      "Invalid matrix: dimension 'os' is a mapping. Expected a list of values."
    ],
    [
      'a dimension with nothing',
      'os:',
      "Invalid matrix: dimension 'os' is empty. Expected a list of values."
    ],
    [
      'an empty dimension',
      'os: []',
      "Invalid matrix: dimension 'os' is an empty list. Expected at least one value."
    ],
    [
      'include that is not a list',
      'include: {os: linux}',
      'Invalid matrix: include is a mapping. Expected a list of mappings such as [{os: linux, node: 20}].'
    ],
    [
      'exclude that is not a list',
      'os: [a]\nexclude: a',
      'Invalid matrix: exclude is a string. Expected a list of mappings such as [{os: linux, node: 20}].'
    ],
    [
      'an include item that is a string',
      'include:\n  - os: linux\n  - macos',
      'Invalid matrix: include item 2 is a string. Expected a mapping such as {os: linux, node: 20}.'
    ],
    [
      'an exclude item that is a list',
      'os: [a]\nexclude: [[a]]',
      'Invalid matrix: exclude item 1 is a list. Expected a mapping such as {os: linux, node: 20}.'
    ],
    [
      'an empty exclude item',
      'os: [a]\nexclude: [{}]',
      'Invalid matrix: exclude item 1 is empty. Expected a mapping of dimensions to values such as {os: linux, node: 20}.'
    ],
    [
      'an exclude key that is no dimension',
      'os: [a]\nexclude: [{arch: x64}]',
      "Invalid matrix: exclude item 1 has key 'arch', which is not a dimension. Expected keys among: os."
    ],
    [
      'a dimension no placeholder can name',
      "'a b': [1]",
      "Invalid matrix: key 'a b' cannot be named in a placeholder. Expected letters, digits, _ and -, not starting with a digit."
    ],
    [
      'an include key no placeholder can name',
      "include: [{'1x': 1}]",
      "Invalid matrix: key '1x' cannot be named in a placeholder. Expected letters, digits, _ and -, not starting with a digit."
    ],
    [
      'a key that is a number',
      'os: [a]\n1: [b]',
      "Invalid matrix: the key '1' at line 2, column 1 is not text. Expected keys that are text: quote a key such as '1' or 'true'."
    ],
    [
      'a nested key that is a list',
      'os: [{? [a] : 1}]',
      "Invalid matrix: the key '[a]' at line 1, column 9 is not text."
    ],
    [
      'a number past what JSON keeps exactly',
      'id: [12345678901234567890]',
      "Invalid matrix: the number 12345678901234567890 at line 1, column 6 cannot be kept exactly. Expected it as a string: '12345678901234567890'."
    ],
    [
      'an infinite number',
      'x: [1, .inf]',
      "Invalid matrix: the number .inf at line 1, column 8 cannot be kept exactly. Expected it as a string: '.inf'."
    ],
    [
      'binary data',
      'x: [!!binary aGVsbG8=]',
      'Invalid matrix: a value is a Buffer, which JSON cannot hold. Expected strings, numbers, booleans, null, lists and mappings only.'
    ],
    [
      'more combinations than the limit',
      `a: [${Array.from({ length: 300 }, (_, i) => i).join(',')}]\nb: [${Array.from({ length: 300 }, (_, i) => i).join(',')}]`,
      'Invalid matrix: 300 × 300 = 90,000 combinations. Expected at most 65,536.'
    ],
    [
      'two YAML documents',
      'os: [a]\n---\nos: [b]',
      'Invalid matrix: a second YAML document (---) at line 2, column 1. Expected YAML such as'
    ],
    [
      'a product too large to write out',
      Array.from({ length: 1100 }, (_, i) => `d${i}: [a, b]`).join('\n'),
      'Invalid matrix: 2 × 2 × 2 × 2 × … (1,100 dimensions) = more than 2^53 combinations. Expected at most 65,536.'
    ],
    [
      'too many aliases',
      `a: &a [x]\nb: [${Array.from({ length: 2000 }, () => '*a').join(', ')}]`,
      'Invalid matrix: Excessive alias count indicates a resource exhaustion attack. Expected fewer aliases.'
    ]
  ])('%s', async (_, text, message) => {
    await expect(expand(text)).rejects.toThrow(message)
  })

  it('refuses YAML nested deeper than items may be', async () => {
    const deep = `a: [${'['.repeat(1500)}${']'.repeat(1500)}]`
    // The parser's own stack gives out first, at a depth that depends on the stack's size.
    await expect(expand(deep)).rejects.toThrow(/^Invalid matrix: /)
  })
})
