import { HaltKind } from '../../src/model/halt.js'
import { type RunReport } from '../../src/model/run-report.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { report } from './records.js'

// A report with every field set, for the tests of the results file.

/**
 * A record with every field of TaskRecord set to a value no default would give. `Required` makes
 * this a compile error when TaskRecord gains a field the test does not set.
 */
export const FULL_RECORD: Required<TaskRecord> = {
  index: 0,
  item: { path: 'src/a.ts', line: 12, tags: ['x', null, true, 1.5] },
  status: TaskStatus.Success,
  exitCode: 0,
  signal: 'SIGTERM',
  durationMs: 1234.5,
  attempts: 2,
  command: "fix 'src/a.ts'",
  slot: 2,
  startedAt: 1_700_000_000_123,
  endedAt: 1_700_000_001_357,
  outputTail: 'last line\n',
  error: 'first attempt failed',
  outputs: { commit: 'abc123', empty: '' },
  summary: '### done\n',
  needs: ['build', 'lint'],
  skipReason: 'not skipped, but set',
  blockedBy: [3, 1],
  resolve: { resolved: false, commentUrl: 'https://github.com/o/r/pull/7#r1', error: 'no' },
  flaky: true,
  reusedFrom: { runId: 9_876_543_210, attempt: 2, at: 1_699_999_000_000 },
  commandDigest: 'c'.repeat(64),
  sourcesDigest: 'd'.repeat(64)
}

/** A shard of one item, the whole run, carrying FULL_RECORD. */
export function fullShardReport(): RunReport {
  const shard: Required<ShardInfo> = {
    index: 0,
    total: 1,
    itemCount: 1,
    itemsDigest: '',
    splitDigest: '',
    byTimings: true,
    estimatedMs: 900,
    estimatedTotalMs: 900,
    items: [{ index: 0, item: FULL_RECORD.item }]
  }
  return report([{ ...FULL_RECORD }], {
    durationMs: 1500.25,
    workers: 3,
    shell: 'pwsh',
    haltReason: 'total-timeout of 1s',
    haltKind: HaltKind.Timeout,
    shard,
    run: { id: 9_876_543_210, attempt: 3 }
  })
}
