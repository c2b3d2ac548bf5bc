import { type PreparedItem } from '../exec/command-task.js'

/**
 * The line that says, as a run starts, what its tasks hold besides a worker: how many share a
 * lock with another task (and how many such locks there are) and how many hold several worker
 * slots, so that a run that goes one task at a time says why. Lock names are left out: they may
 * come from items. Reused tasks hold nothing. Undefined when nothing of the kind applies.
 */
export function resourcesLine(
  units: readonly PreparedItem[],
  reused: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  noun: { one: string; many: string }
): string | undefined {
  const running = units.filter((_, index) => !reused.has(index))
  const count = (n: number): string => `${n} ${n === 1 ? noun.one : noun.many}`
  const parts: string[] = []
  const shared = sharedLocks(running)
  if (shared.size > 0) {
    const sharing = running.filter(unit => unit.locks?.some(lock => shared.has(lock)))
    const locks = shared.size === 1 ? 'a lock' : `${shared.size} locks`
    parts.push(`${count(sharing.length)} share ${locks}: two that share one never run at once`)
  }
  let wide = 0
  let most = 1
  for (const { slots = 1 } of running) {
    if (slots > 1) wide++
    most = Math.max(most, slots)
  }
  if (wide > 0) {
    parts.push(
      `${count(wide)} ${wide === 1 ? 'holds' : 'hold'} several worker slots ` +
        `(${wide === 1 ? '' : 'up to '}${most})`
    )
  }
  return parts.length === 0 ? undefined : `${parts.join('; ')}.`
}

/** The locks that more than one of these tasks takes. */
function sharedLocks(units: readonly PreparedItem[]): Set<string> {
  const takers = new Map<string, number>()
  for (const unit of units) {
    for (const lock of new Set(unit.locks)) takers.set(lock, (takers.get(lock) ?? 0) + 1)
  }
  return new Set([...takers].filter(([, count]) => count > 1).map(([lock]) => lock))
}
