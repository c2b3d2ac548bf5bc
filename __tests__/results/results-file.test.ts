import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { linkSync, lstatSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HaltKind } from '../../src/model/halt.js'
import { mergeReports } from '../../src/report/merge.js'
import { publicResult } from '../../src/report/results.js'
import {
  parseResultsFile,
  readResultsFile,
  resultsFileText,
  writeResultsFile
} from '../../src/results/results-file.js'
import { RECORD_FORMAT, RESULTS_VERSION } from '../../src/results/report-format.js'
import { readHistory } from '../../src/results/history-file.js'
import { durationsBefore } from '../../src/model/history.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { FULL_RECORD, fullShardReport, REUSED_RECORD } from '../helpers/full-report.js'
import { record, report } from '../helpers/records.js'

/** A results file written before the file had a version: the same format, without the key. */
const BEFORE_VERSION = fileURLToPath(
  new URL('./fixtures/results-before-version.json', import.meta.url)
)

/**
 * A drawn record made to agree with what a file's records must: one with `reusedFrom` is reused
 * and did not run here; a reused one without it is skipped instead; flaky only on a success after
 * a retry.
 */
function agreeing(drawn: TaskRecord): TaskRecord {
  const one = { ...drawn }
  if (one.reusedFrom !== undefined) {
    const notRun = {
      attempts: 0,
      exitCode: null,
      signal: null,
      durationMs: 0,
      slot: null,
      startedAt: null,
      endedAt: null
    }
    Object.assign(one, { status: TaskStatus.Reused, ...notRun })
  } else if (one.status === TaskStatus.Reused) one.status = TaskStatus.Skipped
  // Slots as a run writes them: only with a slot, its first, then ascending, when more than one.
  if (one.slots !== undefined) {
    const held = one.slot === null ? [] : [...new Set([one.slot, ...one.slots])]
    held.sort((a, b) => a - b)
    if (held.length > 1) Object.assign(one, { slot: held[0], slots: held })
    else delete one.slots
  }
  if (one.flaky !== undefined && one.status !== TaskStatus.Success) delete one.flaky
  if (one.flaky !== undefined) one.attempts = Math.max(2, one.attempts)
  return one
}

describe('the results file', () => {
  it('names every field of a record in its format (a new field must be added there)', () => {
    const keys = new Set([...Object.keys(FULL_RECORD), ...Object.keys(REUSED_RECORD)])
    expect(Object.keys(RECORD_FORMAT).sort()).toEqual([...keys].sort())
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
    expect(read.records).toStrictEqual([FULL_RECORD, REUSED_RECORD])

    const merged = mergeReports([{ path: 'shard/results.json', report: read }])
    expect(merged.merged?.problems).toEqual([
      // the digests above are not the real ones: the merge checks them
      "The shards' item lists do not add up to the run's items and split (their digests differ): " +
        'a results file was changed after its run.'
    ])
    expect(merged.records).toStrictEqual([FULL_RECORD, REUSED_RECORD])
    const again = await readResultsFile(await writeResultsFile(join(dir, 'merged'), merged))
    expect(again).toStrictEqual(merged)
    expect(again.records).toStrictEqual([FULL_RECORD, REUSED_RECORD])
  })

  it('round-trips any record, with or without each optional field (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 })
    const time = fc.integer({ min: 0, max: 253_402_300_799_999 })
    const key = text.filter(name => name !== '__proto__')
    const anyRecord: fc.Arbitrary<TaskRecord> = fc
      .record(
        {
          index: fc.nat(),
          // JSON has no -0: an item of -0 is written as 0.
          item: fc
            .jsonValue({ maxDepth: 2 })
            .filter(value => !Object.is(value, -0)) as fc.Arbitrary<TaskRecord['item']>,
          status: fc.constantFrom(...Object.values(TaskStatus)),
          exitCode: fc.option(fc.integer()),
          signal: fc.option(text),
          durationMs: fc
            .double({ min: 0, max: 1e12, noNaN: true, noDefaultInfinity: true })
            .map(ms => ms + 0), // JSON has no -0
          attempts: fc.nat(),
          batch: fc.integer({ min: 1, max: 10_000 }),
          command: text,
          slot: fc.option(fc.integer({ min: 1, max: 64 })),
          slots: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 2, maxLength: 4 }),
          locks: fc.uniqueArray(
            text.filter(name => name !== ''),
            { minLength: 1, maxLength: 3 }
          ),
          startedAt: fc.option(time),
          endedAt: fc.option(time),
          outputTail: text,
          error: fc.option(text),
          outputs: fc.dictionary(key, text),
          summary: text,
          needs: fc.array(text, { maxLength: 3 }),
          skipReason: text,
          blockedBy: fc.array(fc.nat({ max: 2 ** 32 - 2 }), { maxLength: 3 }),
          flaky: fc.constant(true as const),
          reusedFrom: fc.record({
            runId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
            attempt: fc.integer({ min: 1, max: 1000 }),
            at: time
          }),
          commandDigest: fc.stringMatching(/^[0-9a-f]{64}$/),
          sourcesDigest: fc.stringMatching(/^[0-9a-f]{64}$/),
          resolve: fc.record(
            { resolved: fc.boolean(), commentUrl: text, error: text },
            { requiredKeys: ['resolved'] }
          )
        },
        {
          requiredKeys: Object.keys(RECORD_FORMAT).filter(
            name =>
              ![
                'needs',
                'skipReason',
                'blockedBy',
                'resolve',
                'flaky',
                'reusedFrom',
                'commandDigest',
                'sourcesDigest',
                'batch',
                'slots',
                'locks'
              ].includes(name)
          ) as (keyof TaskRecord)[]
        }
      )
      .map(agreeing)
    let cases = 0
    fc.assert(
      fc.property(fc.array(anyRecord, { maxLength: 4 }), drawn => {
        cases++
        // Each record with a batch is a batch of its own, numbered 1, 2, … as a run numbers them.
        let batches = 0
        const records = drawn.map(one =>
          one.batch === undefined ? one : Object.assign(one, { batch: ++batches })
        )
        // Only a halt cancels a task.
        const halt = records.some(one => one.status === TaskStatus.Cancelled)
          ? { haltReason: 'fail-fast after 1 failure', haltKind: HaltKind.Failures }
          : {}
        const batched = batches > 0 ? { batchSize: 'auto' as const } : {}
        const written = report(records, { workers: 64, ...halt, ...batched })
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
    // Writing checks nothing: one record can have every field, even those no one record has.
    const everyField = { ...FULL_RECORD, reusedFrom: REUSED_RECORD.reusedFrom }
    const keys = keysOf(everyField)
    expect(keys).toEqual(Object.keys(RECORD_FORMAT))
    expect(keys.slice(0, 14)).toEqual(Object.keys(publicResult(everyField)))
    expect(keysOf(record(0, 'a', TaskStatus.Skipped))).not.toContain('resolve')
  })

  it('writes its version first', () => {
    const file = JSON.parse(resultsFileText(fullShardReport())) as object
    expect(RESULTS_VERSION).toBe(1)
    expect(Object.entries(file)[0]).toEqual(['version', 1])
  })

  it('reads a file written before the version as version 1, for a merge and for timings', async () => {
    const text = readFileSync(BEFORE_VERSION, 'utf8')
    expect(text).not.toContain('version')
    // The file predates `blockedBy`, the run and reuse fields too: it is read without them.
    const before = fullShardReport([{ ...FULL_RECORD }])
    delete before.run
    delete before.batchSize
    for (const one of before.records) {
      for (const key of [
        'blockedBy',
        'flaky',
        'reusedFrom',
        'commandDigest',
        'sourcesDigest',
        'batch',
        'slots',
        'locks'
      ]) {
        expect(text).not.toContain(key)
        delete one[key as keyof TaskRecord]
      }
    }
    expect(parseResultsFile(text, 'old.json')).toStrictEqual(before)
    const versioned = JSON.parse(resultsFileText(before)) as Record<string, unknown>
    delete versioned.version
    delete (versioned.counts as Record<string, unknown>).reused
    expect(versioned).toEqual(JSON.parse(text))
    const { history, problem } = await readHistory(BEFORE_VERSION)
    expect(problem).toBeUndefined()
    expect(durationsBefore(history)).toEqual(
      new Map([[JSON.stringify(FULL_RECORD.item), Math.round(FULL_RECORD.durationMs)]])
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
