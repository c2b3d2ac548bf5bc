import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { commandRuns, itemShares } from '../model/batch-runs.js'
import { distinctLabels } from '../model/labels.js'
import { counted } from '../model/words.js'
import { type RunReport } from '../model/run-report.js'
import { type TaskRecord } from '../model/task-record.js'
import { TaskStatus } from '../model/task-status.js'
import { createAfresh } from '../system/plain-files.js'
import { plainText } from './terminal-text.js'
import { xmlAttribute, xmlText } from './xml-text.js'

/** Name of the JUnit file a run writes, next to its results file. */
const JUNIT_FILE = 'junit.xml'

/** The suite's name, and every test's class: reporters group a suite's tests by it. */
const JUNIT_SUITE = 'parallel-exec'

/** Test names are item labels cut as annotation titles are. */
const JUNIT_NAME_MAX = 200

/**
 * Items a merge has no result for get a testcase each up to this many, and the rest one together:
 * a results file may claim up to 2^32 - 1 items, more testcases than memory holds.
 */
const MAX_MISSING_CASES = 100_000

/** One testcase element, at its item's place in the input. */
interface TestCase {
  index: number
  xml: string
}

/** Writes the report as a JUnit XML file into `directory`; returns its path. */
export async function writeJunitFile(directory: string, report: RunReport): Promise<string> {
  await mkdir(directory, { recursive: true })
  const path = join(directory, JUNIT_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, junitXml(report))
  return path
}

/**
 * The report as JUnit XML, as dorny/test-reporter, mikepenz/action-junit-report and
 * EnricoMi/publish-unit-test-result-action read it: one suite, one testcase per item in input
 * order (named by its label), a `failure` for a task that failed or timed out, `skipped` for one
 * skipped or cancelled, and an `error` for an item a merge has no result for.
 */
export function junitXml(report: RunReport): string {
  const missing = itemsWithoutResult(report)
  // Reporters tell test cases apart by name: shared names get their task's number.
  const label = distinctLabels(report.records, JUNIT_NAME_MAX)
  const batchOf = batchesOf(report, label)
  const share = itemShares(report.records, report)
  const cases: TestCase[] = [
    ...report.records.map(record => ({
      index: record.index,
      xml: recordCase(record, report, label(record), share(record), batchOf(record))
    })),
    ...missing.indexes.map(index => ({ index, xml: missingCase(`item ${index + 1}`) })),
    ...(missing.rest > 0
      ? [{ index: Infinity, xml: missingCase(counted(missing.rest, 'more item')) }]
      : [])
  ].sort((a, b) => a.index - b.index)
  const errors = cases.length - report.records.length
  const failures = report.records.filter(
    ({ status }) => status === TaskStatus.Failure || status === TaskStatus.TimedOut
  ).length
  const skipped = report.records.filter(
    ({ status }) =>
      status === TaskStatus.Skipped ||
      status === TaskStatus.Cancelled ||
      status === TaskStatus.Reused
  ).length
  const counts =
    `tests="${cases.length}" failures="${failures}" errors="${errors}" ` +
    `skipped="${skipped}" time="${seconds(report.durationMs)}"`
  const problems = report.merged?.problems ?? []
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${JUNIT_SUITE}" ${counts}>`,
    `  <testsuite name="${JUNIT_SUITE}" ${counts}>`,
    ...cases.map(({ xml }) => `    ${xml}`),
    ...(problems.length > 0
      ? [`    <system-err>${xmlText(problems.join('\n'))}</system-err>`]
      : []),
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}

/** What a testcase says of the batch its item ran in. */
interface BatchPlace {
  /** ` in batch 3 of 50 items`. */
  note: string
  /** Where the batch's output is, for every member but the first: its output is shown once. */
  outputWith?: string
  /** For the first member of a batch of several: the batch's whole time, as its text says it. */
  wholeTime?: string
}

/**
 * Each record's place in its batch, if it ran in one: a batch's members share one command and its
 * output, which its first member's testcase holds and the others' point to.
 */
function batchesOf(
  report: RunReport,
  label: (record: TaskRecord) => string
): (record: TaskRecord) => BatchPlace | undefined {
  const places = new Map<TaskRecord, BatchPlace>()
  for (const run of commandRuns(report.records, report)) {
    const [first] = run
    if (first.batch === undefined) continue
    const note = ` in batch ${first.batch} of ${counted(run.length, 'item')}`
    const wholeTime =
      run.length > 1
        ? `Batch ${first.batch} of ${counted(run.length, 'item')} took ${seconds(first.durationMs)}s ` +
          "as one command; each item's time is its share."
        : undefined
    run.forEach((member, position) =>
      places.set(
        member,
        position === 0
          ? { note, ...(wholeTime === undefined ? {} : { wholeTime }) }
          : { note, outputWith: label(first) }
      )
    )
  }
  return record => places.get(record)
}

/**
 * The testcase of an item's record. Its time is its share of its batch's (reporters add testcase
 * times: a batch counts once); the first member of a batch says the batch's whole time, in its
 * failure text or else its system-out.
 */
function recordCase(
  record: TaskRecord,
  report: RunReport,
  name: string,
  time: number,
  batch?: BatchPlace
): string {
  const open =
    `<testcase name="${xmlAttribute(name)}" ` + `classname="${JUNIT_SUITE}" time="${seconds(time)}"`
  const wholeTime = batch?.wholeTime
  const out = wholeTime === undefined ? '' : `<system-out>${xmlText(wholeTime)}</system-out>`
  switch (record.status) {
    case TaskStatus.Success:
      return out === '' ? `${open}/>` : `${open}>${out}</testcase>`
    case TaskStatus.Failure:
    case TaskStatus.TimedOut:
      return (
        `${open}><failure message="${xmlAttribute(plainText(failureOf(record, batch?.note)))}" type="${record.status}">` +
        `${xmlText(failureText(record, batch))}</failure></testcase>`
      )
    case TaskStatus.Skipped:
    case TaskStatus.Cancelled:
    case TaskStatus.Reused:
      return `${open}><skipped message="${xmlAttribute(skipOf(record, report))}"/>${out}</testcase>`
  }
}

/** The testcase of items a merge has no record for: an error, as they fail the step. */
function missingCase(name: string): string {
  return (
    `<testcase name="${name}" classname="${JUNIT_SUITE}" time="0.000">` +
    '<error message="no result: the merged results files have no record of it" ' +
    'type="no-result"/></testcase>'
  )
}

/**
 * A failed task's output; for a batch's members but the first, where the batch's output is (it
 * is shown once, not once per item).
 */
function failureText(record: TaskRecord, batch: BatchPlace | undefined): string {
  if (batch?.wholeTime !== undefined) return `${batch.wholeTime}\n${plainText(record.outputTail)}`
  if (batch?.outputWith === undefined) return plainText(record.outputTail)
  return `The output of batch ${record.batch} is with its first item, ${batch.outputWith}.`
}

/**
 * How a task failed: its exit code, its signal, its batch, the error, and its attempts when
 * retried.
 */
function failureOf(record: TaskRecord, batchNote = ''): string {
  return (
    (record.status === TaskStatus.TimedOut ? 'timed out' : 'failed') +
    batchNote +
    (record.exitCode !== null ? ` with exit code ${record.exitCode}` : '') +
    (record.signal !== null ? ` (${record.signal})` : '') +
    (record.attempts > 1 ? ` after ${record.attempts} attempts` : '') +
    (record.error ? `: ${record.error}` : '')
  )
}

/** Why a task did not run to its end: its skip reason, or the halt that cancelled it. */
function skipOf(record: TaskRecord, report: RunReport): string {
  if (record.status === TaskStatus.Skipped) return record.skipReason ?? 'skipped'
  if (record.status === TaskStatus.Reused) {
    const from = record.reusedFrom
    const source =
      from === undefined ? '' : `: succeeded in run ${from.runId}, attempt ${from.attempt}`
    // A dry run reuses nothing: it says what a run would do.
    return report.dryRun === true ? `dry run, would be reused${source}` : `reused${source}`
  }
  return report.haltReason ? `cancelled: ${report.haltReason}` : 'cancelled'
}

/**
 * The items the counts hold without a record (a merge's missing shards or records): the 0-based
 * places no record has, lowest first, up to MAX_MISSING_CASES of them, and how many more there are.
 */
function itemsWithoutResult(report: RunReport): { indexes: number[]; rest: number } {
  const missing = Math.max(0, report.counts.total - report.records.length)
  const listed = Math.min(missing, MAX_MISSING_CASES)
  const recorded = new Set(report.records.map(record => record.index))
  const indexes: number[] = []
  for (let index = 0; indexes.length < listed; index++) {
    if (!recorded.has(index)) indexes.push(index)
  }
  return { indexes, rest: missing - listed }
}

/** Milliseconds as JUnit's seconds, to the millisecond. */
function seconds(ms: number): string {
  return (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3)
}
