import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { linkSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HaltKind } from '../../src/model/halt.js'
import { mergeReports } from '../../src/report/merge.js'
import { publicResult } from '../../src/report/results.js'
import { type MergeInfo, type RunReport } from '../../src/model/run-report.js'
import {
  parseResultsFile,
  readResultsFile,
  RECORD_FORMAT,
  resultsFileText,
  writeResultsFile
} from '../../src/results/results-file.js'
import { type ShardInfo } from '../../src/model/shard.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'

/**
 * A record with every field of TaskRecord set to a value no default would give. `Required` makes
 * this a compile error when TaskRecord gains a field the test does not set.
 */
const FULL_RECORD: Required<TaskRecord> = {
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
  resolve: { resolved: false, commentUrl: 'https://github.com/o/r/pull/7#r1', error: 'no' }
}

/** A shard of one item, the whole run, carrying FULL_RECORD. */
function fullShardReport(): RunReport {
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
    shard
  })
}

describe('the results file', () => {
  it('names every field of a record in its format (a new field must be added there)', () => {
    expect(Object.keys(RECORD_FORMAT).sort()).toEqual(Object.keys(FULL_RECORD).sort())
  })

  // Tasks know the directory (their GITHUB_OUTPUT is in it) and could link the name to a file.
  it('writes the results file afresh, never through a link a task put at its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-file-'))
    const victim = join(mkdtempSync(join(tmpdir(), 'victims-')), 'victim')
    writeFileSync(victim, 'keep me')
    linkSync(victim, join(dir, 'results.json'))
    const path = await writeResultsFile(dir, fullShardReport())
    expect(readFileSync(victim, 'utf8')).toBe('keep me')
    expect(lstatSync(path).nlink).toBe(1)
    expect(await readResultsFile(path)).toStrictEqual(fullShardReport())
  })

  it('round-trips a record with every field set: write, read, merge, write, read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-file-'))
    const written = fullShardReport()
    const read = await readResultsFile(await writeResultsFile(join(dir, 'shard'), written))
    expect(read).toStrictEqual(written)
    expect(read.records[0]).toStrictEqual(FULL_RECORD)

    const merged = mergeReports([{ path: 'shard/results.json', report: read }])
    expect(merged.merged?.problems).toEqual([
      // the digests above are not the real ones: the merge checks them
      "The shards' item lists do not add up to the run's items and split (their digests differ): " +
        'a results file was changed after its run.'
    ])
    expect(merged.records).toStrictEqual([FULL_RECORD])
    const again = await readResultsFile(await writeResultsFile(join(dir, 'merged'), merged))
    expect(again).toStrictEqual(merged)
    expect(again.records[0]).toStrictEqual(FULL_RECORD)
  })

  it('round-trips any record, with or without each optional field (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 })
    const time = fc.integer({ min: 0, max: 253_402_300_799_999 })
    const key = text.filter(name => name !== '__proto__')
    const anyRecord: fc.Arbitrary<TaskRecord> = fc.record(
      {
        index: fc.nat(),
        item: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<TaskRecord['item']>,
        status: fc.constantFrom(...Object.values(TaskStatus)),
        exitCode: fc.option(fc.integer()),
        signal: fc.option(text),
        durationMs: fc
          .double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true })
          .map(ms => ms + 0), // JSON has no -0
        attempts: fc.nat(),
        command: text,
        slot: fc.option(fc.integer({ min: 1, max: 64 })),
        startedAt: fc.option(time),
        endedAt: fc.option(time),
        outputTail: text,
        error: fc.option(text),
        outputs: fc.dictionary(key, text),
        summary: text,
        needs: fc.array(text, { maxLength: 3 }),
        skipReason: text,
        resolve: fc.record(
          { resolved: fc.boolean(), commentUrl: text, error: text },
          { requiredKeys: ['resolved'] }
        )
      },
      {
        requiredKeys: Object.keys(RECORD_FORMAT).filter(
          name => !['needs', 'skipReason', 'resolve'].includes(name)
        ) as (keyof TaskRecord)[]
      }
    )
    let cases = 0
    fc.assert(
      fc.property(fc.array(anyRecord, { maxLength: 4 }), records => {
        cases++
        // Only a halt cancels a task.
        const halt = records.some(one => one.status === TaskStatus.Cancelled)
          ? { haltReason: 'fail-fast after 1 failure', haltKind: HaltKind.Failures }
          : {}
        const written = report(records, { workers: 64, ...halt })
        const read = parseResultsFile(resultsFileText(written), 'r.json')
        // fast-check's objects have no prototype: compare values, then the keys each record has.
        expect(read).toEqual(written)
        expect(read.records.map(one => Object.keys(one).sort())).toEqual(
          records.map(one => Object.keys(one).sort())
        )
      }),
      { seed: 20261207, numRuns: 500 }
    )
    expect(cases).toBe(500)
  })

  it('writes the public result first, then what only the file keeps; nothing for unset fields', () => {
    const keysOf = (one: TaskRecord): string[] => {
      const text = resultsFileText(report([one], { workers: 3 }))
      return Object.keys((JSON.parse(text) as { results: object[] }).results[0] as object)
    }
    const keys = keysOf(FULL_RECORD)
    expect(keys).toEqual(Object.keys(RECORD_FORMAT))
    expect(keys.slice(0, 11)).toEqual(Object.keys(publicResult(FULL_RECORD)))
    expect(keysOf(record(0, 'a', TaskStatus.Skipped))).not.toContain('resolve')
  })

  // A parsed file, edited as freely as JSON.parse's own `any` allows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type JsonFile = Record<string, any>
  /** Turns the shard's file into a merge's own file, with `merged` and `total` as given. */
  const asMerge = (f: JsonFile, merged: Partial<MergeInfo>, total = f.counts.total): void => {
    delete f.shard
    f.counts.total = total
    f.merged = { files: 1, shards: null, missingShards: [], problems: [], ...merged }
  }
  /** Each bad file as a change to a good one, and the error it must give. */
  const BAD: [string, (file: JsonFile) => void, string][] = [
    [
      'negative duration',
      f => (f.results[0].durationMs = -5),
      "'results[0].durationMs' is -5. Expected a number of milliseconds ≥ 0."
    ],
    [
      'duration as text',
      f => (f.results[0].durationMs = '12'),
      `'results[0].durationMs' is "12". Expected a number of milliseconds ≥ 0.`
    ],
    [
      'duration missing',
      f => delete f.results[0].durationMs,
      "'results[0].durationMs' is missing. Expected a number of milliseconds ≥ 0."
    ],
    [
      'unknown status',
      f => (f.results[0].status = 'fine'),
      `'results[0].status' is "fine". Expected one of success, failure, timed-out, cancelled, skipped.`
    ],
    [
      'fractional attempts',
      f => (f.results[0].attempts = 1.5),
      "'results[0].attempts' is 1.5. Expected a whole number ≥ 0."
    ],
    [
      'slot 0',
      f => (f.results[0].slot = 0),
      "'results[0].slot' is 0. Expected a whole number ≥ 1."
    ],
    [
      'slot past the workers',
      f => (f.results[0].slot = 4),
      "'results[0].slot' is 4. Expected at most the 3 workers of the run."
    ],
    [
      'time not ISO',
      f => (f.results[0].startedAt = 'yesterday'),
      `'results[0].startedAt' is "yesterday". Expected a time such as 2026-01-31T12:00:00.000Z.`
    ],
    [
      'output not text',
      f => (f.results[0].outputs.commit = 1),
      `'results[0].outputs' is {"commit":1,"empty":""}. Expected an object of strings.`
    ],
    [
      'resolved not a flag',
      f => (f.results[0].resolve.resolved = 'no'),
      `'results[0].resolve.resolved' is "no". Expected true or false.`
    ],
    [
      'unknown record field',
      f => (f.results[0].resolvedAt = 1),
      "'results[0].resolvedAt' is not a field parallel-exec writes."
    ],
    [
      'unknown shell',
      f => (f.shell = '<b>zsh</b>'),
      `'shell' is "<b>zsh</b>". Expected one of bash, sh, pwsh, none, or '' when nothing ran.`
    ],
    ['unknown file field', f => (f.version = 2), "'version' is not a field parallel-exec writes."],
    [
      'no item',
      f => delete f.results[0].item,
      "'results[0].item' is missing. Expected an item (any JSON value)."
    ],
    [
      'counts off',
      f => (f.counts.succeeded = 2),
      "'counts.succeeded' is 2, but the results hold 1. Expected the counts of its results."
    ],
    [
      'total off',
      f => (f.counts.total = 9),
      "'counts.total' is 9, but the results hold 1. Expected the counts of its results."
    ],
    [
      'halt kind without reason',
      f => (f.haltReason = null),
      "'haltKind' is timeout. Expected it with a haltReason only."
    ],
    [
      'stop-on-success in a shard',
      f => (f.haltKind = 'successes'),
      "'haltKind' is successes. Expected no stop-on-success in a shard."
    ],
    ['shard past total', f => (f.shard.index = 1), "'shard.index' is 1. Expected less than 1."],
    [
      'shard item past the run',
      f => (f.shard.items[0].index = 1),
      "'shard.items[0].index' is 1. Expected item numbers in ascending order, below 1."
    ],
    [
      'shard and merged',
      f => (f.merged = { files: 1, shards: 1, missingShards: [], problems: [] }),
      "'merged' is set with shard. Expected a shard or a merge, not both."
    ],
    ['results not an array', f => (f.results = {}), "'results' is {}. Expected an array."],
    // Numbers that would size what a merge builds: each within what a run can have.
    [
      'more shards than a matrix has jobs',
      f => (f.shard.total = 2 ** 31),
      "'shard.total' is 2147483648. Expected a whole number from 1 to 256."
    ],
    [
      'more items than a run can have',
      f => (f.shard.itemCount = 2 ** 40),
      "'shard.itemCount' is 1099511627776. Expected a whole number from 0 to 4294967295."
    ],
    [
      'a total past the most items',
      f => (f.counts.total = 2 ** 40),
      "'counts.total' is 1099511627776. Expected a whole number from 0 to 4294967295."
    ],
    [
      'an item number past the most items',
      f => (f.results[0].index = 2 ** 32),
      "'results[0].index' is 4294967296. Expected a whole number from 0 to 4294967294."
    ],
    [
      'a merge of more shards than a matrix has jobs',
      f => asMerge(f, { shards: 2 ** 31 }),
      "'merged.shards' is 2147483648. Expected a whole number from 1 to 256."
    ],
    // A merge's file cannot hide items without a result or missing shards.
    [
      'a merge with items without a result and no problem',
      f => asMerge(f, { files: 2 }, 10),
      "'merged.problems' is empty, but 9 of the 10 items have no result. Expected the problems that left them without one."
    ],
    [
      'a merge with missing shards and no problem',
      f => asMerge(f, { shards: 2, missingShards: [0] }),
      "'merged.problems' is empty, but missingShards lists 0. Expected the problem that names them."
    ],
    [
      'a merge missing a shard past its shards',
      f => asMerge(f, { shards: 2, missingShards: [2], problems: ['shard 2 missing'] }),
      "'merged.missingShards[0]' is 2. Expected shard numbers in ascending order, below the 2 shards."
    ],
    // Only a halt cancels a task.
    [
      'cancelled without a halt',
      f => {
        f.results[0].status = 'cancelled'
        f.counts.succeeded = 0
        f.counts.cancelled = 1
        f.haltReason = f.haltKind = null
      },
      "'haltReason' is null, but 1 of the results is cancelled. Expected the halt that cancelled them."
    ],
    [
      'a run halted without its kind',
      f => (f.haltKind = null),
      "'haltKind' is null. Expected the kind of the haltReason."
    ],
    [
      'not an object',
      f => Object.keys(f).forEach(key => delete f[key]),
      "'counts' is missing. Expected an object."
    ]
  ]

  it(`refuses each of ${BAD.length} kinds of bad field, naming the file and the field`, () => {
    const good = resultsFileText(fullShardReport())
    for (const [, change, problem] of BAD) {
      const file = JSON.parse(good) as JsonFile
      change(file)
      expect(() => parseResultsFile(JSON.stringify(file), 'shards/r-1/results.json')).toThrow(
        `Invalid results file 'shards/r-1/results.json': ${problem}`
      )
    }
    expect(() => parseResultsFile('[1]', 'x.json')).toThrow(
      "Invalid results file 'x.json': it is [1]. Expected an object."
    )
    expect(() => parseResultsFile('{', 'x.json')).toThrow(
      "Invalid results file 'x.json': it is not JSON. Expected a results-file written by parallel-exec."
    )
  })

  it('says which file cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-file-'))
    await expect(readResultsFile(join(dir, 'none.json'))).rejects.toThrow(
      `Invalid results file '${join(dir, 'none.json')}': it cannot be read (Error: ENOENT`
    )
    writeFileSync(join(dir, 'ok.json'), resultsFileText(report([])))
    expect(readFileSync(join(dir, 'ok.json'), 'utf8')).toContain('"results": []')
    await expect(readResultsFile(join(dir, 'ok.json'))).resolves.toStrictEqual(report([]))
  })
})
