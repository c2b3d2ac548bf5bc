import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { type PreparedItem } from './command-task.js'
import { Inputs } from './constants.js'
import { type ActionSettings } from './input-helper.js'
import { itemText, type Item } from './item.js'
import { cut, itemLabel } from './labels.js'
import { type ShardInfo } from './shard.js'
import { spawnProblem } from './spawn-limits.js'
import { type TaskSpec } from './tasks.js'
import {
  CommandTemplate,
  PlaceholderError,
  type RenderedCommand,
  TemplateError
} from './template.js'

/** Everything decided before the first command starts. */
export interface RunPlan {
  template: CommandTemplate
  prepared: PreparedItem[]
  /** For each item, the indexes of the items it needs; undefined without `tasks`. */
  needs: number[][] | undefined
  /** For each item, its priority (0 unless given). */
  priorities: number[]
  /** Which share of the items this job runs, under `shard`. */
  shard?: ShardInfo
}

/**
 * Renders every command and checks every item before anything runs, so that a bad template, a
 * placeholder that names nothing, an item no command could carry or a missing task directory
 * stops the run early, naming what is wrong.
 */
export function prepareRun(settings: ActionSettings): RunPlan {
  if (settings.tasks !== undefined) return prepareTasks(settings.tasks, settings)
  const template = parseTemplate(settings)
  try {
    return prepareItems(settings.items, template, settings.itemsInput)
  } catch (error) {
    if (!(error instanceof PlaceholderError)) throw error
    // A placeholder that names nothing is the template's fault; a value no command can carry, the item's.
    const input = error.namesNothing
      ? `${Inputs.Command} '${cut(settings.command, 80)}'`
      : settings.itemsInput
    throw new Error(`Invalid ${input}: ${error.message}`, { cause: error })
  }
}

/** Items through the command template; object items may carry a numeric `priority`. */
export function prepareItems(
  items: readonly Item[],
  template: CommandTemplate,
  itemsInput: string = Inputs.Items
): RunPlan {
  const prepared = items.map((item, index): PreparedItem => {
    const command = template.render(item, index + 1, 1)
    const problem = spawnProblem(command.args, { PARALLEL_ITEM: itemText(item) })
    if (problem !== undefined) {
      throw new Error(
        `Invalid ${itemsInput}: item ${index + 1} (${itemLabel(item, 40)}): ${problem}.`
      )
    }
    return { index, item, command }
  })
  return { template, prepared, needs: undefined, priorities: items.map(priorityOf) }
}

/** Named tasks: each runs its own script in the step's shell; the item is its name. */
export function prepareTasks(tasks: readonly TaskSpec[], settings: ActionSettings): RunPlan {
  // An empty template makes each "item" the script itself, quoted for nothing.
  const template = CommandTemplate.parse('', settings.shell)
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
    const problem = spawnProblem(command.args, { ...task.env, PARALLEL_ITEM: task.name })
    if (problem !== undefined) throw new Error(`${where}: ${problem}.`)
    const overrides: PreparedItem['overrides'] = {
      timeoutMs: task.timeoutMs,
      retries: task.retries,
      env: task.env,
      cwd:
        task.workingDirectory === undefined
          ? undefined
          : existingDirectory(task, resolve(settings.workingDirectory, task.workingDirectory))
    }
    return { index, item: task.name, command, needs: task.needs, overrides }
  })
  return {
    template,
    prepared,
    needs: tasks.map(task => task.needs.map(need => indexOf.get(need) as number)),
    priorities: tasks.map(task => task.priority ?? 0)
  }
}

/** Parses the command template, naming the input when it is unusable. */
function parseTemplate(settings: ActionSettings): CommandTemplate {
  try {
    return CommandTemplate.parse(settings.command, settings.shell)
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error
    throw new Error(`Invalid ${Inputs.Command} '${cut(settings.command, 80)}': ${error.message}`, {
      cause: error
    })
  }
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
