import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  annotateFailures,
  annotateFlaky,
  failureMessage,
  setOutputs,
  writeSummary
} from '../../src/report/outputs.js'
import * as core from '../../src/action/actions-core.js'
import { HaltKind } from '../../src/model/halt.js'
import { repositoryUrl } from '../../src/report/run-links.js'
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
  core.resetWarningCount()
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
      'flaky',
      'results',
      'results-file',
      'results-truncated',
      'reused',
      'skipped',
      'succeeded',
      'timed-out',
      'total'
    ])
  })
})

/** A task reused from attempt 1 of run 77, which ended at `at`. */
const reusedRecord = (index: number, item: string, at = 1_700_000_000_000) =>
  record(index, item, TaskStatus.Reused, { reusedFrom: { runId: 77, attempt: 1, at } })

/** A task that failed once, then succeeded on its second attempt. */
const flakyRecord = (index: number, item: string) =>
  record(index, item, TaskStatus.Success, { attempts: 2, flaky: true })

describe('setOutputs with reused and flaky tasks', () => {
  it('counts them, counts reused tasks in total, and gives each result where it was reused from', () => {
    const records = [
      reusedRecord(0, 'a'),
      flakyRecord(1, 'b'),
      record(2, 'c', TaskStatus.Success),
      reusedRecord(3, 'd')
    ]
    setOutputs(report(records), '/tmp/results.json')
    const outputs = readOutputs(process.env.GITHUB_OUTPUT as string)
    expect(outputs).toMatchObject({ total: '4', succeeded: '2', reused: '2', flaky: '1' })
    const results = JSON.parse(outputs.results as string)
    expect(results[0]).toMatchObject({
      status: 'reused',
      attempts: 0,
      reusedFrom: { runId: 77, attempt: 1, at: '2023-11-14T22:13:20.000Z' }
    })
    expect(results[1]).toMatchObject({ status: 'success', attempts: 2, flaky: true })
    expect(results[2].flaky).toBeUndefined()
    expect(JSON.parse(outputs['failed-items'] as string)).toEqual([])
  })

  it('marks as flaky in results exactly the tasks the flaky output counts, whatever file they came from', () => {
    // A results file written before the `flaky` field: a success on its second attempt.
    const older = record(0, 'old', TaskStatus.Success, { attempts: 2 })
    const records = [
      older,
      flakyRecord(1, 'new'),
      record(2, 'x', TaskStatus.Failure, { attempts: 3 })
    ]
    setOutputs(report(records), '')
    const outputs = readOutputs(process.env.GITHUB_OUTPUT as string)
    const results = JSON.parse(outputs.results as string) as { flaky?: true }[]
    expect(outputs.flaky).toBe('2')
    expect(results.map(result => result.flaky === true)).toEqual([true, true, false])
  })

  it('writes 0 for both when none was reused or flaky', () => {
    setOutputs(report([record(0, 'a', TaskStatus.Success)]), '')
    const outputs = readOutputs(process.env.GITHUB_OUTPUT as string)
    expect([outputs.reused, outputs.flaky]).toEqual(['0', '0'])
  })
})

describe('annotateFlaky', () => {
  const warnings = (): string[] => printed.filter(line => line.startsWith('::warning'))

  it('warns once per flaky task, titled by its item, with its attempts', () => {
    annotateFlaky(
      report([flakyRecord(0, 'api'), record(1, 'web', TaskStatus.Success), reusedRecord(2, 'db')])
    )
    expect(warnings()).toEqual([
      '::warning title=api::✅ #1 api: succeeded in 1.0s (2 attempts): flaky, it failed and then succeeded on a retry.\n'
    ])
  })

  it('takes the 10 warnings GitHub shows, the last saying how many more tasks were flaky', () => {
    annotateFlaky(report(Array.from({ length: 12 }, (_, i) => flakyRecord(i, `t${i}`))))
    expect(warnings()).toHaveLength(10)
    expect(warnings()[8]).toContain('title=t8::')
    expect(warnings()[9]).toBe(
      '::warning title=Flaky tasks::3 more tasks were flaky (failed, then succeeded on a retry); ' +
        'the job summary names them.\n'
    )
    printed.length = 0
    core.resetWarningCount()
    annotateFlaky(report(Array.from({ length: 10 }, (_, i) => flakyRecord(i, `t${i}`))))
    expect(warnings()).toHaveLength(10)
    expect(warnings().every(line => !line.includes('more tasks'))).toBe(true)
  })

  it('leaves the warnings the action sent before room, whatever their number', () => {
    for (const before of [0, 1, 2, 5, 9, 10, 14]) {
      for (const flakyCount of [1, 3, 10, 12]) {
        printed.length = 0
        core.resetWarningCount()
        // As the action's own: a file not written, outputs cut, a task's step files.
        for (let i = 0; i < before; i++) core.warning(`own warning ${i}`)
        annotateFlaky(report(Array.from({ length: flakyCount }, (_, i) => flakyRecord(i, `t${i}`))))
        const flakyWarnings = warnings().slice(before)
        const room = Math.max(0, 10 - before)
        expect(flakyWarnings).toHaveLength(Math.min(flakyCount, room))
        if (flakyCount > room && room > 0) {
          expect(flakyWarnings.at(-1)).toContain('title=Flaky tasks::')
          const others = room > 1 ? 'more ' : ''
          expect(flakyWarnings.at(-1)).toContain(`::${flakyCount - room + 1} ${others}tasks were`)
        }
        if (room === 0) {
          expect(printed.join('')).toContain(`${flakyCount} task`)
          expect(printed.join('')).toContain('the job summary names them.')
        }
      }
    }
  })

  it('does not warn for a task that failed on every attempt', () => {
    annotateFlaky(report([record(0, 'x', TaskStatus.Failure, { attempts: 3 })]))
    expect(warnings()).toEqual([])
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

describe('failureMessage with reused tasks', () => {
  it('lets a run whose tasks were reused or succeeded pass: a reused task has a result', () => {
    const records = [reusedRecord(0, 'a'), reusedRecord(1, 'b'), flakyRecord(2, 'c')]
    expect(failureMessage(report(records))).toBeUndefined()
    const failed = [...records, record(3, 'd', TaskStatus.Failure)]
    expect(failureMessage(report(failed))).toBe('1 of 4 tasks did not succeed (1 failed): d.')
  })
})

describe('writeSummary', () => {
  afterEach(() => {
    delete process.env.GITHUB_SERVER_URL
    delete process.env.GITHUB_REPOSITORY
  })

  // One test: @actions/core keeps the summary file it first wrote to for the whole process.
  it('appends the summary to GITHUB_STEP_SUMMARY, reused tasks linked to their attempt', async () => {
    process.env.GITHUB_SERVER_URL = 'https://github.example.com'
    process.env.GITHUB_REPOSITORY = 'octo/app.js'
    await writeSummary(report([record(0, 'a', TaskStatus.Success), reusedRecord(1, 'b')]))
    const text = readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8')
    expect(text).toContain('<h2>✅ parallel-exec: 2 of 2 succeeded (1 reused)</h2>')
    expect(text).toContain(
      '<a href="https://github.example.com/octo/app.js/actions/runs/77/attempts/1">Succeeded in run 77, attempt 1</a>'
    )
  })
})

describe('repositoryUrl', () => {
  it('is the server and repository the runner names, or nothing when either is not of its form', () => {
    const url = (server: string, repository: string): string | undefined =>
      repositoryUrl({ GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository })
    expect(url('https://github.com', 'octo/app')).toBe('https://github.com/octo/app')
    expect(url('http://ghes.local:8080', 'my-org/my_app.v2')).toBe(
      'http://ghes.local:8080/my-org/my_app.v2'
    )
    for (const [server, repository] of [
      ['javascript:alert(1)//', 'octo/app'],
      ['https://github.com', 'octo/app"><img src=x>'],
      ['https://github.com/path', 'octo/app'],
      ['https://github.com?x', 'octo/app'],
      ['https://github.com', '../..'],
      ['https://github.com', 'octo/..'],
      ['https://github.com', 'octo/app/extra'],
      ['https://github.com', ''],
      ['', 'octo/app']
    ] as const) {
      expect([server, repository, url(server, repository)]).toEqual([server, repository, undefined])
    }
    expect(repositoryUrl({})).toBeUndefined()
  })
})
