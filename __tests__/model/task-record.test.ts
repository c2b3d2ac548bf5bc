import { describe, expect, it } from '@jest/globals'
import { isFlaky, ranInThisRun } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { buildSummary } from '../../src/report/summary.js'
import { slotTimes } from '../../src/report/timeline-tasks.js'
import { record, report } from '../helpers/records.js'

/** Whether each status ran in this run: a new status must be given an answer here. */
const RAN: Record<TaskStatus, boolean> = {
  [TaskStatus.Success]: true,
  [TaskStatus.Failure]: true,
  [TaskStatus.TimedOut]: true,
  [TaskStatus.Cancelled]: true,
  [TaskStatus.Skipped]: false,
  [TaskStatus.Reused]: false
}

describe('ranInThisRun', () => {
  it('is the one rule the table and the timeline both follow', () => {
    for (const status of Object.values(TaskStatus)) {
      expect(ranInThisRun(status)).toBe(RAN[status])
      const drawn = slotTimes([{ label: 'a', slot: 1, startMs: 0, endMs: 10, status }])
      expect(drawn.length === 1).toBe(RAN[status])
      // The table gives a duration to the tasks that ran, and only to them.
      const table = buildSummary(
        report([record(0, 'a', status, { durationMs: 4321 }), record(1, 'b', TaskStatus.Failure)])
      )
      expect(table.includes('4.3s')).toBe(RAN[status])
    }
  })
})

describe('isFlaky', () => {
  it('is a success after more than one attempt, with or without the flaky field', () => {
    for (const status of Object.values(TaskStatus)) {
      for (const attempts of [0, 1, 2, 3]) {
        const flaky = isFlaky(record(0, 'a', status, { attempts }))
        expect(flaky).toBe(status === TaskStatus.Success && attempts > 1)
      }
    }
  })
})
