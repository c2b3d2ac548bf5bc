import { type RenderedCommand } from '../template/template.js'
import { type SpawnBudget } from '../exec/task-environment.js'
import { type Item } from '../model/item.js'
import { unsendableCharacter } from '../model/unsendable.js'
import { resolveProgram } from '../system/shell-path.js'
import {
  argumentBytes,
  environmentBytes,
  MAX_ARG_STRLEN,
  spawnProblem,
  totalSizeProblem
} from '../system/spawn-limits.js'

/**
 * Checks that the command can start: each argument (and each variable of a task's own `env`) and,
 * with a budget, the total of its arguments and environment without PARALLEL_ITEM, which is set
 * only where it fits. Returns the bytes left for PARALLEL_ITEM under the total.
 */
export function checkSpawnable(
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
