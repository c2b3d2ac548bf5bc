import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from '../../src/inputs/read-inputs.js'
import { parseSourceLines } from '../../src/inputs/source-lines.js'
import { SkipPassed } from '../../src/inputs/settings.js'
import { parseTasks } from '../../src/inputs/tasks.js'

const setInputs = (inputs: Record<string, string>): void => {
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => {
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_')) delete process.env[name]
  jest.restoreAllMocks()
})

describe('history and skip-passed', () => {
  it('resolves history against working-directory and reads skip-passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'history-inputs-'))
    setInputs({
      items: 'a',
      history: '.cache/history.json',
      'skip-passed': 'rerun',
      'working-directory': dir
    })
    expect(await getInputs()).toMatchObject({
      historyPath: join(dir, '.cache/history.json'),
      skipPassed: SkipPassed.Rerun
    })
  })

  it('still reads timings as the history', async () => {
    setInputs({ items: 'a', timings: '/tmp/t.json', 'skip-passed': ' unchanged ' })
    expect(await getInputs()).toMatchObject({
      historyPath: '/tmp/t.json',
      skipPassed: SkipPassed.Unchanged
    })
  })

  it.each([
    [
      { items: 'a', history: 'h.json', 'skip-passed': 'sometimes' },
      "Invalid skip-passed 'sometimes'. Expected one of: never, rerun, unchanged."
    ],
    [
      { items: 'a', history: 'h.json', timings: 't.json' },
      "Invalid inputs: 'history' is set together with 'timings'. Expected one of them: 'history' reads a timings file too."
    ],
    [
      { items: 'a', 'skip-passed': 'rerun' },
      "Invalid inputs: 'skip-passed' is 'rerun' but 'history' is not set. Expected 'history' with an earlier run's history-file, or 'skip-passed: never'."
    ],
    [
      { items: 'a', history: 'h.json', 'skip-passed': 'unchanged', 'stop-on-success': '1' },
      "Invalid inputs: 'skip-passed' is set together with 'stop-on-success'. Expected one of them: a reused success would end the race without running anything."
    ],
    [
      { 'merge-results': '*.json', history: 'h.json', 'skip-passed': 'rerun' },
      "Invalid inputs: 'skip-passed' is set together with 'merge-results'. Expected 'skip-passed' in the jobs that run the tasks."
    ]
  ])('refuses %p', async (inputs, message) => {
    setInputs(inputs)
    await expect(getInputs()).rejects.toThrow(message)
  })

  it('says that unchanged acts as rerun when no item has sources', async () => {
    const printed: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
    setInputs({ items: 'a', history: 'h.json', 'skip-passed': 'unchanged' })
    await getInputs()
    expect(printed.join('')).toContain('skip-passed: unchanged, but no item has sources')
    printed.length = 0
    setInputs({ sources: 'src/{}/**' })
    await getInputs()
    expect(printed.join('')).not.toContain('no item has sources')
  })
})

describe('sources', () => {
  it('reads lines, trimmed, without blanks and comments, exclusions kept', async () => {
    setInputs({ items: 'a', sources: '  packages/{}/**  \n\n# a comment\n!**/*.md\r\n{#}.txt\n' })
    const { mode } = await getInputs()
    expect(mode).toMatchObject({
      kind: 'items',
      sources: ['packages/{}/**', '!**/*.md', '{#}.txt']
    })
  })

  it('gives review threads their sources', async () => {
    setInputs({
      'items-from': 'review-threads',
      command: 'fix {path}',
      'github-token': 't',
      sources: '{path}'
    })
    expect((await getInputs()).mode).toMatchObject({ kind: 'review-threads', sources: ['{path}'] })
  })

  it('leaves them out when none are given', async () => {
    setInputs({ items: 'a', sources: '\n  \n# only a comment' })
    expect((await getInputs()).mode).not.toHaveProperty('sources')
  })

  it.each([
    [
      { items: 'a', sources: '~/.npmrc' },
      "Invalid sources '~/.npmrc': it starts with ~, a home folder outside the workspace. Expected a glob relative to working-directory, inside the workspace."
    ],
    [{ items: 'a', sources: '!~/x\nsrc/**' }, "Invalid sources '!~/x': it starts with ~"],
    [
      { items: 'a', sources: '!**/*.md\n!docs/**' },
      "Invalid sources '!**/*.md⏎!docs/**': every line excludes files (!). Expected at least one line naming the files to include, such as packages/{}/**."
    ],
    [
      { items: 'a', sources: 'src/**\na/[.]/b' },
      "Invalid sources 'a/[.]/b': its part '[.]' stands for '.', which a glob cannot hold. Expected . and .. written as they are (they are folded: 'a/../b' is 'b'), or a name."
    ],
    [
      { items: 'a', sources: 'a/\\./b' },
      "Invalid sources 'a/\\./b': its part '\\.' stands for '.'"
    ],
    [
      { items: 'a', sources: '*/[.][.]/a/b' },
      "Invalid sources '*/[.][.]/a/b': its part '[.][.]' stands for '..'"
    ],
    [
      { items: 'a', sources: 'x\n!x/[.]' },
      "Invalid sources '!x/[.]': its part '[.]' stands for '.'"
    ],
    [
      { tasks: 'a: make', sources: 'src/**' },
      "Invalid inputs: 'sources' is set together with 'tasks'. Expected no step-level sources with tasks: give each task its own sources: list."
    ],
    [
      { 'merge-results': '*.json', sources: 'src/**' },
      "Invalid inputs: 'sources' is set together with 'merge-results'. Expected 'sources' in the jobs that run the tasks."
    ]
  ])('refuses %p', async (inputs, message) => {
    setInputs(inputs)
    await expect(getInputs()).rejects.toThrow(message)
  })

  it('reads no line of a value as a comment or an exclusion: lines come from the template', () => {
    expect(parseSourceLines('Invalid sources', '{}\n{#}/x\n!{}.md')).toEqual([
      '{}',
      '{#}/x',
      '!{}.md'
    ])
  })
})

describe("tasks' sources", () => {
  it('reads a string of lines or a list', async () => {
    const tasks = await parseTasks(
      'build:\n  run: make\n  sources: |\n    src/**\n    # not this\n    !src/**/*.md\n' +
        'test:\n  run: make test\n  sources: [test/**, " Makefile "]\nlint: make lint\n',
      'tasks',
      4
    )
    expect(tasks.map(task => task.sources)).toEqual([
      ['src/**', '!src/**/*.md'],
      ['test/**', 'Makefile'],
      undefined
    ])
  })

  it.each([
    ['a:\n  run: make\n  sources: 3', "Invalid tasks: task 'a' has sources that are not text."],
    [
      'a:\n  run: make\n  sources: [src, [x]]',
      "Invalid tasks: task 'a' has sources that are not text."
    ],
    [
      'a:\n  run: make\n  sources: "~/x"',
      "Invalid tasks: task 'a' has sources '~/x': it starts with ~"
    ],
    [
      'a:\n  run: make\n  sources: ["!x"]',
      "Invalid tasks: task 'a' has sources '!x': every line excludes files (!)."
    ],
    [
      'a:\n  run: make\n  sources: [src/**, "*/[.][.]/b"]',
      "Invalid tasks: task 'a' has sources '*/[.][.]/b': its part '[.][.]' stands for '..', which a glob cannot hold."
    ],
    [
      'a:\n  run: make\n  sources: []',
      "Invalid tasks: task 'a' has sources [], which name no file. Expected a glob such as 'src/**', or a list of them; leave sources: out for a task without sources."
    ],
    [
      'a:\n  run: make\n  sources: "# src/**"',
      'Invalid tasks: task \'a\' has sources "# src/**", which name no file.'
    ],
    [
      'a:\n  run: make\n  sources: [src/**, "#x"]',
      'Invalid tasks: task \'a\' has sources "#x" in its list: blank, a comment or more than one line. Expected one glob per entry, such as src/**; leave out what is not one.'
    ],
    [
      'a:\n  run: make\n  sources: [src/**, " "]',
      'Invalid tasks: task \'a\' has sources " " in its list: blank'
    ],
    [
      'a:\n  run: make\n  sources: ["src/**\\n!x"]',
      'Invalid tasks: task \'a\' has sources "src/**\\n!x" in its list'
    ],
    [
      'a:\n  run: make\n  sources: "a\\0b"',
      "Invalid tasks: task 'a': its sources contains a NUL character"
    ]
  ])('refuses %p', async (text, message) => {
    await expect(parseTasks(text, 'tasks', 4)).rejects.toThrow(message)
  })
})
