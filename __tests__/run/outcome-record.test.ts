import { describe, expect, it } from '@jest/globals'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { recordOf } from '../../src/run/outcome-record.js'

const prepared: PreparedItem[] = [
  {
    index: 0,
    item: 'e2e',
    command: { file: 'bash', args: [], display: 'npm run e2e' },
    slots: 2,
    locks: ['db']
  }
]

describe('the record of a task that threw or never started', () => {
  it('keeps every slot and lock a task held when it threw', () => {
    const threw = recordOf(
      { index: 0, status: TaskStatus.Failure, error: new Error('boom'), slot: 3, slots: [3, 4] },
      prepared
    )
    expect(threw).toMatchObject({ slot: 3, slots: [3, 4], locks: ['db'], error: 'Error: boom' })
  })

  it('gives a skipped task neither: it held nothing', () => {
    const skipped = recordOf(
      { index: 0, status: TaskStatus.Skipped, reason: 'fail-fast' },
      prepared
    )
    expect(skipped.slot).toBeNull()
    expect('slots' in skipped || 'locks' in skipped).toBe(false)
  })
})
