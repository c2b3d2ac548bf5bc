import { describe, expect, it } from '@jest/globals'
import { type MergeInfo } from '../../src/model/run-report.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { FULL_RECORD, fullShardReport, REUSED_RECORD } from '../helpers/full-report.js'

describe('the results file', () => {
  // A parsed file, edited as freely as JSON.parse's own `any` allows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type JsonFile = Record<string, any>
  /** Turns the shard's file into a merge's own file, with `merged` and `total` as given. */
  const asMerge = (f: JsonFile, merged: Partial<MergeInfo>, total = f.counts.total): void => {
    delete f.shard
    f.counts.total = total
    f.merged = { files: 1, shards: null, missingShards: [], problems: [], ...merged }
  }
  /** Makes the first record a reused one, as a run writes it (no flaky, attempts, exit, duration, slot or times). */
  const asReused = (f: JsonFile): void => {
    const first = f.results[0]
    delete first.flaky
    delete first.slots
    const notRun = {
      attempts: 0,
      exitCode: null,
      signal: null,
      durationMs: 0,
      slot: null,
      startedAt: null,
      endedAt: null
    }
    const reusedFrom = { runId: 5, attempt: 1, at: '2026-01-01T00:00:00.000Z' }
    Object.assign(first, { status: 'reused', ...notRun, reusedFrom })
    f.counts.succeeded = 0
    f.counts.reused = 1
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
      `'results[0].status' is "fine". Expected one of success, failure, timed-out, cancelled, skipped, reused.`
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
    // The first record held slots 2 and 3 of the 3 workers.
    [
      'slots of a result that did not run',
      f => {
        asReused(f)
        f.results[0].slots = [1, 2]
      },
      "'results[0].slots' is [1,2], but slot is null. Expected slots only on a result that ran."
    ],
    [
      'slots of one slot',
      f => (f.results[0].slots = [2]),
      "'results[0].slots' is [2]. Expected every slot the task held when more than one, else no slots."
    ],
    [
      'slots not from the slot',
      f => (f.results[0].slots = [1, 2]),
      "'results[0].slots[0]' is 1. Expected the result's slot, 2, first."
    ],
    [
      'a slot held twice',
      f => (f.results[0].slots = [2, 3, 3]),
      "'results[0].slots[2]' is 3. Expected slot numbers in ascending order, each once."
    ],
    [
      'slots out of order',
      f => {
        f.results[0].slot = 1
        f.results[0].slots = [1, 3, 2]
      },
      "'results[0].slots[2]' is 2. Expected slot numbers in ascending order, each once."
    ],
    [
      'slots past the workers',
      f => (f.results[0].slots = [2, 4]),
      "'results[0].slots[1]' is 4. Expected at most the 3 workers of the run."
    ],
    [
      'slot 0 among the slots',
      f => (f.results[0].slots = [2, 0]),
      "'results[0].slots[1]' is 0. Expected a whole number ≥ 1."
    ],
    [
      'slots of two merged files',
      f => asMerge(f, { slotsPerFile: [2, 1] }),
      "'results[0].slots[1]' is 3, a slot of merged file 1. Expected the slots of one file, that of slot 2 (file 0)."
    ],
    [
      'locks as an empty list',
      f => (f.results[0].locks = []),
      "'results[0].locks' is []. Expected the locks the task held, else no locks."
    ],
    // Lock names are never printed: a refusal of `locks` names positions and kinds of value.
    [
      'a lock held twice',
      f => (f.results[0].locks = ['db', 'port 5432', 'db']),
      "'results[0].locks[2]' repeats locks[0]. Expected each lock once."
    ],
    [
      'a lock without a name',
      f => (f.results[0].locks = ['db', '']),
      `'results[0].locks[1]' is "". Expected a lock name, not empty.`
    ],
    [
      'a lock that is not text',
      f => (f.results[0].locks = ['db', 5432]),
      "'results[0].locks[1]' is a number. Expected a lock name (a string)."
    ],
    [
      'a lock as an object',
      f => (f.results[0].locks = ['db', { name: 'db' }]),
      "'results[0].locks[1]' is an object. Expected a lock name (a string)."
    ],
    [
      'locks as one name',
      f => (f.results[0].locks = 'db'),
      "'results[0].locks' is a string. Expected a list of lock names."
    ],
    [
      'locks as null',
      f => (f.results[0].locks = null),
      "'results[0].locks' is null. Expected a list of lock names."
    ],
    [
      'blockedBy not a list',
      f => (f.results[0].blockedBy = 2),
      "'results[0].blockedBy' is 2. Expected an array."
    ],
    [
      'blockedBy holding a name',
      f => (f.results[0].blockedBy = ['build']),
      `'results[0].blockedBy[0]' is "build". Expected a whole number from 0 to 4294967294.`
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
    ['unknown file field', f => (f.written = 2), "'written' is not a field parallel-exec writes."],
    [
      'a version this code does not read',
      f => (f.version = 2),
      "'version' is 2. Expected 1 (or no version), the one this parallel-exec reads."
    ],
    [
      'a version as text',
      f => (f.version = '1'),
      `'version' is "1". Expected 1 (or no version), the one this parallel-exec reads.`
    ],
    [
      'no item',
      f => delete f.results[0].item,
      "'results[0].item' is missing. Expected an item (any JSON value nested at most 1000 levels deep)."
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
      'reusedFrom on a success',
      f => (f.results[0].reusedFrom = { runId: 1, attempt: 1, at: '2026-01-01T00:00:00.000Z' }),
      "'results[0].reusedFrom' is set on a success result. Expected it on reused results only."
    ],
    [
      'reused without reusedFrom',
      f => {
        asReused(f)
        delete f.results[0].reusedFrom
      },
      "'results[0].reusedFrom' is missing. Expected the run attempt a reused result stands on."
    ],
    [
      'reused after attempts',
      f => {
        asReused(f)
        f.results[0].attempts = 1
      },
      "'results[0].attempts' is 1. Expected 0 for a reused result, which did not run."
    ],
    [
      'reused in a slot',
      f => {
        asReused(f)
        f.results[0].slot = 2
      },
      "'results[0].slot' is set. Expected null for a reused result, which did not run."
    ],
    [
      'reused with an end time',
      f => {
        asReused(f)
        f.results[0].endedAt = '2026-01-01T00:00:00.000Z'
      },
      "'results[0].endedAt' is set. Expected null for a reused result, which did not run."
    ],
    [
      'reused with an exit code',
      f => {
        asReused(f)
        f.results[0].exitCode = 0
      },
      "'results[0].exitCode' is set. Expected null for a reused result, which did not run."
    ],
    [
      'reused with a signal',
      f => {
        asReused(f)
        f.results[0].signal = 'SIGTERM'
      },
      "'results[0].signal' is set. Expected null for a reused result, which did not run."
    ],
    [
      'reused with a duration',
      f => {
        asReused(f)
        f.results[0].durationMs = 12
      },
      "'results[0].durationMs' is 12. Expected 0 for a reused result, which did not run."
    ],
    [
      'flaky on a failure',
      f => {
        f.results[0].status = 'failure'
        f.counts.succeeded = 0
        f.counts.failed = 1
      },
      "'results[0].flaky' is true on a failure result of 2 attempts. Expected it only on a success after a retry."
    ],
    [
      'flaky at the first attempt',
      f => (f.results[0].attempts = 1),
      "'results[0].flaky' is true on a success result of 1 attempts. Expected it only on a success after a retry."
    ],
    [
      'not an object',
      f => Object.keys(f).forEach(key => delete f[key]),
      "'counts' is missing. Expected an object."
    ]
  ]

  it(`refuses each of ${BAD.length} kinds of bad field, naming the file and the field`, () => {
    const good = resultsFileText(fullShardReport([{ ...FULL_RECORD }]))
    for (const [, change, problem] of BAD) {
      const file = JSON.parse(good) as JsonFile
      change(file)
      expect(() => parseResultsFile(JSON.stringify(file), 'shards/r-1/results.json')).toThrow(
        `Invalid results file 'shards/r-1/results.json': ${problem}`
      )
    }
    // What asReused makes, and the two-record report, are good.
    const reused = JSON.parse(good) as JsonFile
    asReused(reused)
    expect(parseResultsFile(JSON.stringify(reused), 'r.json').records[0]?.status).toBe('reused')
    expect(parseResultsFile(resultsFileText(fullShardReport()), 'r.json').records[1]).toEqual(
      REUSED_RECORD
    )
    expect(() => parseResultsFile('[1]', 'x.json')).toThrow(
      "Invalid results file 'x.json': it is [1]. Expected an object."
    )
    expect(() => parseResultsFile('{', 'x.json')).toThrow(
      "Invalid results file 'x.json': it is not JSON. Expected a results-file written by parallel-exec."
    )
  })

  it('refuses JSON nested thousands deep at any place as a problem of that file, in a short message', () => {
    const good = resultsFileText(fullShardReport([{ ...FULL_RECORD }]))
    /** Every place in a JSON value, as the keys that lead to it. */
    const places = (json: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (json === null || typeof json !== 'object') return [at]
      const inner = Object.entries(json).flatMap(([key, value]) => places(value, [...at, key]))
      return [at, ...inner]
    }
    const marker = '\u0000deep'
    const deep = [
      '['.repeat(20_000) + ']'.repeat(20_000),
      '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)
    ]
    let cases = 0
    for (const at of places(JSON.parse(good))) {
      for (const nested of deep) {
        const file = JSON.parse(good) as JsonFile
        let parent = file
        for (const key of at.slice(0, -1)) parent = parent[key] as JsonFile
        if (at.length > 0) parent[at.at(-1) as string] = marker
        const text =
          at.length === 0 ? nested : JSON.stringify(file).replace(`"\\u0000deep"`, nested)
        let message = ''
        try {
          parseResultsFile(text, 'r.json')
        } catch (error) {
          message = (error as Error).message
        }
        cases++
        expect(message).toMatch(/^Invalid results file 'r\.json': /)
        expect(message.length).toBeLessThan(400)
      }
    }
    // Every field of a full shard's file, the file itself and each record's nested fields.
    expect(cases).toBeGreaterThan(80)
  })
})
