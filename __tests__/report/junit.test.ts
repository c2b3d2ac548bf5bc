import { describe, expect, it } from '@jest/globals'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HaltKind } from '../../src/model/halt.js'
import { distinctLabels, itemLabel } from '../../src/model/labels.js'
import { type RunReport } from '../../src/model/run-report.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { junitXml, writeJunitFile } from '../../src/report/junit.js'
import { mergeReports } from '../../src/report/merge.js'
import { plainText } from '../../src/report/terminal-text.js'
import { xmlAttribute, xmlText } from '../../src/report/xml-text.js'
import { writeResultsFile } from '../../src/results/results-file.js'
import {
  childrenNamed,
  documentedReplacement,
  onlySuite,
  parseXml,
  type XmlElement
} from '../helpers/junit-xml.js'
import { record, report } from '../helpers/records.js'
import { readFile, shardReport } from '../helpers/shards.js'

/** The suite's name and every test's class. */
const SUITE = 'parallel-exec'
/** Test names are item labels cut to this many characters. */
const LABEL_MAX = 200

/** Every C0 control, DEL and every C1 control. */
const CONTROLS = String.fromCharCode(
  ...Array.from({ length: 0x20 }, (_, code) => code),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, code) => 0x80 + code)
)
/** Bytes that are not UTF-8, decoded as a task's output is. */
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f]).toString()
/** Text a parser must not misread: every control, lone and reversed surrogates, U+FFFE/U+FFFF, markup. */
const HOSTILE =
  `${CONTROLS}|\ud800 high|\udc00 low|\udc00\ud800 reversed|\ufffe\uffff|` +
  `]]> <b>x</b> &amp; & "double" 'single' ${NOT_UTF8} 😀 \u2028 ]]]]>>`

/** The attributes a suite (and the root) carries, as numbers. */
function suiteCounts(element: XmlElement): Record<string, number> {
  const { tests, failures, errors, skipped, time } = element.attributes
  return {
    tests: Number(tests),
    failures: Number(failures),
    errors: Number(errors),
    skipped: Number(skipped),
    time: Number(time)
  }
}

/** The report's counts as a JUnit suite should carry them. */
function expectedCounts(runReport: RunReport, errors = 0): Record<string, number> {
  const { counts } = runReport
  return {
    tests: counts.total,
    failures: counts.failed + counts.timedOut,
    errors,
    skipped: counts.skipped + counts.cancelled,
    time: runReport.durationMs / 1000
  }
}

/** Each testcase as [name, classname, time, what it holds: its one child's name, or none]. */
function cases(suite: XmlElement): [string, string, string, string][] {
  return childrenNamed(suite, 'testcase').map(testcase => [
    testcase.attributes.name as string,
    testcase.attributes.classname as string,
    testcase.attributes.time as string,
    testcase.children.map(child => child.name).join(',')
  ])
}

/** The one child element of the testcase at `position`. */
function outcomeOf(suite: XmlElement, position: number): XmlElement {
  const testcase = childrenNamed(suite, 'testcase')[position] as XmlElement
  expect(testcase.children).toHaveLength(1)
  return testcase.children[0] as XmlElement
}

const mixed = report(
  [
    record(0, 'passes', TaskStatus.Success, { durationMs: 1234 }),
    record(1, 'fails', TaskStatus.Failure, {
      exitCode: 3,
      outputTail: 'line 1\nerror: it broke\n',
      attempts: 2
    }),
    record(2, { name: 'slow', n: 1 }, TaskStatus.TimedOut, {
      exitCode: 143,
      signal: 'SIGTERM',
      durationMs: 5000,
      outputTail: 'still going'
    }),
    record(3, 'cancelled', TaskStatus.Cancelled, { exitCode: 143, signal: 'SIGTERM' }),
    record(4, 'skipped', TaskStatus.Skipped, { skipReason: 'not started: fail-fast: 1 failed' }),
    record(5, 'cannot start', TaskStatus.Failure, {
      exitCode: null,
      durationMs: 7,
      error: 'spawn ./missing ENOENT'
    })
  ],
  { haltReason: 'fail-fast: 1 failed', haltKind: HaltKind.Failures, durationMs: 6543 }
)

describe('junitXml', () => {
  it('writes one suite whose counts are the report’s, one testcase per item in input order', () => {
    const xml = junitXml(mixed)
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true)
    const root = parseXml(xml)
    const suite = onlySuite(xml)
    expect(suiteCounts(root)).toEqual(expectedCounts(mixed))
    expect(suiteCounts(suite)).toEqual(expectedCounts(mixed))
    expect(suiteCounts(suite)).toEqual({
      tests: 6,
      failures: 3,
      errors: 0,
      skipped: 2,
      time: 6.543
    })
    expect(suite.attributes.name).toBe('parallel-exec')
    // An object item is named by its `name`, as in the log and the summary.
    expect(cases(suite)).toEqual([
      ['passes', SUITE, '1.234', ''],
      ['fails', SUITE, '1.000', 'failure'],
      ['slow', SUITE, '5.000', 'failure'],
      ['cancelled', SUITE, '1.000', 'skipped'],
      ['skipped', SUITE, '0.000', 'skipped'],
      ['cannot start', SUITE, '0.007', 'failure']
    ])
  })

  it('says how each task failed in the message, with its output tail as the text', () => {
    const suite = onlySuite(junitXml(mixed))
    const described = [1, 2, 5].map(position => {
      const failure = outcomeOf(suite, position)
      return [failure.attributes.type, failure.attributes.message, failure.text]
    })
    expect(described).toEqual([
      ['failure', 'failed with exit code 3 after 2 attempts', 'line 1\nerror: it broke\n'],
      ['timed-out', 'timed out with exit code 143 (SIGTERM)', 'still going'],
      ['failure', 'failed: spawn ./missing ENOENT', '']
    ])
  })

  it('counts a reused task as skipped, saying where it succeeded', () => {
    const reused = report([
      record(0, 'build', TaskStatus.Reused, {
        reusedFrom: { runId: 123, attempt: 1, at: 1_700_000_000_000 }
      }),
      record(1, 'test', TaskStatus.Success)
    ])
    const suite = onlySuite(junitXml(reused))
    expect(suiteCounts(suite)).toMatchObject({ tests: 2, failures: 0, errors: 0, skipped: 1 })
    expect(cases(suite)).toEqual([
      ['build', SUITE, '0.000', 'skipped'],
      ['test', SUITE, '1.000', '']
    ])
    expect(outcomeOf(suite, 0).attributes.message).toBe('reused: succeeded in run 123, attempt 1')
  })

  it('says why each task was skipped or cancelled', () => {
    const suite = onlySuite(junitXml(mixed))
    expect([3, 4].map(position => outcomeOf(suite, position).attributes.message)).toEqual([
      'cancelled: fail-fast: 1 failed',
      'not started: fail-fast: 1 failed'
    ])
    const bare = onlySuite(
      junitXml(report([record(0, 'a', TaskStatus.Cancelled), record(1, 'b', TaskStatus.Skipped)]))
    )
    expect([0, 1].map(position => outcomeOf(bare, position).attributes.message)).toEqual([
      'cancelled',
      'skipped'
    ])
  })

  it('names each test by the item’s label, as the summary and the log do', () => {
    const long = 'x'.repeat(500)
    const items = ['multi\nline\titem', long, [1, 'two'], '']
    const suite = onlySuite(
      junitXml(report(items.map((item, index) => record(index, item, TaskStatus.Success))))
    )
    expect(cases(suite).map(([name]) => name)).toEqual([
      'multi⏎line⇥item',
      itemLabel(long, LABEL_MAX),
      '[1,"two"]',
      ''
    ])
    expect(itemLabel(long, LABEL_MAX)).toHaveLength(LABEL_MAX)
  })

  it('writes an empty suite for a run with no items', () => {
    const root = parseXml(junitXml(report([])))
    expect(suiteCounts(root)).toEqual({ tests: 0, failures: 0, errors: 0, skipped: 0, time: 2 })
    expect(childrenNamed(onlySuite(junitXml(report([]))), 'testcase')).toEqual([])
  })

  it('parses, whatever the items, errors and output tails hold', () => {
    const hugeTail = `${HOSTILE}\r\n`.repeat(8000) + 'end'
    const hostile = report(
      [
        record(0, HOSTILE, TaskStatus.Failure, {
          outputTail: hugeTail,
          error: HOSTILE,
          signal: 'SIG"<&>'
        }),
        record(1, { [HOSTILE]: [HOSTILE] }, TaskStatus.TimedOut, { outputTail: HOSTILE }),
        record(2, HOSTILE, TaskStatus.Skipped, { skipReason: HOSTILE }),
        record(3, HOSTILE, TaskStatus.Cancelled),
        record(4, HOSTILE, TaskStatus.Success)
      ],
      { haltReason: HOSTILE, haltKind: HaltKind.Cancelled }
    )
    const xml = junitXml(hostile)
    expect(xml).not.toContain(']]>')
    expect(xml.length).toBeGreaterThan(plainText(hugeTail).length)
    const suite = onlySuite(xml)
    expect(suiteCounts(suite)).toEqual(expectedCounts(hostile))
    const names = childrenNamed(suite, 'testcase').map(testcase => testcase.attributes.name)
    expect(names).toEqual(
      hostile.records.map(record =>
        documentedReplacement(distinctLabels(hostile.records, LABEL_MAX)(record))
      )
    )
    const failure = outcomeOf(suite, 0)
    // The tail whole as a terminal shows it (no control characters), `]]>` and markup as text,
    // not XML's characters replaced.
    expect(failure.text).toBe(documentedReplacement(plainText(hugeTail)))
    expect(failure.text).toContain(']]> <b>x</b> &amp; & "double"')
    expect(failure.text).toContain(' ]]]]>>\n')
    expect(failure.attributes.message).toBe(
      documentedReplacement(plainText(`failed with exit code 1 (SIG"<&>): ${HOSTILE}`))
    )
    expect(outcomeOf(suite, 1).text).toBe(documentedReplacement(plainText(HOSTILE)))
    expect(outcomeOf(suite, 2).attributes.message).toBe(documentedReplacement(HOSTILE))
    expect(outcomeOf(suite, 3).attributes.message).toBe(
      `cancelled: ${documentedReplacement(HOSTILE)}`
    )
  })

  it('replaces only what XML cannot hold, with U+FFFD', () => {
    const item = 'a\u0001\ud800b\uffff\ufffe\udfffc\ud83d\ude00\u0085\u007f'
    const suite = onlySuite(junitXml(report([record(0, item, TaskStatus.Success)])))
    // itemLabel shows the C0 and C1 controls and DEL as �; XML then loses the lone surrogates and U+FFFE/F.
    expect(suite.children[0]?.attributes.name).toBe('a�\ufffdb\ufffd\ufffd\ufffdc😀��')
  })

  it('gives each item a merge has no result for an error, at its place', () => {
    const merged = mergeReports([
      readFile('results-0.json', shardReport(0)),
      readFile('results-2.json', shardReport(2))
    ])
    expect(merged.counts.total).toBe(6)
    const suite = onlySuite(junitXml(merged))
    expect(suiteCounts(suite)).toEqual(expectedCounts(merged, 2))
    expect(cases(suite)).toEqual([
      ['item-0', SUITE, '1.000', ''],
      ['item 2', SUITE, '0.000', 'error'],
      ['item-2', SUITE, '1.000', ''],
      ['item-3', SUITE, '1.000', ''],
      ['item 5', SUITE, '0.000', 'error'],
      ['item-5', SUITE, '1.000', '']
    ])
    expect(outcomeOf(suite, 1).attributes).toEqual({
      message: 'no result: the merged results files have no record of it',
      type: 'no-result'
    })
    const problems = childrenNamed(suite, 'system-err')
    expect(problems.map(element => element.text)).toEqual([merged.merged?.problems.join('\n')])
    expect(problems[0]?.text).toContain('no results file (1/3)')
  })

  it('gives every item an error when nothing could be merged', () => {
    const refused = report([], {
      counts: {
        total: 3,
        succeeded: 0,
        failed: 0,
        timedOut: 0,
        cancelled: 0,
        skipped: 0,
        reused: 0
      },
      merged: { files: 1, shards: null, missingShards: [], problems: [`refused: ${HOSTILE}`] }
    })
    const suite = onlySuite(junitXml(refused))
    expect(cases(suite).map(([name, , , holds]) => [name, holds])).toEqual([
      ['item 1', 'error'],
      ['item 2', 'error'],
      ['item 3', 'error']
    ])
    expect(suiteCounts(suite)).toMatchObject({ tests: 3, errors: 3, failures: 0, skipped: 0 })
    expect(childrenNamed(suite, 'system-err')[0]?.text).toBe(
      `refused: ${documentedReplacement(HOSTILE)}`
    )
  })
  it('lists at most 100,000 items without a result, and counts the rest in one testcase', () => {
    // A results file may claim up to 2^32 - 1 items: far more testcases than memory holds.
    const claimed = report([record(0, 'ran', TaskStatus.Success)], {
      counts: {
        total: 2 ** 32 - 1,
        succeeded: 1,
        failed: 0,
        timedOut: 0,
        cancelled: 0,
        skipped: 0,
        reused: 0
      }
    })
    const suite = onlySuite(junitXml(claimed))
    const names = childrenNamed(suite, 'testcase').map(testcase => testcase.attributes.name)
    expect(names).toHaveLength(1 + 100_000 + 1)
    expect(names.slice(0, 3)).toEqual(['ran', 'item 2', 'item 3'])
    expect(names.slice(-2)).toEqual([
      'item 100001',
      `${(2 ** 32 - 1 - 1 - 100_000).toLocaleString('en-US')} more items`
    ])
    expect(suiteCounts(suite)).toMatchObject({ tests: 100_002, errors: 100_001 })
  })
})

describe('writeJunitFile', () => {
  it('writes junit.xml next to the results file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'junit-'))
    const results = await writeResultsFile(directory, mixed)
    const path = await writeJunitFile(directory, mixed)
    expect(path).toBe(join(directory, 'junit.xml'))
    expect(readdirSync(directory).sort()).toEqual(['junit.xml', 'results.json'])
    expect(join(results, '..')).toBe(join(path, '..'))
    expect(readFileSync(path, 'utf8')).toBe(junitXml(mixed))
  })

  it('replaces a link a task put at its path, leaving the link’s target alone', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'junit-'))
    const target = join(mkdtempSync(join(tmpdir(), 'junit-target-')), 'precious')
    writeFileSync(target, 'keep me')
    symlinkSync(target, join(directory, 'junit.xml'))
    const path = await writeJunitFile(join(directory), mixed)
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    expect(readFileSync(path, 'utf8')).toBe(junitXml(mixed))
  })

  it('creates its directory when there is none yet', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'junit-')), 'run')
    expect(existsSync(await writeJunitFile(directory, report([])))).toBe(true)
  })
})

describe('xml text', () => {
  it('replaces each character XML 1.0 does not allow, and nothing else', () => {
    const parsedText = (value: string): string => parseXml(`<t>${xmlText(value)}</t>`).text
    const allowedControls = '\t\n\r'
    const refused = [...CONTROLS.slice(0, 0x20)].filter(ch => !allowedControls.includes(ch))
    for (const ch of [...refused, '\ud800', '\udbff', '\udc00', '\udfff', '\ufffe', '\uffff']) {
      expect([ch, parsedText(`a${ch}b`)]).toEqual([ch, 'a\ufffdb'])
    }
    const kept = `${allowedControls}\u007f\u0080\u009f\ud7ff\ue000\ufffd\ud800\udc00\udbff\udfff😀`
    expect(parsedText(kept)).toBe(kept)
    expect(parsedText('\udc00\ud800')).toBe('\ufffd\ufffd')
  })

  it('escapes markup in text, CR so a parser keeps it, and never leaves `]]>`', () => {
    expect(xmlText('a]]>b <&> "\'\r\n\t')).toBe('a]]&gt;b &lt;&amp;&gt; "\'&#13;\n\t')
    const parsed = parseXml(`<t>${xmlText(HOSTILE)}</t>`)
    expect(parsed.text).toBe(documentedReplacement(HOSTILE))
  })

  it('escapes attribute values so that whitespace survives attribute normalisation', () => {
    expect(xmlAttribute('"a" <&> \t\n\r')).toBe('&quot;a&quot; &lt;&amp;&gt; &#9;&#10;&#13;')
    const parsed = parseXml(`<t v="${xmlAttribute(HOSTILE)}"/>`)
    expect(parsed.attributes.v).toBe(documentedReplacement(HOSTILE))
  })
})
