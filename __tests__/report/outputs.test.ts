import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  annotateFailures,
  failureMessage,
  setOutputs,
  writeSummary
} from '../../src/report/outputs.js'
import { HaltKind } from '../../src/model/halt.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'

/** Reads a GITHUB_OUTPUT file written by @actions/core into name → value. */
function readOutputs(path: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const [, name, , value] of readFileSync(path, 'utf8').matchAll(
    /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  )) {
    outputs[name as string] = value as string
  }
  return outputs
}

let dir: string
let printed: string[]
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-'))
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
  delete process.env.GITHUB_OUTPUT
  delete process.env.GITHUB_STEP_SUMMARY
})

describe('setOutputs', () => {
  it('writes every output of action.yml to GITHUB_OUTPUT', () => {
    const records = [
      record(0, 'a', TaskStatus.Success),
      record(1, { name: 'b' }, TaskStatus.Failure),
      record(2, ['c', 1], TaskStatus.TimedOut),
      record(3, 4, TaskStatus.Cancelled),
      record(4, 'e', TaskStatus.Skipped)
    ]
    setOutputs(report(records), '/tmp/results.json')
    const outputs = readOutputs(process.env.GITHUB_OUTPUT as string)
    expect(outputs).toMatchObject({
      total: '5',
      succeeded: '1',
      failed: '1',
      'timed-out': '1',
      cancelled: '1',
      skipped: '1',
      'results-file': '/tmp/results.json',
      'duration-ms': '2000'
    })
    expect(outputs['results-truncated']).toBe('false')
    expect(JSON.parse(outputs['failed-items'] as string)).toEqual([{ name: 'b' }, ['c', 1], 4])
    const results = JSON.parse(outputs.results as string)
    expect(results[1]).toEqual({
      index: 1,
      item: { name: 'b' },
      status: 'failure',
      exitCode: 1,
      signal: null,
      durationMs: 1000,
      attempts: 1,
      command: 'echo {"name":"b"}',
      outputs: {}
    })
    expect(Object.keys(outputs).sort()).toEqual([
      'cancelled',
      'duration-ms',
      'failed',
      'failed-items',
      'results',
      'results-file',
      'results-truncated',
      'skipped',
      'succeeded',
      'timed-out',
      'total'
    ])
  })
})

describe('annotateFailures', () => {
  it('annotates at most 9 failed tasks, titled by item, saying how each ended', () => {
    const records = Array.from({ length: 12 }, (_, i) =>
      record(i, `item\n${i}`, TaskStatus.Failure, { outputTail: `line ${i}\n` })
    )
    records[1] = record(1, 'slow', TaskStatus.TimedOut, { exitCode: null, outputTail: '' })
    records[2] = record(2, 'killed', TaskStatus.Failure, { exitCode: 137, signal: 'SIGKILL' })
    annotateFailures(report(records))
    const errors = printed.filter(line => line.startsWith('::error'))
    expect(errors).toHaveLength(9)
    expect(errors.slice(0, 3)).toEqual([
      '::error title=item⏎0::❌ #1 item⏎0: failed (exit code 1) in 1.0s:%0Aline 0\n',
      '::error title=slow::⏱️ #2 slow: timed out after 1.0s\n',
      '::error title=killed::❌ #3 killed: failed (SIGKILL, exit code 137) in 1.0s\n'
    ])
  })

  it('shows a few lines: the error, the early ones that look like failures and the last', () => {
    const outputTail = [
      'FAIL packages/web/src/__tests__/router.test.tsx',
      ...Array.from({ length: 200 }, (_, i) => `    at frame ${i} ${'y'.repeat(100)}`),
      'Tests: 1 failed'
    ].join('\n')
    annotateFailures(
      report([record(0, 'web', TaskStatus.Failure, { outputTail, error: 'e'.repeat(1000) })])
    )
    const error = printed.find(line => line.startsWith('::error')) as string
    const lines = error.trimEnd().split('%0A')
    expect(lines).toHaveLength(1 + 1 + 1 + 1 + 7)
    expect(lines[0]).toBe('::error title=web::❌ #1 web: failed (exit code 1) in 1.0s:')
    expect(lines[1]).toBe('e'.repeat(499) + '…')
    expect(lines[2]).toBe('FAIL packages/web/src/__tests__/router.test.tsx')
    expect(lines[3]).toBe('…')
    expect(lines.at(-1)).toBe('Tests: 1 failed')
    expect(error.length).toBeLessThan(2000)
  })

  it('leaves out tasks cancelled by a won stop-on-success race, as the summary does', () => {
    const cancelled = { exitCode: null, signal: 'SIGTERM' }
    const records = [
      record(0, 'mirror-a', TaskStatus.Cancelled, cancelled),
      record(1, 'mirror-b', TaskStatus.Success),
      record(2, 'mirror-c', TaskStatus.Failure)
    ]
    annotateFailures(report(records, { haltKind: HaltKind.Successes, haltReason: 'won' }))
    expect(
      printed.filter(line => line.startsWith('::error')).map(line => line.slice(0, 25))
    ).toEqual(['::error title=mirror-c::❌'])
    printed.length = 0
    // Cancelled by fail-fast, the task is a failure to look at.
    annotateFailures(report(records, { haltKind: HaltKind.Failures, haltReason: 'fail-fast' }))
    expect(printed.filter(line => line.startsWith('::error'))).toHaveLength(2)
  })
})

describe('failureMessage', () => {
  it('counts the failures, names the first five items and how many were not annotated', () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => record(i, `f${i}`, TaskStatus.Failure)),
      record(10, 't', TaskStatus.TimedOut),
      record(11, 'ok', TaskStatus.Success)
    ]
    expect(failureMessage(report(records))).toBe(
      '11 of 12 tasks did not succeed (10 failed, 1 timed out): f0, f1, f2, f3, f4, and 6 more. ' +
        '(2 not annotated; see the job summary)'
    )
    expect(failureMessage(report([record(0, 'ok', TaskStatus.Success)]))).toBeUndefined()
  })

  it('fails on items without a result, whatever the report says of them', () => {
    const records = [0, 1, 2].map(i => record(i, `ok${i}`, TaskStatus.Success))
    const counts = { ...report(records).counts, total: 10 }
    const merged = { files: 2, shards: null, missingShards: [], problems: [] }
    expect(failureMessage(report(records, { counts, merged }))).toBe(
      '7 of 10 tasks did not succeed (7 without a result).'
    )
    const failed = [...records, record(3, 'bad', TaskStatus.Failure)]
    expect(failureMessage(report(failed, { counts: { ...counts, failed: 1 } }))).toBe(
      '7 of 10 tasks did not succeed (1 failed, 6 without a result): bad.'
    )
  })
})

describe('writeSummary', () => {
  it('appends the summary to GITHUB_STEP_SUMMARY', async () => {
    await writeSummary(report([record(0, 'a', TaskStatus.Success)]))
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8')).toContain(
      '<h2>✅ parallel-exec: 1 of 1 succeeded</h2>'
    )
  })
})
