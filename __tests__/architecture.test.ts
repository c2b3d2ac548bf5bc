import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { ESLint } from 'eslint'

interface Layers {
  folders: Record<string, { imports: string[]; githubFree: boolean }>
}
const { folders } = JSON.parse(readFileSync('scripts/layers.json', 'utf8')) as Layers

/** Every .ts file under src/, relative to it. */
function sourceFiles(): string[] {
  return readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.ts'))
    .map(name => name.split('\\').join('/'))
}

/** The src/ files a file imports, type-only imports and re-exports included. */
function importsOf(file: string): string[] {
  const text = readFileSync(join('src', file), 'utf8')
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)]
  return specifiers.map(([, spec]) => normalize(join(dirname(file), `${spec}.ts`)))
}

/** One import cycle among the files, as a path, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file]
    state.set(file, 'open')
    path.push(file)
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    path.pop()
    state.set(file, 'done')
    return undefined
  }
  for (const file of graph.keys()) {
    const cycle = visit(file)
    if (cycle) return cycle
  }
  return undefined
}

describe('architecture', () => {
  const files = sourceFiles()
  const graph = new Map(files.map(file => [file, importsOf(file)]))

  it('puts every source file in a folder of scripts/layers.json, or at the top', () => {
    const misplaced = files.filter(file => {
      const folder = dirname(file)
      return folder === '.' ? !['main.ts', 'index.ts'].includes(file) : !(folder in folders)
    })
    expect(misplaced).toEqual([])
  })

  it('has no import cycle, type-only imports included', () => {
    expect(findCycle(graph)).toBeUndefined()
  })

  it('finds a cycle when there is one', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']]
    ])
    expect(findCycle(cyclic)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts'])
  })

  it('imports only down the layers', () => {
    const wrong: string[] = []
    for (const [file, imports] of graph) {
      const folder = dirname(file)
      if (folder === '.') continue
      for (const target of imports) {
        const to = dirname(target)
        const allowed = to === folder || (folders[folder]?.imports ?? []).includes(to)
        if (!allowed) wrong.push(`${file} -> ${relative('.', target)}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps GitHub out of the core: no @actions package in the GitHub-free folders', () => {
    const free = files.filter(file => folders[dirname(file)]?.githubFree)
    const offenders = free.filter(file =>
      /from '@actions\//.test(readFileSync(join('src', file), 'utf8'))
    )
    expect(offenders).toEqual([])
  })

  it('makes lint fail on an import against the layer order, type-only too', async () => {
    const eslint = new ESLint()
    const [wrongWay] = await eslint.lintText(
      "import { type TaskLog } from '../log/task-log.js'\nexport type T = TaskLog\n",
      { filePath: 'src/exec/example.ts' }
    )
    const [rightWay] = await eslint.lintText(
      "import { type Item } from '../model/item.js'\nexport type T = Item\n",
      { filePath: 'src/exec/example.ts' }
    )
    const rules = (result: ESLint.LintResult | undefined): (string | null)[] =>
      result?.messages.map(message => message.ruleId) ?? ['no result']
    expect(rules(wrongWay)).toContain('no-restricted-imports')
    expect(rules(rightWay)).toEqual([])
  })

  it('has docs/architecture.md say what scripts/layers.json says', () => {
    const doc = readFileSync('docs/architecture.md', 'utf8')
    const table = [...doc.matchAll(/^\| `(\w+)\/` +\|[^|]*\| ([^|]*?) +\|$/gm)].map(
      ([, folder, imports]) => [folder, imports === 'nothing' ? [] : (imports ?? '').split(', ')]
    )
    expect(Object.fromEntries(table)).toEqual(
      Object.fromEntries(Object.entries(folders).map(([folder, { imports }]) => [folder, imports]))
    )
    const drawn = [...doc.matchAll(/^ +(\w+) --> ([\w &]+)$/gm)].flatMap(([, from, to]) =>
      (to ?? '').split(' & ').map(target => `${from} -> ${target}`)
    )
    const allowed = Object.entries(folders).flatMap(([folder, { imports }]) =>
      imports
        .filter(target => !['model', 'system'].includes(target))
        .map(target => `${folder} -> ${target}`)
    )
    expect(drawn.sort()).toEqual(allowed.sort())
    const top = /^ +main\["[^"]*"\] --> ([\w &]+)$/m.exec(doc)?.[1]?.split(' & ') ?? []
    const topImports = ['main.ts', 'index.ts'].flatMap(file => graph.get(file) ?? [])
    const used = new Set(topImports.map(target => dirname(target)))
    for (const hidden of ['.', 'model', 'system']) used.delete(hidden)
    expect(top.sort()).toEqual([...used].sort())
  })
})
