import * as core from '../action/actions-core.js'
import { Inputs } from '../action/action-yml.js'
import { formatBytes, type MemorySource, systemMemory } from '../system/memory.js'
import { parseSize } from './input-values.js'

/**
 * Reads `memfree`: the bytes that must be available for a task to start, or undefined for no
 * limit. A value above the machine's total memory is refused (no task could ever wait its way
 * to it); where available memory is not read, one notice says why and no limit applies.
 */
export function readMemfree(
  value: string,
  source: MemorySource = systemMemory()
): number | undefined {
  const bytes = parseSize(value, Inputs.Memfree)
  if (bytes === undefined) return undefined
  if ('unsupported' in source) {
    core.notice(`${Inputs.Memfree} '${value}' is not applied here: ${source.unsupported}.`)
    return undefined
  }
  const { total } = source.read()
  if (bytes > total) {
    const most = formatBytes(total)
    throw new Error(
      `Invalid ${Inputs.Memfree} '${value}': this machine has ${most} of memory in all, so no ` +
        `task could start with that much available. Expected at most ${most}.`
    )
  }
  return bytes
}
