import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import {
  asWorkflow,
  blockProblems,
  yamlBlocks,
  type ActionInterface,
  workflowProblems,
  type YamlBlock
} from './yaml-blocks.js'

const actionYml = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
const action: ActionInterface = {
  inputs: new Set(Object.keys(actionYml.inputs)),
  outputs: new Set(Object.keys(actionYml.outputs))
}
const files = [
  'README.md',
  'bench/README.md',
  ...readdirSync('docs')
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`)
]
const blocks = files.flatMap(file => yamlBlocks(file, readFileSync(file, 'utf8')))

/** A block of one file, from its text. */
function block(text: string): YamlBlock {
  return { file: 'example.md', line: 10, text }
}

describe('the YAML blocks of the READMEs and docs/', () => {
  it('are many: the README holds the usage block and the recipes', () => {
    expect(blocks.filter(({ file }) => file === 'README.md').length).toBeGreaterThanOrEqual(10)
  })

  it('are valid workflows that actionlint finds nothing in, using only what action.yml declares', async () => {
    const problems = []
    for (const each of blocks) problems.push(...(await blockProblems(each, action)))
    expect(problems.map(({ file, line, message }) => `${file}:${line}: ${message}`)).toEqual([])
  })
})

describe("the repository's own workflows", () => {
  it('are ones actionlint finds nothing in', async () => {
    const dir = '.github/workflows'
    const problems = []
    for (const name of readdirSync(dir).filter(file => /\.ya?ml$/.test(file))) {
      problems.push(
        ...(await workflowProblems(`${dir}/${name}`, readFileSync(`${dir}/${name}`, 'utf8')))
      )
    }
    expect(problems).toEqual([])
  })
})

describe('checking a block', () => {
  it('wraps each shape of fragment in a workflow', () => {
    const shapes = [
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
      'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n',
      '- run: echo\n- uses: parallel-exec/parallel-exec@v1\n  with:\n    items: a\n',
      'uses: parallel-exec/parallel-exec@v1\nwith:\n  items: |\n    a\n    b\n',
      'with:\n  items: a\n  command: echo {}\n',
      'items: a\ncommand: echo {}\n'
    ]
    for (const text of shapes) {
      const wrapped = asWorkflow(block(text), action)
      expect('workflow' in wrapped && parse(wrapped.workflow)).toMatchObject({
        on: expect.anything()
      })
    }
  })

  it('reports invalid YAML, an unknown input, an unknown output and what actionlint finds, at their lines', async () => {
    const found = async (text: string) =>
      (await blockProblems(block(text), action)).map(({ line, message }) => `${line}: ${message}`)
    expect(await found('command: echo "file: {}"   # prints: a: b\n')).toEqual([
      expect.stringMatching(/^10: not valid YAML/)
    ])
    expect(await found('with:\n  items: a\n  comand: echo {}\n')).toEqual([
      "10: 'comand' is not an input of action.yml"
    ])
    expect(
      await found(
        '- id: run\n  uses: parallel-exec/parallel-exec@v1\n  with:\n    items: a\n' +
          '- run: echo "$N"\n  env:\n    N: ${{ steps.run.outputs.failures }}\n'
      )
    ).toEqual(["10: 'steps.run.outputs.failures': 'failures' is not an output of action.yml"])
    expect(await found('- run: echo\n  if: ${{ steps.nothing.outputs.x }}\n')).toEqual([
      expect.stringMatching(/^11: actionlint \[expression\]: property "nothing" is not defined/)
    ])
  })
})
