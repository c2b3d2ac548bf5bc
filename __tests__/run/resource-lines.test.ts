import { describe, expect, it } from '@jest/globals'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { resourcesLine } from '../../src/run/resource-lines.js'

const TASKS = { one: 'task', many: 'tasks' }

/** A prepared task holding these slots and locks. */
const unit = (index: number, holds: { slots?: number; locks?: string[] } = {}): PreparedItem => ({
  index,
  item: `t${index}`,
  command: { file: 'bash', args: [], display: `run ${index}` },
  ...holds
})

describe('the line saying what tasks hold', () => {
  it('says nothing when no lock is shared and no task holds more than one slot', () => {
    const alone = [unit(0), unit(1, { slots: 1, locks: [] }), unit(2, { locks: ['a'] })]
    expect(resourcesLine(alone, new Set(), TASKS)).toBe(undefined)
    // Locks no other task takes hold nothing back.
    expect(
      resourcesLine([unit(0, { locks: ['a'] }), unit(1, { locks: ['b'] })], new Set(), TASKS)
    ).toBe(undefined)
  })

  it('counts the tasks that share a lock and the locks shared, and the tasks with several slots', () => {
    const units = [
      unit(0, { locks: ['db'] }),
      unit(1, { locks: ['db', 'port'] }),
      unit(2, { slots: 3, locks: ['port'] }),
      unit(3, { slots: 2, locks: ['cache'] }),
      unit(4)
    ]
    expect(resourcesLine(units, new Set(), TASKS)).toBe(
      '3 tasks share 2 locks: two that share one never run at once; ' +
        '2 tasks hold several worker slots (up to 3).'
    )
    expect(resourcesLine(units.slice(0, 2), new Set(), TASKS)).toBe(
      '2 tasks share a lock: two that share one never run at once.'
    )
    expect(resourcesLine([unit(0, { slots: 3 })], new Set(), TASKS)).toBe(
      '1 task holds several worker slots (3).'
    )
  })

  it('leaves out reused tasks, which hold nothing, and never names a lock', () => {
    const hostile = '::error::x\ny'
    const units = [
      unit(0, { locks: [hostile] }),
      unit(1, { slots: 4, locks: [hostile] }),
      unit(2, { locks: [hostile, hostile] })
    ]
    const line = resourcesLine(units, new Map([[1, {}]]), { one: 'item', many: 'items' })
    expect(line).toBe('2 items share a lock: two that share one never run at once.')
    // A lock listed twice by one task is not shared.
    expect(resourcesLine(units, new Set([0, 1]), TASKS)).toBe(undefined)
  })
})
