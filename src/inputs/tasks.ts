import { parseDurationInput } from '../model/duration.js'
import { cut } from '../model/labels.js'
import { unsendableCharacter } from '../model/unsendable.js'
import { parseLocks, parseSlots } from './resource-fields.js'
import { parseSourceLines } from './source-lines.js'

/** One named task of the `tasks` input. */
export interface TaskSpec {
  /** The task's name: its item in the results. */
  name: string
  /** The script it runs, in the step's shell. */
  run: string
  /** Names of the tasks that must succeed before it starts. */
  needs: string[]
  /** Its own time limit in ms, overriding `timeout`. */
  timeoutMs?: number
  /** Its own retry count, overriding `retries`. */
  retries?: number
  /** Its own working directory (relative to the step's), overriding `working-directory`. */
  workingDirectory?: string
  /** Extra environment variables. */
  env?: Record<string, string>
  /** Among tasks ready to start, higher goes first. */
  priority?: number
  /** Glob lines whose files decide whether it changed (`skip-passed: unchanged`). */
  sources?: string[]
  /** How many of the `max-workers` slots it holds while it runs, 1 to max-workers (default 1). */
  slots?: number
  /** Names of the resources it holds exclusively while it runs, each once; absent for none. */
  locks?: string[]
}

const FIELDS = [
  'run',
  'needs',
  'timeout',
  'retries',
  'working-directory',
  'env',
  'priority',
  'sources',
  'slots',
  'locks'
]

/**
 * Parses the `tasks` input: a YAML mapping of task names to a command, or to an object with
 * `run` and optionally `needs`, `timeout`, `retries`, `working-directory`, `env`, `priority`,
 * `sources`, `slots` (from 1 to `maxWorkers`, what `max-workers` resolved to) and `locks`.
 * Every problem (YAML syntax, a duplicate name, an unknown field or need, a cycle) is an error
 * naming `input` and the task, before anything runs.
 */
export async function parseTasks(
  text: string,
  input: string,
  maxWorkers: number
): Promise<TaskSpec[]> {
  // The YAML parser is a third of a megabyte: loaded only when there are tasks to parse.
  const yaml = await import('yaml')
  const document = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: true })
  const problem = document.errors[0]
  if (problem !== undefined) {
    const message = problem.message.split('\n')[0]?.replace(/:$/, '')
    throw new Error(
      `Invalid ${input}: ${message}. Expected a YAML mapping of task names to commands.`
    )
  }
  if (!yaml.isMap(document.contents)) {
    throw new Error(
      `Invalid ${input}: expected a YAML mapping of task names to commands, such as 'lint: npm run lint'.`
    )
  }
  const spellings = new Map<string, string>()
  const tasks = document.contents.items.map(pair => {
    const toJS = (node: unknown): unknown => (yaml.isNode(node) ? node.toJS(document) : node)
    const spelling =
      yaml.isNode(pair.key) && pair.key.range ? text.slice(...pair.key.range.slice(0, 2)) : ''
    const name = taskName(input, toJS(pair.key), spelling)
    // YAML tells 1 from "1" and true from "true"; their names do not.
    const earlier = spellings.get(name)
    if (earlier !== undefined) {
      throw new Error(
        `Invalid ${input}: the keys '${cut(earlier, 40)}' and '${cut(spelling, 40)}' both name task '${name}'. ` +
          'Expected each task name once.'
      )
    }
    spellings.set(name, spelling)
    return parseTask(input, name, toJS(pair.value), maxWorkers)
  })
  const names = new Set(tasks.map(task => task.name))
  for (const task of tasks) {
    for (const need of task.needs) {
      if (!names.has(need)) {
        throw new Error(
          `Invalid ${input}: task '${task.name}' needs '${need}', which is not a task. ` +
            `Expected one of: ${[...names].join(', ')}.`
        )
      }
      if (need === task.name) throw new Error(`Invalid ${input}: task '${task.name}' needs itself.`)
    }
  }
  const cycle = findCycle(tasks)
  if (cycle !== undefined) {
    throw new Error(`Invalid ${input}: the needs form a cycle: ${cycle.join(' → ')}.`)
  }
  return tasks
}

/** A task's name from its YAML key: text, a number or a boolean as written in JSON. */
function taskName(input: string, key: unknown, spelling: string): string {
  if (key === null && spelling.trim() !== '') {
    throw new Error(
      `Invalid ${input}: the key '${spelling}' is YAML's null, not a name. ` +
        `Expected a task name: quote it ("${spelling}") to use it as one.`
    )
  }
  if (key === null || key === undefined || (typeof key === 'string' && key.trim() === '')) {
    throw new Error(`Invalid ${input}: a task has an empty name.`)
  }
  if (typeof key === 'object') {
    throw new Error(
      `Invalid ${input}: the key '${cut(spelling, 40)}' is a collection. Expected a task name.`
    )
  }
  return String(key)
}

function parseTask(input: string, name: string, spec: unknown, maxWorkers: number): TaskSpec {
  const where = `Invalid ${input}: task '${name}'`
  checkSendable(where, 'its name', name)
  if (typeof spec === 'string') {
    checkSendable(where, 'its run', spec)
    return { name, run: spec, needs: [] }
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new Error(`${where} is neither a command nor a mapping with 'run'.`)
  }
  const fields = spec as Record<string, unknown>
  const unknown = Object.keys(fields).filter(field => !FIELDS.includes(field))
  if (unknown.length > 0) {
    throw new Error(
      `${where} has an unknown field '${unknown[0]}'. Expected: ${FIELDS.join(', ')}.`
    )
  }
  if (typeof fields.run !== 'string' || fields.run.trim() === '') {
    throw new Error(`${where} has no 'run'. Expected the command to run, as a string.`)
  }
  checkSendable(where, 'its run', fields.run)
  const task: TaskSpec = { name, run: fields.run, needs: parseNeeds(where, fields.needs) }
  if (fields.timeout !== undefined) {
    task.timeoutMs = parseDurationInput(
      String(fields.timeout),
      `${where} has timeout`,
      "'90s', '5m' or '1h30m'"
    )
  }
  if (fields.retries !== undefined) {
    if (!Number.isSafeInteger(fields.retries) || (fields.retries as number) < 0) {
      throw new Error(
        `${where} has retries '${String(fields.retries)}'. Expected a whole number from 0 up.`
      )
    }
    task.retries = fields.retries as number
  }
  if (fields['working-directory'] !== undefined) {
    if (typeof fields['working-directory'] !== 'string' || fields['working-directory'] === '') {
      throw new Error(`${where} has an empty or non-string working-directory.`)
    }
    checkSendable(where, 'its working-directory', fields['working-directory'])
    task.workingDirectory = fields['working-directory']
  }
  if (fields.env !== undefined) task.env = parseEnv(where, fields.env)
  if (fields.priority !== undefined) {
    if (typeof fields.priority !== 'number' || !Number.isFinite(fields.priority)) {
      throw new Error(`${where} has priority '${String(fields.priority)}'. Expected a number.`)
    }
    task.priority = fields.priority
  }
  if (fields.sources !== undefined) task.sources = parseTaskSources(where, fields.sources)
  if (fields.slots !== undefined) task.slots = parseSlots(where, fields.slots, maxWorkers)
  if (fields.locks !== undefined) {
    const locks = parseLocks(where, fields.locks)
    if (locks.length > 0) task.locks = locks
  }
  return task
}

/**
 * A task's `sources:`: a string of glob lines or a list of globs, read as the `sources` input. A
 * list entry is one glob (never blank, a comment or two lines), and the key given names a file.
 */
function parseTaskSources(where: string, sources: unknown): string[] {
  const list = Array.isArray(sources) ? sources : [sources]
  if (!list.every(line => typeof line === 'string')) {
    throw new Error(
      `${where} has sources that are not text. Expected a glob such as 'src/**', or a list of them.`
    )
  }
  if (Array.isArray(sources)) {
    const odd = (list as string[]).find(line => /^\s*(#|$)|[\n\r]/.test(line))
    if (odd !== undefined) {
      throw new Error(
        `${where} has sources ${JSON.stringify(odd)} in its list: blank, a comment or more than ` +
          'one line. Expected one glob per entry, such as src/**; leave out what is not one.'
      )
    }
  }
  const text = (list as string[]).join('\n')
  checkSendable(where, 'its sources', text)
  const lines = parseSourceLines(`${where} has sources`, text)
  if (lines === undefined) {
    throw new Error(
      `${where} has sources ${JSON.stringify(sources)}, which name no file. Expected a glob such ` +
        "as 'src/**', or a list of them; leave sources: out for a task without sources."
    )
  }
  return lines
}

/** Refuses text no command could be given as written (a NUL character, a lone surrogate). */
function checkSendable(where: string, what: string, text: string): void {
  const unsendable = unsendableCharacter(text)
  if (unsendable !== undefined) {
    throw new Error(
      `${where}: ${what} contains ${unsendable}, which no command can be given. ` +
        'Expected text without one.'
    )
  }
}

function parseNeeds(where: string, needs: unknown): string[] {
  if (needs === undefined || needs === null) return []
  const list = Array.isArray(needs) ? needs : [needs]
  if (!list.every(need => typeof need === 'string')) {
    throw new Error(
      `${where} has needs that are not task names. Expected a name or a list of names.`
    )
  }
  return [...new Set(list as string[])]
}

function parseEnv(where: string, env: unknown): Record<string, string> {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    throw new Error(`${where} has env that is not a mapping. Expected NAME: value pairs.`)
  }
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(env as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(
        `${where} has env variable '${name}'. Expected a name of letters, digits and _.`
      )
    }
    if (value !== null && typeof value === 'object') {
      throw new Error(`${where} has env ${name} that is not a string, number or boolean.`)
    }
    result[name] = String(value ?? '')
    checkSendable(where, `its env ${name}`, result[name])
  }
  return result
}

/** A cycle among the tasks' needs, as the names along it ending where it began, or undefined. */
export function findCycle(
  tasks: readonly Pick<TaskSpec, 'name' | 'needs'>[]
): string[] | undefined {
  const needs = new Map(tasks.map(task => [task.name, task.needs]))
  const state = new Map<string, 'visiting' | 'done'>()
  const path: string[] = []
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name)
    if (seen === 'done') return undefined
    if (seen === 'visiting') return [...path.slice(path.indexOf(name)), name]
    state.set(name, 'visiting')
    path.push(name)
    for (const need of needs.get(name) ?? []) {
      const cycle = visit(need)
      if (cycle) return cycle
    }
    path.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const task of tasks) {
    const cycle = visit(task.name)
    if (cycle) return cycle
  }
  return undefined
}
