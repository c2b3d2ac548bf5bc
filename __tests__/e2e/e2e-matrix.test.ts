import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runAction, type ActionRun } from '../helpers/action.js'
import { MATRIX_EXAMPLES } from '../helpers/matrix-examples.js'

/** One of GitHub's documented examples by its number (M1…M6). */
const example = (name: string) => MATRIX_EXAMPLES.find(e => e.name.startsWith(`${name}:`))!

/** The items of the `results` output, in order, with their keys in order. */
const resultItems = (run: ActionRun): [string, unknown][][] =>
  (JSON.parse(run.outputs.results as string) as { item: object }[]).map(result =>
    Object.entries(result.item)
  )

/** The files a run wrote whose names start with `prefix`, by task number, read. */
function written(run: ActionRun, prefix: string): string[] {
  const names = readdirSync(run.dir).filter(name => name.startsWith(prefix))
  const number = (name: string): number => Number(/(\d+)/.exec(name)?.[1])
  return names
    .sort((a, b) => number(a) - number(b))
    .map(n => readFileSync(join(run.dir, n), 'utf8'))
}

describe("matrix: GitHub's documented examples through the bundled action", () => {
  it('M1: runs the six combinations GitHub lists, in order, each with its own values', async () => {
    const { yaml, expected } = example('M1')
    const run = await runAction({
      matrix: yaml,
      command: 'cp "$PARALLEL_ITEM_FILE" combination-{#}.json && printf %s {fruit} > fruit-{#}.txt'
    })
    expect(run.code).toBe(0)
    expect(resultItems(run)).toEqual(expected.map(c => Object.entries(c)))
    expect(written(run, 'combination-').map(text => JSON.parse(text))).toEqual(expected)
    expect(written(run, 'fruit-')).toEqual(['apple', 'apple', 'pear', 'pear', 'banana', 'banana'])
    expect(run.outputs.total).toBe('6')
    // Labels show each combination's fields, in the log and the summary.
    expect(run.log).toMatch(
      /^::group::✅ #1 fruit=apple, animal=cat, color=pink, shape=circle: succeeded in \S+$/m
    )
    expect(run.log).toMatch(/^::group::✅ #6 fruit=banana, animal=cat: succeeded in \S+$/m)
    expect(run.summary).toContain('<code>fruit=apple, animal=cat, color=pink, shape=circle</code>')
    expect(run.summary).toContain('<code>fruit=pear, animal=dog, color=green</code>')
  })

  it('M1: a placeholder some combination lacks fails before anything runs, naming it', async () => {
    const run = await runAction({
      matrix: example('M1').yaml,
      command: 'echo {fruit}-{animal}-{color} > ran-{#}.txt'
    })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      '::error::Invalid command \'echo {fruit}-{animal}-{color} > ran-{#}.txt\': Placeholder {animal} names nothing in item 5 ({"fruit":"banana"}): the item has no field \'animal\''
    )
    expect(written(run, 'ran-')).toEqual([])
  })

  it('M6: runs the nine combinations exclude leaves, in order, one file each', async () => {
    const { yaml, expected } = example('M6')
    const run = await runAction({
      matrix: yaml,
      command: 'printf %s {os}-{version}-{environment} > out-{#}.txt',
      'max-workers': '3'
    })
    expect(run.code).toBe(0)
    expect(resultItems(run)).toEqual(expected.map(c => Object.entries(c)))
    expect(written(run, 'out-')).toEqual(
      expected.map(c => {
        const { os, version, environment } = c as Record<string, unknown>
        return `${os}-${version}-${environment}`
      })
    )
    expect(run.summary).toContain('<code>os=macos-latest, version=12, environment=staging</code>')
  })

  it('M5: a matrix of include only runs each entry', async () => {
    const { yaml, expected } = example('M5')
    const run = await runAction({ matrix: yaml, command: 'printf %s {site}@{datacenter} > s-{#}' })
    expect(run.code).toBe(0)
    expect(resultItems(run)).toEqual(expected.map(c => Object.entries(c)))
    expect(written(run, 's-')).toEqual(['production@site-a', 'staging@site-b'])
  })
})

describe("matrix: values compare as GitHub's expression == does", () => {
  const review =
    'os: [ubuntu-latest, windows-latest]\nnode: [20, 22]\ninclude:\n' +
    "  - os: ubuntu-latest\n    node: '20'\n    coverage: true\n"

  it("adds include's node '20' to the combination with node 20: four, not five", async () => {
    const run = await runAction({
      matrix: review,
      command: 'cp "$PARALLEL_ITEM_FILE" combination-{#}.json'
    })
    expect(run.code).toBe(0)
    const expected = [
      { os: 'ubuntu-latest', node: 20, coverage: true },
      { os: 'ubuntu-latest', node: 22 },
      { os: 'windows-latest', node: 20 },
      { os: 'windows-latest', node: 22 }
    ]
    expect(run.outputs.total).toBe('4')
    expect(resultItems(run)).toEqual(expected.map(c => Object.entries(c)))
    // The original value stays: the number 20, not the include's '20'.
    expect(written(run, 'combination-')).toEqual(expected.map(c => JSON.stringify(c)))
    expect(run.log).toMatch(
      /^::group::✅ #1 os=ubuntu-latest, node=20, coverage=true: succeeded in \S+$/m
    )
    expect(run.log).not.toMatch(/#5 /)
  })

  it('gives every combination a field with a first include entry, then one its own', async () => {
    const run = await runAction({
      matrix: review.replace('include:\n', 'include:\n  - coverage: false\n'),
      command: 'printf %s {os}-{node}-{coverage} > out-{#}.txt'
    })
    expect(run.code).toBe(0)
    expect(written(run, 'out-')).toEqual([
      'ubuntu-latest-20-true',
      'ubuntu-latest-22-false',
      'windows-latest-20-false',
      'windows-latest-22-false'
    ])
  })

  it("excludes what == matches: MACOS is macOS, '' is 0", async () => {
    const run = await runAction({
      matrix: "os: [Linux, macOS]\nnode: [0, 20]\nexclude: [{os: MACOS, node: ''}]",
      command: 'printf %s {os}-{node} > out-{#}.txt'
    })
    expect(run.code).toBe(0)
    expect(written(run, 'out-')).toEqual(['Linux-0', 'Linux-20', 'macOS-20'])
  })
})

describe('matrix: bad and empty', () => {
  it.each([
    [
      { items: 'a' },
      "Invalid inputs: 'matrix' is set together with 'items'. Expected only one source of items."
    ],
    [{ tasks: 'a: touch ran' }, "Invalid inputs: 'matrix' is set together with 'tasks'."]
  ])('refuses matrix with %p before anything runs', async (other, message) => {
    const run = await runAction({ matrix: 'os: [a, b]', command: 'touch ran', ...other })
    expect(run.code).toBe(1)
    expect(run.log).toContain(`::error::${message}`)
    expect(existsSync(join(run.dir, 'ran'))).toBe(false)
  })

  it('refuses a dimension that is not a list, naming the input', async () => {
    const run = await runAction({ matrix: 'os: linux', command: 'touch ran' })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid matrix: dimension 'os' is a string. Expected a list of values."
    )
    expect(existsSync(join(run.dir, 'ran'))).toBe(false)
  })

  it.each([
    ['warn', 0, '::warning::No items to run'],
    ['error', 1, '::error::No items to run'],
    ['ignore', 0, 'No items to run']
  ])(
    'treats a matrix that exclude empties as no items, under if-no-items %s',
    async (behavior, code, message) => {
      const run = await runAction({
        matrix: 'os: [a, b]\nexclude: [{os: a}, {os: b}]',
        command: 'touch ran',
        'if-no-items': behavior
      })
      expect(run.code).toBe(code)
      expect(run.log).toContain(`${message}: 'matrix' gave no combinations.`)
      expect(run.outputs).toMatchObject({ total: '0', results: '[]', 'failed-items': '[]' })
      expect(existsSync(join(run.dir, 'ran'))).toBe(false)
    }
  )
})
