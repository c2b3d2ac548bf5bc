import { HaltKind } from '../../src/model/halt.js'
import { type RunReport } from '../../src/model/run-report.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { report } from './records.js'

// A report with every field set, for the tests of the results file.

/**
 * A record with every field of TaskRecord set to a value no default would give, but `reusedFrom`,
 * which only a reused record has (REUSED_RECORD). `Required` makes this a compile error when
 * TaskRecord gains a field the test does not set.
 */
export const FULL_RECORD: Required<Omit<TaskRecord, 'reusedFrom'>> = {
  index: 0,
  item: { path: 'src/a.ts', line: 12, tags: ['x', null, true, 1.5] },
  status: TaskStatus.Success,
  exitCode: 0,
  signal: 'SIGTERM',
  durationMs: 1234.5,
  batch: 1,
  attempts: 2,
  command: "fix 'src/a.ts'",
  slot: 2,
  slots: [2, 3],
  locks: ['db', 'port 5432'],
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
  commandDigest: 'c'.repeat(64),
  sourcesDigest: 'd'.repeat(64)
}

/** A reused record: it did not run here, and says which run attempt's success stands for it. */
export const REUSED_RECORD: TaskRecord & Required<Pick<TaskRecord, 'reusedFrom'>> = {
  index: 1,
  item: 'src/b.ts',
  status: TaskStatus.Reused,
  exitCode: null,
  signal: null,
  durationMs: 0,
  attempts: 0,
  command: "fix 'src/b.ts'",
  slot: null,
  startedAt: null,
  endedAt: null,
  outputTail: '',
  error: null,
  outputs: {},
  summary: '',
  reusedFrom: { runId: 9_876_543_210, attempt: 2, at: 1_699_999_000_000 },
  commandDigest: 'e'.repeat(64)
}

/** A shard of the whole run, carrying `records` (FULL_RECORD and REUSED_RECORD unless given). */
export function fullShardReport(
  records: TaskRecord[] = [{ ...FULL_RECORD }, { ...REUSED_RECORD }]
): RunReport {
  const shard: Required<ShardInfo> = {
    index: 0,
    total: 1,
    itemCount: records.length,
    itemsDigest: '',
    splitDigest: '',
    byTimings: true,
    estimatedMs: 900,
    estimatedTotalMs: 900,
    items: records.map(({ index, item }) => ({ index, item }))
  }
  return report(records, {
    durationMs: 1500.25,
    workers: 3,
    shell: 'pwsh',
    haltReason: 'total-timeout of 1s',
    haltKind: HaltKind.Timeout,
    shard,
    run: { id: 9_876_543_210, attempt: 3 },
    batchSize: 'auto'
  })
}
