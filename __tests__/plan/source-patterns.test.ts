import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ItemsMode, type TasksMode } from '../../src/inputs/settings.js'
import { parseTasks } from '../../src/inputs/tasks.js'
import { type Item } from '../../src/model/item.js'
import { Shell } from '../../src/model/shell.js'
import { prepareRun } from '../../src/plan/prepare.js'
import { sourcesWorkspace } from '../../src/plan/source-patterns.js'
import { literalPrefix } from '../../src/system/glob.js'
import { type ExecutionSettings } from '../../src/inputs/settings.js'

const workspace = mkdtempSync(join(tmpdir(), 'source-patterns-'))
const step = join(workspace, 'repo')
mkdirSync(join(step, 'pkg'), { recursive: true })
const execution = { shell: Shell.Bash, maxWorkers: 2, workingDirectory: step } as ExecutionSettings

const saved = process.env.GITHUB_WORKSPACE
beforeEach(() => {
  process.env.GITHUB_WORKSPACE = workspace
})
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_WORKSPACE
  else process.env.GITHUB_WORKSPACE = saved
})

const items = (list: Item[], sources: string[], command = 'echo {}'): ItemsMode => ({
  kind: 'items',
  items: list,
  source: 'items',
  command,
  sources
})

describe('sources rendered per item', () => {
  it('roots each line at the working directory, values escaped, exclusions kept', () => {
    const plan = prepareRun(
      items(['a*', 'b'], ['packages/{}/**', '!**/*.md', '../shared/x']),
      execution
    )
    expect(plan.prepared.map(item => item.sources)).toEqual([
      [`${step}/packages/a[*]/**`, `!${step}/**/*.md`, `${workspace}/shared/x`],
      [`${step}/packages/b/**`, `!${step}/**/*.md`, `${workspace}/shared/x`]
    ])
  })

  it('leaves sources out when there are none', () => {
    const plan = prepareRun({ ...items(['a'], []), sources: undefined }, execution)
    expect(plan.prepared[0]).not.toHaveProperty('sources')
  })

  it('makes no value an exclusion: a ! item is a name', () => {
    const plan = prepareRun(items(['!x', '#y'], ['{}']), execution)
    expect(plan.prepared.map(item => item.sources)).toEqual([[`${step}/!x`], [`${step}/#y`]])
  })

  it.each([
    [
      ['/etc/*'],
      ['x'],
      `Invalid sources '/etc/*': item 1 (x) gives '/etc/*', outside the workspace '${workspace}'. Expected a glob relative to working-directory, inside the workspace.`
    ],
    [
      ['../../*'],
      ['x'],
      `Invalid sources '../../*': item 1 (x) gives '../../*', outside the workspace`
    ],
    [['{}/**'], ['ok', '/etc'], "Invalid sources '{}/**': item 2 (/etc) gives '/etc/**', outside"],
    [
      ['{}/**'],
      ['ok', '../../etc'],
      "Invalid items: Placeholder {} cannot be used in a path pattern for item 2 (\"../../etc\"): its value '../../etc' has the part '..', which is folded away, so the pattern would name another path. Expected a value that names a path of its own: not empty, with no . or .. part."
    ],
    [['/*/x'], ['x'], "Invalid sources '/*/x': item 1 (x) gives '/*/x', outside"],
    [['{%}/x'], ['x'], "Invalid sources '{%}/x': Placeholder {%} cannot be used in a path pattern"],
    [
      ['{name}'],
      ['x'],
      'Invalid sources \'{name}\': Placeholder {name} names nothing in item 1 ("x")'
    ],
    [['{}'], ['a\nb'], 'Invalid items: Placeholder {} cannot be used in a path pattern for item 1']
  ])('refuses %p for %p before anything runs', (lines, list, message) => {
    expect(() => prepareRun(items(list, lines), execution)).toThrow(message)
  })

  it('takes the working directory as the workspace outside GITHUB_WORKSPACE', () => {
    expect(sourcesWorkspace(step, { GITHUB_WORKSPACE: workspace })).toBe(workspace)
    expect(sourcesWorkspace('/elsewhere', { GITHUB_WORKSPACE: workspace })).toBe('/elsewhere')
    expect(sourcesWorkspace(step, {})).toBe(step)
    delete process.env.GITHUB_WORKSPACE
    expect(() => prepareRun(items(['x'], ['../shared/x']), execution)).toThrow(
      `Invalid sources '../shared/x': item 1 (x) gives '../shared/x', outside the workspace '${step}'.`
    )
  })
})

describe("tasks' sources", () => {
  const tasks = async (text: string): Promise<TasksMode> => ({
    kind: 'tasks',
    tasks: await parseTasks(text, 'tasks', 4)
  })

  it('roots them at the task’s own working directory, with no placeholders', async () => {
    const plan = prepareRun(
      await tasks(
        'a:\n  run: make\n  working-directory: pkg\n  sources: ["{x}/**", "!*.md"]\nb: make'
      ),
      execution
    )
    expect(plan.prepared.map(item => item.sources)).toEqual([
      [`${step}/pkg/{x}/**`, `!${step}/pkg/*.md`],
      undefined
    ])
  })

  it('refuses a line outside the workspace, naming the task', async () => {
    const mode = await tasks('a:\n  run: make\n  sources: /etc/passwd')
    expect(() => prepareRun(mode, execution)).toThrow(
      `Invalid tasks: task 'a' has sources '/etc/passwd', outside the workspace '${workspace}'. Expected a glob relative to working-directory, inside the workspace.`
    )
  })
})

describe('literalPrefix', () => {
  it.each([
    ['/w/a/*.ts', '/w/a'],
    ['/w/a[*]/b', '/w/a*/b'],
    ['/w/[[]x]/**', '/w/[x]'],
    ['/w/a\\*b/c', '/w/a*b/c'],
    ['/w/[ab]/c', '/w'],
    ['/*/x', '/'],
    ['/w/a?', '/w']
  ])('of %p is %p', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix)
  })
})
