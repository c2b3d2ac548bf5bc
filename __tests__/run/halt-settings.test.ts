import { describe, expect, it } from '@jest/globals'
import {
  Cancellation,
  FailFast,
  StopOnSuccess,
  TotalTimeout
} from '../../src/exec/halt-policies.js'
import { runTasks } from '../../src/exec/scheduler.js'
import { parseSize } from '../../src/inputs/input-values.js'
import { type ExecutionSettings } from '../../src/inputs/settings.js'
import { LogMode } from '../../src/log/log-mode.js'
import { HaltKind, HaltMode } from '../../src/model/halt.js'
import { Shell } from '../../src/model/shell.js'
import { TaskStatus } from '../../src/model/task-status.js'
import {
  describeLimits,
  failureBase,
  failureLimit,
  haltPolicies
} from '../../src/run/halt-settings.js'

const settings = (overrides: Partial<ExecutionSettings> = {}): ExecutionSettings =>
  ({
    shell: Shell.Bash,
    maxWorkers: 4,
    failFast: undefined,
    failFastMode: HaltMode.Cancel,
    stopOnSuccess: undefined,
    totalTimeoutMs: undefined,
    timeoutMs: undefined,
    retries: 0,
    retryDelayMs: 1000,
    workingDirectory: '/tmp',
    log: LogMode.Grouped,
    ...overrides
  }) as ExecutionSettings

describe('haltPolicies', () => {
  const signal = new AbortController().signal

  it('always watches the cancellation, and nothing else when nothing is set', () => {
    const policies = haltPolicies(settings(), undefined, signal)
    expect(policies).toHaveLength(1)
    expect(policies[0]).toBeInstanceOf(Cancellation)
  })

  it('builds one policy per setting, fail-fast first', () => {
    const policies = haltPolicies(
      settings({ stopOnSuccess: 2, totalTimeoutMs: 1000, failFastMode: HaltMode.Drain }),
      3,
      signal
    )
    expect(policies.map(policy => policy.constructor)).toEqual([
      FailFast,
      StopOnSuccess,
      Cancellation,
      TotalTimeout
    ])
  })

  it('gives fail-fast and stop-on-success the halt mode, so a drain lets running tasks end', async () => {
    const policies = haltPolicies(settings({ failFastMode: HaltMode.Drain }), 1, signal)
    const { outcomes, halt } = await runTasks(
      ['long', 'fails', 'later'],
      async (item, { signal: stop }) => {
        await new Promise(resolve => setTimeout(resolve, item === 'long' ? 100 : 10))
        return {
          status: stop.aborted
            ? TaskStatus.Cancelled
            : item === 'fails'
              ? TaskStatus.Failure
              : TaskStatus.Success,
          value: item
        }
      },
      { concurrency: 2, policies }
    )
    expect(outcomes.map(o => o.status)).toEqual(['success', 'failure', 'skipped'])
    expect(halt?.kind).toBe(HaltKind.Failures)
    expect(halt?.message).toBe('fail-fast: 1 task did not succeed')
  })
})

describe('failureLimit', () => {
  it('is the count, or a percentage of its base rounded up and at least one', () => {
    expect(failureLimit(undefined, 10)).toBeUndefined()
    expect(failureLimit({ count: 3 }, 10)).toBe(3)
    expect(failureLimit({ percent: 25 }, 10)).toBe(3)
    expect(failureLimit({ percent: 1 }, 10)).toBe(1)
  })
})

describe('failureBase', () => {
  it('is the tasks that run, reused ones left out', () => {
    expect(failureBase(500, 0)).toBe(500)
    expect(failureBase(500, 497)).toBe(3)
    expect(failureBase(2, 2)).toBe(0)
    // 10% of the 3 that run halts after the first failure, not after 50.
    expect(failureLimit({ percent: 10 }, failureBase(500, 497))).toBe(1)
  })

  it('is the whole input under shard, scaled by the share of this job that runs', () => {
    expect(failureBase(125, 0, 500)).toBe(500)
    expect(failureBase(125, 122, 500)).toBe(12)
    expect(failureBase(125, 125, 500)).toBe(0)
  })
})

describe('describeLimits', () => {
  it('lists the limits that are set', () => {
    expect(describeLimits(settings(), undefined)).toBe('fail-fast: off, timeout: none')
    expect(
      describeLimits(
        settings({ stopOnSuccess: 1, totalTimeoutMs: 60_000, timeoutMs: 5000, retries: 2 }),
        2
      )
    ).toBe(
      'fail-fast: after 2, cancel, timeout: 5.0s, stop-on-success: 1, total-timeout: 1m 00s, retries: 2'
    )
  })

  it('says memfree when it applies', () => {
    expect(describeLimits(settings({ memfree: 1.5 * 1024 ** 3 }), undefined)).toBe(
      'fail-fast: off, timeout: none, memfree: 1.5 GiB'
    )
  })

  it('says memfree as it was written, to the tenth', () => {
    for (const [written, said] of [
      ['1.2G', '1.2 GiB'],
      ['0.3G', '307.2 MiB'],
      ['2.7M', '2.7 MiB']
    ]) {
      const memfree = parseSize(written as string)
      expect(describeLimits(settings({ memfree }), undefined)).toBe(
        `fail-fast: off, timeout: none, memfree: ${said}`
      )
    }
  })
})

describe('describeLimits under batches', () => {
  it('says that fail-fast and stop-on-success count batches', () => {
    const limits = settings({ stopOnSuccess: 3, timeoutMs: 5000 })
    expect(describeLimits(limits, 2, true)).toBe(
      'fail-fast: after 2 batches, cancel, timeout: 5.0s, stop-on-success: 3 batches'
    )
    expect(describeLimits(settings({ stopOnSuccess: 1 }), 1, true)).toBe(
      'fail-fast: after 1 batch, cancel, timeout: none, stop-on-success: 1 batch'
    )
  })
})

describe('haltPolicies under batches', () => {
  it('gives fail-fast the batch sizes, so its halt counts the items too', async () => {
    const policies = haltPolicies(settings(), 1, new AbortController().signal, () => 3)
    const { halt } = await runTasks(
      [0, 1],
      async () => ({ status: TaskStatus.Failure, value: 0 }),
      {
        concurrency: 1,
        policies
      }
    )
    expect(halt?.message).toBe('fail-fast: 1 batch did not succeed (3 items)')
  })
})
