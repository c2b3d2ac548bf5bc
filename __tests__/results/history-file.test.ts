import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { emptyHistory, type History } from '../../src/model/history.js'
import { TaskStatus } from '../../src/model/task-status.js'
import {
  historyFileText,
  MAX_HISTORY_BYTES,
  readHistory,
  writeHistory
} from '../../src/results/history-file.js'
import { resultsFileText, writeResultsFile } from '../../src/results/results-file.js'
import { record, report, historyAfterAll } from '../helpers/records.js'

const dir = mkdtempSync(join(tmpdir(), 'history-'))
const DIGEST = 'e'.repeat(64)
const { Success, Failure } = TaskStatus

/** A results file's text over these records. */
const resultsFileTextOf = (records: Parameters<typeof report>[0]): string =>
  resultsFileText(report(records))

/** A file in the test directory holding `text`. */
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** A history of two runs, one sharded, with items a plain object would mistake for its own keys. */
function sample(): History {
  const first = historyAfterAll(emptyHistory(), { at: 1_000 }, [
    record(0, 'a', Failure, { durationMs: 12.4 })
  ])
  return historyAfterAll(
    first,
    {
      identity: { id: 123, attempt: 2 },
      at: 2_000,
      split: { total: 2, itemsDigest: DIGEST, shardOf: [1, 0, 1] }
    },
    [
      record(0, 'a', Success, { durationMs: 30, flaky: true, attempts: 2, commandDigest: DIGEST }),
      record(1, '__proto__', Success, { sourcesDigest: DIGEST, commandDigest: DIGEST }),
      record(2, { path: 'ü/é 🎉' }, TaskStatus.Skipped),
      record(3, 'constructor', TaskStatus.Cancelled)
    ]
  )
}

describe('readHistory and writeHistory', () => {
  it('reads back what it writes, item names such as __proto__ included', async () => {
    const written = sample()
    const path = await writeHistory(mkdtempSync(join(dir, 'run-')), written)
    expect(path.endsWith('/history.json')).toBe(true)
    const read = await readHistory(path)
    expect(read).toEqual({ history: written })
    expect([...read.history.items.keys()]).toEqual([
      'a',
      '__proto__',
      '{"path":"ü/é 🎉"}',
      'constructor'
    ])
    expect(Object.getPrototypeOf(read.history.items.get('__proto__'))).toBe(Object.prototype)
  })

  it('never writes more than a reader reads: the items seen least recently are left out (property)', async () => {
    // Items seen in different runs, with keys of one to four bytes a character.
    const histories = fc
      .array(
        fc.record({
          item: fc.string({ unit: 'grapheme', maxLength: 30 }),
          run: fc.nat({ max: 5 })
        }),
        { maxLength: 12 }
      )
      .map(drawn =>
        [0, 1, 2, 3, 4, 5].reduce((history, run) => {
          const records = drawn
            .filter(one => one.run === run)
            .map(one => record(0, one.item, Success, { durationMs: run }))
          return historyAfterAll(
            history,
            { identity: { id: run + 1, attempt: 1 }, at: run },
            records
          )
        }, emptyHistory())
      )
    let cases = 0
    let cut = 0
    await fc.assert(
      fc.asyncProperty(
        histories,
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (history, share) => {
          cases++
          const whole = historyFileText(history)
          const head = historyFileText({ ...history, items: new Map() })
          const max = Math.floor(
            Buffer.byteLength(head) + share * (Buffer.byteLength(whole) - Buffer.byteLength(head))
          )
          const text = historyFileText(history, max)
          expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max)
          const read = await readHistory(file('bounded.json', text))
          expect(read.problem ?? read.leftOut).toBeUndefined()
          const kept = read.history.items
          if (kept.size < history.items.size) cut++
          // Kept: the most recently seen, and as many of them as fit.
          const bySeen = [...history.items].sort(([, a], [, b]) => b.seen - a.seen)
          const next = bySeen[kept.size]
          expect(bySeen.slice(0, kept.size).every(([key]) => kept.has(key))).toBe(true)
          if (next !== undefined) {
            const more = new Map([...kept, next])
            expect(Buffer.byteLength(historyFileText({ ...history, items: more }))).toBeGreaterThan(
              max - 2
            )
          } else expect(text).toBe(whole)
        }
      ),
      { seed: 20261207, numRuns: 300 }
    )
    expect(cases).toBe(300)
    expect(cut).toBeGreaterThan(100)
  })

  it('writes compact JSON that says what it is first', () => {
    const text = historyFileText(sample())
    expect(text.split('\n')).toHaveLength(2)
    const json = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(json)).toEqual(['version', 'kind', 'limits', 'runs', 'items'])
    expect(json).toMatchObject({
      version: 1,
      kind: 'parallel-exec-history',
      limits: { results: 10, unseenRuns: 30 }
    })
    expect(text).toContain('{"runId":123,"attempt":2,"status":"success","ms":30,"flaky":true}')
  })

  it('replaces a link a task put where the history goes, instead of writing through it', async () => {
    const directory = mkdtempSync(join(dir, 'link-'))
    const target = join(directory, 'elsewhere.txt')
    writeFileSync(target, 'keep me')
    symlinkSync(target, join(directory, 'history.json'))
    const path = await writeHistory(directory, sample())
    expect(lstatSync(path).isSymbolicLink()).toBe(false)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
  })

  it('gives an empty history and the reason for every file it cannot use', async () => {
    const fifo = join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    const big = file('big.json', '')
    truncateSync(big, MAX_HISTORY_BYTES + 1)
    const history = JSON.parse(historyFileText(sample())) as Record<string, unknown>
    const cases: [string, string][] = [
      [
        join(dir, 'none.json'),
        'no file at ' + `'${join(dir, 'none.json')}'` + ' (a first run or a cache miss)'
      ],
      [mkdtempSync(join(dir, 'folder-')), 'is a directory'],
      [fifo, 'is not a regular file'],
      [big, `holds ${MAX_HISTORY_BYTES + 1} bytes, over the 64 MiB a history may have`],
      [file('text.json', 'not json'), 'is not JSON'],
      [file('empty.json', ''), 'is not JSON'],
      [file('null.json', 'null'), 'holds neither a history, timings nor results'],
      [file('array.json', '[]'), 'holds neither a history, timings nor results'],
      [file('other.json', '{"kind":"something-else","timings":5}'), 'holds neither'],
      [
        file('newer.json', JSON.stringify({ ...history, version: 2 })),
        'was written by a newer parallel-exec (history version 2; this one reads 1)'
      ],
      [
        file('unversioned.json', JSON.stringify({ ...history, version: undefined })),
        'has history version none, not 1'
      ],
      [
        file('text-version.json', JSON.stringify({ ...history, version: '1' })),
        'has history version "1", not 1'
      ],
      [file('no-runs.json', JSON.stringify({ ...history, runs: {} })), "it needs a 'runs' array"]
    ]
    for (const [path, problem] of cases) {
      const read = await readHistory(path)
      expect(read.history).toEqual(emptyHistory())
      expect(read.problem).toContain(problem)
      expect(read.leftOut).toBeUndefined()
    }
  })

  it('gives the reason when the file cannot be read (not as root, whom chmod does not stop)', async () => {
    if (process.getuid?.() === 0) return
    const path = file('locked.json', historyFileText(sample()))
    chmodSync(path, 0)
    expect(await readHistory(path)).toEqual({
      history: emptyHistory(),
      problem: `'${path}' cannot be read (EACCES)`
    })
  })

  it('leaves out bad entries one by one, saying how many and why the first', async () => {
    const json = JSON.parse(historyFileText(sample())) as {
      runs: Record<string, unknown>[]
      items: Record<string, Record<string, unknown>>
    }
    json.runs.push({ seq: 3, runId: 5, attempt: null, at: '2026-01-01T00:00:00.000Z' })
    json.runs.push({ ...json.runs[0], runId: 77 })
    json.items.a!.results = [{ runId: 1, attempt: 1, status: 'skipped', ms: 1 }]
    json.items['{"path":"ü/é 🎉"}']!.seen = 9
    json.items.fine = { seen: 1, results: [], runs: 0, failures: 0, flaky: 0 }
    json.items.strange = { seen: 1, results: [], runs: 0, failures: 0, flaky: 0, x: 1 }
    const path = file('some-bad.json', JSON.stringify(json))
    const read = await readHistory(path)
    expect(read.problem).toBeUndefined()
    expect(read.leftOut).toBe(
      `5 of 10 entries of '${path}' are unusable and left out (first: 'runs[2]' has a runId or ` +
        'an attempt without the other. Expected both or neither)'
    )
    expect(read.history.runs.map(run => run.seq)).toEqual([1, 2])
    expect([...read.history.items.keys()]).toEqual(['__proto__', 'constructor', 'fine'])
  })

  it('says in a short notice what is wrong with a file, however long its keys and values', async () => {
    const long = 'x'.repeat(200_000)
    const history = JSON.parse(historyFileText(sample())) as Record<string, unknown>
    const files = {
      'a long version': { ...history, version: long },
      'a long version that is a number': { ...history, version: Number('1'.repeat(300)) },
      'a long item key': { ...history, items: { [long]: 5 } },
      'a long field name': {
        ...history,
        items: { a: { seen: 1, results: [], runs: 0, failures: 0, flaky: 0, [long]: 1 } }
      },
      'a long timings key': { timings: { [long]: 'x' } },
      'a long item with a bad status': { results: [{ item: long, status: long, durationMs: 1 }] }
    }
    const notices = []
    for (const [name, json] of Object.entries(files)) {
      const path = file('long.json', JSON.stringify(json))
      const read = await readHistory(path)
      const notice = read.problem ?? read.leftOut ?? ''
      notices.push([name, notice.length < 250 + path.length, notice.includes('xxxxxxxx')])
    }
    expect(notices).toEqual(Object.keys(files).map(name => [name, true, !name.includes('number')]))
  })

  it('reads a timings file as the durations of one run with no identity', async () => {
    const path = file(
      'timings.json',
      JSON.stringify({ version: 1, timings: { a: 5, b: 'x', c: -1, d: 0 } })
    )
    const read = await readHistory(path)
    expect(read.leftOut).toMatch(
      /^2 of 4 entries .* \(first: 'timings\["b"\]' is "x"\. Expected a number of milliseconds ≥ 0\)$/
    )
    expect(read.history.runs).toEqual([
      { seq: 1, runId: null, attempt: null, at: expect.any(Number) }
    ])
    expect(
      [...read.history.items].map(([key, entry]) => [key, entry.results, entry.last?.runId])
    ).toEqual([
      ['a', [{ runId: null, attempt: null, status: Success, durationMs: 5 }], null],
      ['d', [{ runId: null, attempt: null, status: Success, durationMs: 0 }], null]
    ])
  })

  it('reads a timings file whatever its version says', async () => {
    const path = file('timings-v9.json', JSON.stringify({ version: 9, timings: { a: 5 } }))
    const read = await readHistory(path)
    expect(read.problem).toBeUndefined()
    expect(read.history.items.get('a')?.results).toEqual([
      { runId: null, attempt: null, status: Success, durationMs: 5 }
    ])
  })

  it('reads a results file as its run: with its identity only when the file has one', async () => {
    const records = [
      record(0, 'a', Success, { durationMs: 10, commandDigest: DIGEST, endedAt: 5_000 }),
      record(1, 'b', Failure, { durationMs: 20 }),
      record(2, 'a', TaskStatus.Skipped)
    ]
    const withRun = await writeResultsFile(
      join(dir, 'with-run'),
      report(records, { run: { id: 42, attempt: 1 } })
    )
    const read = await readHistory(withRun)
    expect(read.problem).toBeUndefined()
    expect(read.history.runs).toEqual([{ seq: 1, runId: 42, attempt: 1, at: 1_700_000_001_000 }])
    expect(read.history.items.get('a')?.last).toEqual({
      runId: 42,
      attempt: 1,
      status: Success,
      durationMs: 10,
      at: 5_000,
      commandDigest: DIGEST
    })
    expect(read.history.items.get('a\u0000#2')).toMatchObject({ seen: 1, results: [] })
    const withoutRun = await writeResultsFile(join(dir, 'without-run'), report(records))
    const old = await readHistory(withoutRun)
    expect(old.history.items.get('a')?.last).toMatchObject({ runId: null, attempt: null })
    expect(old.history.items.get('b')?.results).toEqual([
      { runId: null, attempt: null, status: Failure, durationMs: 20 }
    ])
  })

  it('leaves out results it cannot use from a results file of any version', async () => {
    const path = file(
      'odd-results.json',
      JSON.stringify({
        version: 9,
        run: 'not a run',
        results: [
          { item: 'a', durationMs: 10, status: 'success', extra: true },
          { item: 'b', durationMs: 'x', status: 'success' },
          { durationMs: 1, status: 'success' },
          null,
          { item: 'c', durationMs: 3, status: 'failure', commandDigest: 'short' }
        ]
      })
    )
    const read = await readHistory(path)
    expect(read.leftOut).toMatch(/^4 of 5 entries .*\(first: 'results\[1\]\.durationMs' is "x"\./)
    expect([...read.history.items.keys()]).toEqual(['a'])
    expect(read.history.runs[0]?.runId).toBeNull()
  })

  it('keeps a file with more results per item than it keeps to its own bounds', async () => {
    const json = JSON.parse(historyFileText(sample())) as {
      items: Record<string, { results: unknown[]; runs: number }>
    }
    const a = json.items.a!
    a.results = Array.from({ length: 25 }, (_, ms) => ({
      runId: null,
      attempt: null,
      status: 'success',
      ms
    }))
    a.runs = 25
    const read = await readHistory(file('long.json', JSON.stringify(json)))
    expect(read.history.items.get('a')?.results.map(result => result.durationMs)).toEqual([
      15, 16, 17, 18, 19, 20, 21, 22, 23, 24
    ])
  })

  it('never throws on a damaged history, timings or results file, and keeps only what it can write back (property)', async () => {
    const kinds = {
      history: JSON.parse(historyFileText(sample())) as unknown,
      timings: { version: 1, timings: { a: 5, __proto__: 7, b: 0 } } as unknown,
      results: JSON.parse(
        resultsFileTextOf([
          record(0, 'a', Success, { flaky: true, attempts: 2, commandDigest: DIGEST }),
          record(1, { path: 'x' }, Failure, { sourcesDigest: DIGEST }),
          record(2, 'a', TaskStatus.Skipped)
        ])
      ) as unknown
    }
    /** Every place in a JSON value, as the keys that lead to it. */
    const places = (json: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (json === null || typeof json !== 'object') return [at]
      const inner = Object.entries(json).flatMap(([key, value]) =>
        places(value, [...at, Array.isArray(json) ? Number(key) : key])
      )
      return [at, ...inner]
    }
    // JSON nested far deeper than a stack can follow: written into the text in place of a marker.
    const DEEP = { array: '\u0000deep array', object: '\u0000deep object' }
    const deepText = {
      [DEEP.array]: '['.repeat(20_000) + ']'.repeat(20_000),
      [DEEP.object]: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)
    }
    const deepValue = fc.constantFrom(DEEP.array, DEEP.object)
    /** The file with the value at `at` replaced (or removed, for undefined), as text. */
    const damaged = (good: unknown, at: (string | number)[], value: unknown): string => {
      const copy = structuredClone(good) as Record<string | number, unknown>
      let parent = copy
      for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
      if (at.length > 0) parent[at.at(-1) as string | number] = value
      const text = (at.length === 0 ? JSON.stringify(value) : JSON.stringify(copy)) ?? ''
      return text.replace(
        /"\\u0000deep (array|object)"/,
        marker => deepText[JSON.parse(marker) as string]!
      )
    }
    const damage = fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])).chain(kind =>
      fc.oneof(
        fc.record({
          kind: fc.constant(kind),
          at: fc.constantFrom(...places(kinds[kind]).filter(at => at.length > 0)),
          value: fc.oneof(fc.option(fc.jsonValue({ maxDepth: 2 })), deepValue)
        }),
        fc.record({
          kind: fc.constant(kind),
          at: fc.constant([] as (string | number)[]),
          value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), deepValue)
        })
      )
    )
    let cases = 0
    let deep = 0
    let leftOut = 0
    await fc.assert(
      fc.asyncProperty(damage, async ({ kind, at, value }) => {
        cases++
        if (value === DEEP.array || value === DEEP.object) deep++
        const path = file('damaged.json', damaged(kinds[kind], at, value ?? undefined))
        const read = await readHistory(path)
        if (read.leftOut !== undefined) leftOut++
        for (const notice of [read.problem, read.leftOut]) {
          expect((notice ?? '').length).toBeLessThan(400)
        }
        const again = await readHistory(
          await writeHistory(mkdtempSync(join(dir, 'again-')), read.history)
        )
        expect(again).toEqual({ history: read.history })
      }),
      { seed: 20261207, numRuns: 600 }
    )
    expect(cases).toBe(600)
    expect(deep).toBeGreaterThan(100)
    // Many damages hit one entry, which is left out while the rest is kept.
    expect(leftOut).toBeGreaterThan(50)
  })
})
