import { type PreparedItem } from '../exec/command-task.js'

/**
 * The line that says, as a run starts, what its tasks hold besides a worker: how many take locks
 * (and how many locks there are) and how many hold several worker slots, so that a run that goes
 * one task at a time says why. Lock names are left out: they may come from items. Reused tasks
 * hold nothing. Undefined when no task that runs holds a lock or more than one slot.
 */
export function resourcesLine(
  units: readonly PreparedItem[],
  reused: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  noun: { one: string; many: string }
): string | undefined {
  const running = units.filter((_, index) => !reused.has(index))
  const locking = running.filter(unit => (unit.locks?.length ?? 0) > 0)
  const wide = running.filter(unit => (unit.slots ?? 1) > 1)
  const count = (n: number): string => `${n} ${n === 1 ? noun.one : noun.many}`
  const parts: string[] = []
  if (locking.length > 0) {
    const locks = new Set(locking.flatMap(unit => unit.locks ?? [])).size
    parts.push(
      `${count(locking.length)} ${locking.length === 1 ? 'holds' : 'hold'} ` +
        `${locks === 1 ? 'a lock' : `locks (${locks} in all)`}, and those that share one run one at a time`
    )
  }
  if (wide.length > 0) {
    const most = Math.max(...wide.map(unit => unit.slots ?? 1))
    parts.push(
      `${count(wide.length)} ${wide.length === 1 ? 'holds' : 'hold'} several worker slots ` +
        `(${wide.length === 1 ? '' : 'up to '}${most})`
    )
  }
  return parts.length === 0 ? undefined : `${parts.join('; ')}.`
}
