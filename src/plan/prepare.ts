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
import { resolveProgram } from '../system/shell-path.js'
import {
  argumentBytes,
  environmentBytes,
  MAX_ARG_STRLEN,
  spawnProblem,
  totalSizeProblem
} from '../system/spawn-limits.js'
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
import { unsendableCharacter } from '../model/unsendable.js'
import { itemSourcesRenderer, taskSources } from './source-patterns.js'
import {
  batchPriorities,
  batchResources,
  describeSplit,
  formBatches,
  splitToFit
} from './batches.js'
import { type Timings } from '../results/timings-file.js'
import { estimateDurations } from './timings.js'

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
  // Object items' slots and locks, checked before anything else of theirs (review threads have none).
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
 * Forms the batches of the plan's items that run (`batch-size` not 1; reused items never enter
 * one), renders each batch's command and checks that it can start, halving a batch too long for
 * one command line until each part fits. Durations known from earlier runs balance `auto` and
 * order the batches, longest first. Sets `plan.batches`; returns the line that says what was split.
 */
export function prepareBatches(
  plan: RunPlan,
  size: BatchSize,
  workers: number,
  durations: Timings
): string | undefined {
  const runs = plan.prepared
    .map((_, position) => position)
    .filter(position => plan.reused?.has(position) !== true)
  const keys = runs.map(position => plan.keys[position] as string)
  const estimates = keys.some(key => durations.has(key))
    ? estimateDurations(keys, durations)
    : undefined
  const positionsOf = (batch: readonly number[]): number[] =>
    batch.map(member => runs[member] as number)
  const formed = formBatches(runs.length, size, workers, estimates)
  // Checked with the highest batch number there can be: a part that fits keeps fitting as {#}.
  const split = splitToFit(
    formed,
    batch => batchCommand(plan, positionsOf(batch), runs.length).problem === undefined
  )
  plan.batches = split.batches.map((batch, number) => {
    const { prepared, problem } = batchCommand(plan, positionsOf(batch), number + 1)
    // Only a batch of one item can still be too long: that item is refused as on its own.
    if (prepared === undefined) throw new Error(problem)
    return prepared
  })
  const explicit = runs.map(position => plan.priorities[position] ?? 0)
  plan.batchPriorities = batchPriorities(split.batches, explicit, estimates)
  return describeSplit(split)
}

/** The prepared command of one batch (items by plan position), or why it cannot start. */
function batchCommand(
  plan: RunPlan,
  positions: readonly number[],
  number: number
): { prepared?: PreparedItem; problem?: string } {
  const units = positions.map(position => plan.prepared[position] as PreparedItem)
  const members = units.map(({ item, index }) => ({ item, index }))
  const items = members.map(member => member.item)
  const first = members[0] as { item: Item; index: number }
  const budget = batchBudget(plan.spawnBudget, items.length)
  const command = plan.template.renderBatch(items, number, 1)
  // {%} is rendered again at start: count it with the longest slot number.
  const longest = plan.template.usesSlot
    ? plan.template.renderBatch(items, number, budget?.slots ?? 1)
    : command
  const input = plan.itemsInput ?? Inputs.Items
  const where =
    members.length === 1
      ? `Invalid ${input}: item ${first.index + 1} (${itemLabel(first.item, 40)})`
      : `Invalid ${input}: batch ${number} (${members.length} items)`
  try {
    const spawnRoom = checkSpawnable(where, items, longest, undefined, budget)
    const batch = { number, members }
    const held = batchResources(units)
    return {
      prepared: { index: first.index, item: first.item, command, spawnRoom, batch, ...held }
    }
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) }
  }
}

/** The spawn budget of a batch: PARALLEL_BATCH_SIZE is one more variable every batch gets. */
function batchBudget(budget: SpawnBudget | undefined, size: number): SpawnBudget | undefined {
  if (budget === undefined) return undefined
  const variable = `PARALLEL_BATCH_SIZE=${size}`.length + 1
  return { ...budget, environmentBytes: budget.environmentBytes + variable }
}

/**
 * Checks that the command can start: each argument (and each variable of a task's own `env`) and,
 * with a budget, the total of its arguments and environment without PARALLEL_ITEM, which is set
 * only where it fits. Returns the bytes left for PARALLEL_ITEM under the total.
 */
function checkSpawnable(
  where: string,
  item: Item,
  command: RenderedCommand,
  env: Readonly<Record<string, string>> | undefined,
  budget: SpawnBudget | undefined
): number | undefined {
  const fail = (problem: string): never => {
    throw new Error(`${where}: ${problem}.`)
  }
  // PARALLEL_ITEM_FILE carries a NUL, but neither it nor PARALLEL_ITEM a lone surrogate.
  const lone = typeof item === 'string' ? unsendableCharacter(item.replaceAll('\0', '')) : undefined
  if (lone !== undefined) {
    fail(`the item would contain ${lone}, which no environment variable or file can carry`)
  }
  const problem = spawnProblem(command.args, env ?? {})
  if (problem !== undefined) fail(problem)
  if (budget?.limit === undefined) return undefined
  const bytes = bytesWithoutItem(command, env, budget)
  const total = totalSizeProblem(bytes, budget.limit)
  if (total !== undefined) fail(total)
  return budget.limit - bytes
}

/**
 * What the task's arguments and environment take, PARALLEL_ITEM aside. Far from the limit, an
 * upper bound (a UTF-16 unit is at most 3 UTF-8 bytes) that still leaves room for any
 * PARALLEL_ITEM under 128 KiB; near it, counted exactly.
 */
function bytesWithoutItem(
  command: RenderedCommand,
  env: Readonly<Record<string, string>> | undefined,
  budget: SpawnBudget
): number {
  const extra = env === undefined ? 0 : environmentBytes(env)
  const argv0 = resolveProgram(command.file)
  const path = programPath(argv0)
  let bound = budget.environmentBytes + extra + (path.length + argv0.length) * 3 + 10
  for (const arg of command.args) bound += arg.length * 3 + 9
  if (bound + MAX_ARG_STRLEN + 8 <= (budget.limit as number)) return bound
  return budget.environmentBytes + extra + argumentBytes(path, [argv0, ...command.args])
}

/** Paths found for a program name under a PATH: one lookup per run, not per item. */
const programPaths = new Map<string, string>()

/**
 * The longest path a program named without a directory may be started from, PATH searched as
 * execvp does: the kernel counts that path too.
 */
function programPath(file: string): string {
  if (file.includes('/')) return file
  const pathVariable = process.env.PATH ?? ''
  const key = `${file}\0${pathVariable}`
  let longest = programPaths.get(key)
  if (longest === undefined) {
    longest = file
    for (const directory of pathVariable.split(':')) {
      const path = `${directory}/${file}`
      if (Buffer.byteLength(path) > Buffer.byteLength(longest)) longest = path
    }
    programPaths.set(key, longest)
  }
  return longest
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
