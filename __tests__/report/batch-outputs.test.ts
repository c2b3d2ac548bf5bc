import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../../src/action/actions-core.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { junitXml } from '../../src/report/junit.js'
import {
  annotateFailures,
  annotateFlaky,
  failureMessage,
  setOutputs
} from '../../src/report/outputs.js'
import { batchRecords, record, report } from '../helpers/records.js'
import { parseXml, type XmlElement } from '../helpers/junit-xml.js'

/** Members `[index, item]` of items from..to − 1, named `f1.ts` …. */
const members = (from: number, to: number): [number, string][] =>
  Array.from({ length: to - from }, (_, offset) => [from + offset, `f${from + offset + 1}.ts`])

const TAIL = 'f1.ts:3:1 error no-unused-vars TAIL-MARKER\n'

/** 12 items: batch 1 (items 1–5) failed, batch 2 (6–10) succeeded, then two reused items. */
function batchedRun(): RunReport {
  const reusedFrom = { runId: 7, attempt: 1, at: 1_600_000_000_000 }
  const records = [
    ...batchRecords(1, members(0, 5), TaskStatus.Failure, { outputTail: TAIL }),
    ...batchRecords(2, members(5, 10), TaskStatus.Success, { slot: 2 }),
    record(10, 'f11.ts', TaskStatus.Reused, { reusedFrom }),
    record(11, 'f12.ts', TaskStatus.Reused, { reusedFrom })
  ]
  return report(records, { batchSize: 5 })
}

let printed: string[]
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'batch-outputs-'))
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  printed = []
  core.resetWarningCount()
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  delete process.env.GITHUB_OUTPUT
})

/** The testcases of a JUnit document. */
const testcases = (xml: string): XmlElement[] =>
  parseXml(xml).children[0]?.children.filter(child => child.name === 'testcase') ?? []

describe('the outputs of a batched run', () => {
  it('lists every member of a failed batch in failed-items and counts items', () => {
    setOutputs(batchedRun(), '/tmp/results.json')
    const output = readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8')
    const value = (name: string): string =>
      new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(output)?.[2] as string
    expect(JSON.parse(value('failed-items'))).toEqual(['f1.ts', 'f2.ts', 'f3.ts', 'f4.ts', 'f5.ts'])
    expect([value('total'), value('failed'), value('succeeded'), value('reused')]).toEqual([
      '12',
      '5',
      '5',
      '2'
    ])
    const results = JSON.parse(value('results')) as { batch?: number }[]
    expect(results.map(result => result.batch)).toEqual([
      1,
      1,
      1,
      1,
      1,
      2,
      2,
      2,
      2,
      2,
      undefined,
      undefined
    ])
  })

  it('annotates a failed batch once, titled by its number and first items', () => {
    annotateFailures(batchedRun())
    const errors = printed.filter(line => line.startsWith('::error'))
    expect(errors).toEqual([
      '::error title=Batch 1 (f1.ts%2C f2.ts%2C f3.ts and 2 more)::' +
        '❌ Batch 1 (f1.ts, f2.ts, f3.ts and 2 more): failed (exit code 1) in 1.0s:%0A' +
        'f1.ts:3:1 error no-unused-vars TAIL-MARKER\n'
    ])
  })

  it('says in the step message how many items did not succeed, and in how many batches', () => {
    expect(failureMessage(batchedRun())).toBe(
      '5 of 12 items did not succeed (5 failed), in 1 of 2 batches: f1.ts, f2.ts, f3.ts, f4.ts, f5.ts.'
    )
  })

  it('says apart the items that ran alone in a merge of batched and unbatched results', () => {
    const records = [
      ...batchRecords(1, members(0, 3), TaskStatus.Failure),
      record(3, 'f4.ts', TaskStatus.Failure, { slot: 2 }),
      record(4, 'f5.ts', TaskStatus.Success, { slot: 2 })
    ]
    const merged = report(records, {
      merged: {
        files: 2,
        shards: null,
        missingShards: [],
        problems: [],
        slotsPerFile: [1, 1],
        recordFiles: [0, 0, 0, 1, 1]
      }
    })
    expect(failureMessage(merged)).toBe(
      '4 of 5 items did not succeed (4 failed), in 1 of 1 batch and 1 single task: ' +
        'f1.ts, f2.ts, f3.ts, f4.ts.'
    )
  })

  it('annotates 9 failed batches, and the step message counts the items of those left out', () => {
    const records = Array.from({ length: 11 }, (_, batch) =>
      batchRecords(batch + 1, members(batch * 3, batch * 3 + 3), TaskStatus.Failure)
    ).flat()
    const run = report(records, { batchSize: 3 })
    annotateFailures(run)
    expect(printed.filter(line => line.startsWith('::error'))).toHaveLength(9)
    expect(failureMessage(run)).toBe(
      '33 of 33 items did not succeed (33 failed), in 11 of 11 batches: f1.ts, f2.ts, f3.ts, f4.ts, ' +
        'f5.ts, and 28 more. (6 items not annotated; see the job summary)'
    )
  })

  it('warns once of a flaky batch', () => {
    const flaky = batchRecords(1, members(0, 4), TaskStatus.Success, { attempts: 2, flaky: true })
    annotateFlaky(report(flaky, { batchSize: 4 }), 10)
    const warnings = printed.filter(line => line.startsWith('::warning'))
    expect(warnings).toEqual([
      '::warning title=Batch 1 (f1.ts%2C f2.ts%2C f3.ts and 1 more)::' +
        '✅ Batch 1 (f1.ts, f2.ts, f3.ts and 1 more): succeeded in 1.0s (2 attempts): ' +
        'flaky, it failed and then succeeded on a retry.\n'
    ])
  })
})

describe('the JUnit file of a batched run', () => {
  it('has a testcase per item; a failed batch has its output once, on its first item', () => {
    const xml = junitXml(batchedRun())
    expect(xml).toContain('tests="12" failures="5" errors="0" skipped="2"')
    const cases = testcases(xml)
    expect(cases.map(one => one.attributes.name)).toEqual(
      Array.from({ length: 12 }, (_, index) => `f${index + 1}.ts`)
    )
    const failures = cases.flatMap(one => one.children.filter(child => child.name === 'failure'))
    expect(failures).toHaveLength(5)
    expect(failures.map(failure => failure.attributes.message)).toEqual(
      Array(5).fill('failed in batch 1 of 5 items with exit code 1')
    )
    expect(failures[0]?.text).toBe(
      "Batch 1 of 5 items took 1.000s as one command; each item's time is its share.\n" + TAIL
    )
    for (const failure of failures.slice(1)) {
      expect(failure.text).toBe('The output of batch 1 is with its first item, f1.ts.')
    }
    expect(xml.split('TAIL-MARKER')).toHaveLength(2)
  })

  it("gives each testcase its share of its batch's time, and the first the batch's whole time", () => {
    const times = { durationMs: 5000 }
    const run = report(
      [
        ...batchRecords(1, members(0, 4), TaskStatus.Failure, { ...times, outputTail: TAIL }),
        ...batchRecords(2, members(4, 7), TaskStatus.Success, { ...times, slot: 2 }),
        record(7, 'f8.ts', TaskStatus.Success, { durationMs: 700 })
      ],
      { batchSize: 4, durationMs: 5700 }
    )
    const xml = junitXml(run)
    // The suite's time is the run's wall time; reporters that add testcase times count each
    // batch once: 4 × 1.250 s, 3 × 1.667 s and 0.7 s.
    expect(xml).toContain('skipped="0" time="5.700"')
    const cases = testcases(xml)
    expect(cases.map(one => one.attributes.time)).toEqual([
      ...Array(4).fill('1.250'),
      ...Array(3).fill('1.667'),
      '0.700'
    ])
    const whole = (batch: number, items: number): string =>
      `Batch ${batch} of ${items} items took 5.000s as one command; each item's time is its share.`
    expect(cases[0]?.children.find(child => child.name === 'failure')?.text).toBe(
      `${whole(1, 4)}\n${TAIL}`
    )
    const out = cases.map(one => one.children.find(child => child.name === 'system-out')?.text)
    expect(out).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      whole(2, 3),
      undefined,
      undefined,
      undefined
    ])
  })
})
