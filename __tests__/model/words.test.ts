import { describe, expect, it } from '@jest/globals'
import { TaskStatus } from '../../src/model/task-status.js'
import { count, counted } from '../../src/model/words.js'
import { failureMessage } from '../../src/report/outputs.js'
import { buildSummary } from '../../src/report/summary.js'
import { record, report } from '../helpers/records.js'

describe('counted', () => {
  it('puts the noun in the singular for 1 only, and the count with thousands separators', () => {
    expect(counted(1, 'task')).toBe('1 task')
    expect(counted(0, 'task')).toBe('0 tasks')
    expect(counted(1234, 'task')).toBe('1,234 tasks')
    expect(counted(2, 'task summary', 'task summaries')).toBe('2 task summaries')
    expect(count(2_000_000)).toBe('2,000,000')
  })
})

describe('counts of one in what the action writes', () => {
  const single = report([record(0, 'only', TaskStatus.Failure)], { workers: 1 })

  it('reads in the singular in the summary', () => {
    const summary = buildSummary(single)
    expect(summary).toContain('on **1 worker**')
    expect(summary).toContain('<summary>The task</summary>')
    expect(summary).not.toMatch(/\b1 (tasks|workers)\b|The 1 task/)
    // One task on one worker: no speed-up to speak of (it would read 0.5×).
    expect(summary).toContain('on **1 worker** (bash).\n')
    expect(summary).not.toContain('speed-up')
  })

  it('reads in the singular in the step failure message', () => {
    expect(failureMessage(single)).toBe('1 of 1 task did not succeed (1 failed): only.')
  })
})
