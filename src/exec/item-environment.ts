import { itemText, type Item } from '../model/item.js'
import { fitsOneString, stringBytes } from '../system/spawn-limits.js'
import { type TaskFiles } from './task-files.js'

/** What a task's environment says about its item and its place in the run. */
export interface TaskPlace {
  item: Item
  /** 1-based number of the task in the whole input. */
  seq: number
  /** Worker slot it runs in: the first (lowest) of the slots it holds. */
  slot: number
  /** How many worker slots it holds (`slots`): its PARALLEL_SLOTS. */
  slotsHeld: number
  /** Bytes left for PARALLEL_ITEM (see PreparedItem.spawnRoom); undefined where not checked. */
  spawnRoom?: number
}

/** A task's environment, and the text its item file must hold (undefined: no item file). */
export interface ItemEnvironment {
  env: NodeJS.ProcessEnv
  fileText: string | undefined
}

/**
 * The environment one task runs with: `base` and the task's `overrides`, plus PARALLEL_ITEM where
 * it fits, PARALLEL_ITEM_FILE where it does not or the item is JSON (for tools that read JSON from
 * a file), PARALLEL_SEQ, PARALLEL_JOBSLOT (its first slot), PARALLEL_SLOTS (how many it holds)
 * and the variables of the slot's task files.
 */
export function itemEnvironment(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string> | undefined,
  place: TaskPlace,
  files: TaskFiles
): ItemEnvironment {
  const text = itemText(place.item)
  const env: NodeJS.ProcessEnv = { ...base, ...overrides }
  // The variable is preferred: a file costs every task a write (docs/decisions/009).
  const inVariable = itemVariableFits(text, place.spawnRoom)
  const inFile = !inVariable || (typeof place.item === 'object' && place.item !== null)
  if (inVariable) env.PARALLEL_ITEM = text
  else delete env.PARALLEL_ITEM
  if (inFile) env.PARALLEL_ITEM_FILE = files.itemPath
  else delete env.PARALLEL_ITEM_FILE
  env.PARALLEL_SEQ = String(place.seq)
  env.PARALLEL_JOBSLOT = String(place.slot)
  env.PARALLEL_SLOTS = String(place.slotsHeld)
  // Set only in a batch: one inherited from the runner would say this item is one.
  delete env.PARALLEL_BATCH_SIZE
  Object.assign(env, files.variables)
  return { env, fileText: inFile ? text : undefined }
}

/** What a batch's environment says about its items and its place in the run. */
export interface BatchPlace {
  /** The batch's items, in order. */
  items: readonly Item[]
  /** The batch's number, from 1: its {#}. */
  batch: number
  /** Worker slot it runs in: the first (lowest) of the slots it holds. */
  slot: number
  /** How many worker slots it holds (`slots`): its PARALLEL_SLOTS. */
  slotsHeld: number
  /** Bytes left for PARALLEL_ITEM (see PreparedItem.spawnRoom); undefined where not checked. */
  spawnRoom?: number
}

/**
 * The environment one batch runs with (under `batch-size`): as itemEnvironment's, but
 * PARALLEL_ITEM holds the JSON array of the items' texts where it fits, PARALLEL_ITEM_FILE always
 * names a file holding that array, PARALLEL_SEQ is the batch's number and PARALLEL_BATCH_SIZE the
 * number of its items.
 */
export function batchEnvironment(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string> | undefined,
  place: BatchPlace,
  files: TaskFiles
): ItemEnvironment {
  // JSON escapes NUL and lone surrogates, so the variable can always carry what fits.
  const text = JSON.stringify(place.items.map(item => itemText(item)))
  const env: NodeJS.ProcessEnv = { ...base, ...overrides }
  if (itemVariableFits(text, place.spawnRoom)) env.PARALLEL_ITEM = text
  else delete env.PARALLEL_ITEM
  env.PARALLEL_ITEM_FILE = files.itemPath
  env.PARALLEL_SEQ = String(place.batch)
  env.PARALLEL_JOBSLOT = String(place.slot)
  env.PARALLEL_SLOTS = String(place.slotsHeld)
  env.PARALLEL_BATCH_SIZE = String(place.items.length)
  Object.assign(env, files.variables)
  return { env, fileText: text }
}

/**
 * Whether PARALLEL_ITEM can carry the item: `PARALLEL_ITEM=<item>` within Linux's 128 KiB per
 * string, without a NUL byte, and within the `room` the task's arguments and other variables
 * leave. (A lone surrogate cannot get here: prepare refuses a string item with one, and JSON
 * escapes it.)
 */
function itemVariableFits(text: string, room: number | undefined): boolean {
  const variable = `PARALLEL_ITEM=${text}`
  if (text.includes('\0') || !fitsOneString(variable)) return false
  // Cheap upper bound first, as in fitsOneString.
  return room === undefined || variable.length * 3 + 9 <= room || stringBytes(variable) <= room
}
