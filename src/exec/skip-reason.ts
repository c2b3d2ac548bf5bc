import { STATUS_WORDS, TaskStatus } from '../model/task-status.js'

/** A need that did not succeed, and how it ended. */
export interface UnmetNeed {
  index: number
  status: TaskStatus
}

/** At most this many needs are named in one reason; the rest are counted. */
const MAX_NAMED = 5

/**
 * Why a task was skipped for its needs, naming them grouped by how they ended, in input order:
 * `test failed`, `build and test failed`, `test failed and lint timed out`,
 * `a, b, c, d, e and 3 more failed`.
 */
export function unmetNeedsReason(
  unmet: readonly UnmetNeed[],
  name: (index: number) => string
): string {
  const byStatus = new Map<TaskStatus, number[]>()
  for (const need of [...unmet].sort((a, b) => a.index - b.index)) {
    const group = byStatus.get(need.status) ?? []
    group.push(need.index)
    byStatus.set(need.status, group)
  }
  let named = 0
  const clauses: string[] = []
  for (const [status, indexes] of byStatus) {
    const shown = indexes.slice(0, Math.max(0, MAX_NAMED - named)).map(name)
    named += shown.length
    const more = indexes.length - shown.length
    if (more > 0) shown.push(`${more} more`)
    clauses.push(`${listed(shown)} ${verb(status, indexes.length)}`)
  }
  return listed(clauses)
}

/** How needs that ended with `status` are said to have ended: "failed", "were skipped". */
function verb(status: TaskStatus, count: number): string {
  const words = STATUS_WORDS[status]
  if (status === TaskStatus.Failure || status === TaskStatus.TimedOut) return words
  return `${count === 1 ? 'was' : 'were'} ${words}`
}

/** `a`, `a and b`, `a, b and c`. */
function listed(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('')
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}
