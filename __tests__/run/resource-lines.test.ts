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
  it('says nothing when no task holds a lock or more than one slot', () => {
    expect(resourcesLine([unit(0), unit(1, { slots: 1, locks: [] })], new Set(), TASKS)).toBe(
      undefined
    )
  })

  it('counts the tasks that hold locks and the locks, and the tasks that hold several slots', () => {
    const units = [
      unit(0, { locks: ['db'] }),
      unit(1, { locks: ['db', 'port'] }),
      unit(2, { slots: 3 }),
      unit(3, { slots: 2 }),
      unit(4)
    ]
    expect(resourcesLine(units, new Set(), TASKS)).toBe(
      '2 tasks hold locks (2 in all), and those that share one run one at a time; ' +
        '2 tasks hold several worker slots (up to 3).'
    )
    expect(resourcesLine(units.slice(0, 1), new Set(), TASKS)).toBe(
      '1 task holds a lock, and those that share one run one at a time.'
    )
    expect(resourcesLine([unit(0, { slots: 3 })], new Set(), TASKS)).toBe(
      '1 task holds several worker slots (3).'
    )
  })

  it('leaves out reused tasks, which hold nothing, and never names a lock', () => {
    const hostile = '::error::x\ny'
    const units = [unit(0, { locks: [hostile] }), unit(1, { slots: 4 }), unit(2, { locks: ['a'] })]
    const line = resourcesLine(units, new Map([[1, {}]]), { one: 'item', many: 'items' })
    expect(line).toBe('2 items hold locks (2 in all), and those that share one run one at a time.')
    expect(resourcesLine(units, new Set([0, 1, 2]), TASKS)).toBe(undefined)
  })
})
