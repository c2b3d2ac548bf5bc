import { Inputs } from '../action/action-yml.js'
import { type PreparedItem } from '../exec/command-task.js'
import { type SpawnBudget } from '../exec/task-environment.js'
import { type BatchSize } from '../inputs/settings.js'
import { type Item } from '../model/item.js'
import { itemLabel } from '../model/labels.js'
import { type Timings } from '../results/timings-file.js'
import {
  batchPriorities,
  batchResources,
  describeSplit,
  formBatches,
  splitToFit
} from './batches.js'
import { type RunPlan } from './run-plan.js'
import { checkSpawnable } from './spawn-check.js'
import { estimateDurations } from './timings.js'

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
