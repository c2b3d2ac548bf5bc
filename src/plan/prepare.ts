import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { type PreparedItem } from '../exec/command-task.js'
import { type RunPlan } from './run-plan.js'
import { Inputs } from '../action/action-yml.js'
import {
  type BatchSize,
  type ExecutionSettings,
  type ItemsMode,
  type TasksMode
} from '../inputs/settings.js'
import { type Shell } from '../model/shell.js'
import { type Item } from '../model/item.js'
import { historyKeys } from '../model/history.js'
import { cut, itemLabel } from '../model/labels.js'
import { spawnBudget, type SpawnBudget } from '../exec/task-environment.js'
import { type TaskSpec } from '../inputs/tasks.js'
import { highestSlot, itemsResources, parseSlots } from '../inputs/resource-fields.js'
import { REVIEW_THREADS_SOURCE } from '../inputs/source-checks.js'
import {
  CommandTemplate,
  PlaceholderError,
  type RenderedCommand,
  TemplateError
} from '../template/template.js'
import { itemSourcesRenderer, taskSources } from './source-patterns.js'
import { checkSpawnable } from './spawn-check.js'

/** Where prepared tasks come from: items through a command template, or named tasks. */
export type TaskSource = ItemsMode | TasksMode

/**
 * Renders every command and checks every item before anything runs, so that a bad template, a
 * placeholder that names nothing, a command that could not start (a string over Linux's 128 KiB,
 * or arguments and environment over the system's total, counted for tasks whose files are in
 * `workDirectory`), a missing task directory or a `sources` line outside the workspace stops the
 * run early, naming what is wrong. Each item's `sources` are rendered into its `sources`.
 */
export function prepareRun(
  source: TaskSource,
  execution: ExecutionSettings,
  workDirectory?: string
): RunPlan {
  const count = source.kind === 'tasks' ? source.tasks.length : source.items.length
  // Object items' slots and locks, checked before anything else of theirs (review threads: none).
  const resources =
    source.kind === 'tasks' || source.source === REVIEW_THREADS_SOURCE
      ? undefined
      : itemsResources(source.items, source.source, execution.maxWorkers)
  const held = source.kind === 'tasks' ? source.tasks : (resources ?? [])
  const highest = highestSlot(count, held, execution.maxWorkers)
  const budget =
    workDirectory === undefined ? undefined : spawnBudget(workDirectory, highest, count)
  if (source.kind === 'tasks') return prepareTasks(source.tasks, execution, budget)
  const command = source.command ?? ''
  const template = parseTemplate(command, execution.shell, execution.batchSize)
  const sources =
    source.sources === undefined
      ? undefined
      : itemSourcesRenderer(source.sources, execution, source.source)
  try {
    const plan = prepareItems(source.items, template, source.source, budget, sources)
    resources?.forEach((held, index) => Object.assign(plan.prepared[index] as PreparedItem, held))
    return { ...plan, itemsInput: source.source, spawnBudget: budget }
  } catch (error) {
    if (!(error instanceof PlaceholderError)) throw error
    // A placeholder that names nothing is the template's fault; a value no command can carry, the item's.
    const input = error.namesNothing ? `${Inputs.Command} '${cut(command, 80)}'` : source.source
    throw new Error(`Invalid ${input}: ${error.message}`, { cause: error })
  }
}

/** Items through the command template; object items may carry a numeric `priority`. */
export function prepareItems(
  items: readonly Item[],
  template: CommandTemplate,
  itemsInput: string = Inputs.Items,
  budget?: SpawnBudget,
  sourcesOf?: (item: Item, index: number) => string[]
): RunPlan {
  const slots = budget?.slots ?? 1
  const prepared = items.map((item, index): PreparedItem => {
    const command = template.render(item, index + 1, 1)
    // {%} is rendered again at start: count it with the longest slot number.
    const longest = template.usesSlot ? template.render(item, index + 1, slots) : command
    const where = `Invalid ${itemsInput}: item ${index + 1} (${itemLabel(item, 40)})`
    const spawnRoom = checkSpawnable(where, item, longest, undefined, budget)
    if (sourcesOf === undefined) return { index, item, command, spawnRoom }
    return { index, item, command, spawnRoom, sources: sourcesOf(item, index) }
  })
  const keys = historyKeys(items)
  return { template, prepared, needs: undefined, priorities: items.map(priorityOf), keys }
}

/** Named tasks: each runs its own script in the step's shell; the item is its name. */
function prepareTasks(
  tasks: readonly TaskSpec[],
  execution: Pick<ExecutionSettings, 'shell' | 'workingDirectory' | 'maxWorkers'>,
  budget?: SpawnBudget
): RunPlan {
  // An empty template makes each "item" the script itself, quoted for nothing.
  const template = CommandTemplate.parse('', execution.shell)
  const indexOf = new Map(tasks.map((task, index) => [task.name, index]))
  const prepared = tasks.map((task, index): PreparedItem => {
    const where = `Invalid ${Inputs.Tasks}: task '${task.name}'`
    let command: RenderedCommand
    try {
      command = template.render(task.run, index + 1, 1)
    } catch (error) {
      if (!(error instanceof PlaceholderError)) throw error
      throw new Error(`${where}: ${lowercaseFirst(error.message)}`, { cause: error })
    }
    const spawnRoom = checkSpawnable(where, task.name, command, task.env, budget)
    const overrides: PreparedItem['overrides'] = {
      timeoutMs: task.timeoutMs,
      retries: task.retries,
      env: task.env,
      cwd:
        task.workingDirectory === undefined
          ? undefined
          : existingDirectory(task, resolve(execution.workingDirectory, task.workingDirectory))
    }
    const item: PreparedItem = {
      index,
      item: task.name,
      command,
      needs: task.needs,
      overrides,
      spawnRoom,
      ...taskSlots(where, task.slots, execution.maxWorkers),
      ...(task.locks === undefined ? {} : { locks: task.locks })
    }
    if (task.sources === undefined) return item
    const cwd = overrides.cwd ?? execution.workingDirectory
    return { ...item, sources: taskSources(task.sources, cwd, execution.workingDirectory, where) }
  })
  return {
    template,
    prepared,
    needs: tasks.map(task => task.needs.map(need => indexOf.get(need) as number)),
    priorities: tasks.map(task => task.priority ?? 0),
    keys: historyKeys(tasks.map(task => task.name))
  }
}

/**
 * Parses the command template (for batches when `batchSize` is not 1), naming the input when it is
 * unusable. A batch's command must take its items: without an item placeholder they would not
 * reach it (xargs and GNU parallel would append them; here they would be silently left out).
 */
function parseTemplate(command: string, shell: Shell, batchSize: BatchSize): CommandTemplate {
  const invalid = (why: string): string => `Invalid ${Inputs.Command} '${cut(command, 80)}': ${why}`
  let template: CommandTemplate
  try {
    template = CommandTemplate.parse(command, shell, { batch: batchSize !== 1 })
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error
    throw new Error(invalid(error.message), { cause: error })
  }
  // An empty command (items are commands) is refused with batch-size by the inputs already.
  if (batchSize !== 1 && command.trim() !== '' && !template.takesItems) {
    throw new Error(
      invalid(
        `with ${Inputs.BatchSize} ${batchSize} it has no placeholder for the items of a batch, ` +
          `which would not reach it. Expected {} where the items go, e.g. '${cut(command.trim(), 80)} {}'.`
      )
    )
  }
  return template
}

/**
 * A task's slots as its prepared item holds them (absent for 1), checked against `max-workers`
 * again: parseTasks checked them against what max-workers resolved to when it read them.
 */
function taskSlots(
  where: string,
  slots: number | undefined,
  maxWorkers: number
): { slots?: number } {
  const count = slots === undefined ? 1 : parseSlots(where, slots, maxWorkers)
  return count === 1 ? {} : { slots: count }
}

function lowercaseFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function priorityOf(item: Item): number {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return 0
  const priority = item.priority
  return typeof priority === 'number' && Number.isFinite(priority) ? priority : 0
}

function existingDirectory(task: TaskSpec, directory: string): string {
  let isDirectory = false
  try {
    isDirectory = statSync(directory).isDirectory()
  } catch {
    // reported below
  }
  if (!isDirectory) {
    throw new Error(
      `Invalid ${Inputs.Tasks}: task '${task.name}' has working-directory '${task.workingDirectory}', ` +
        `which is not an existing directory.`
    )
  }
  return directory
}
