import { describe, expect, it, jest } from '@jest/globals'
import { type RunReport } from '../../src/model/run-report.js'
import { type ResultsFile } from '../../src/report/merge-checks.js'
import { Shell } from '../../src/model/shell.js'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { junitXml } from '../../src/report/junit.js'
import { mergeReports } from '../../src/report/merge.js'
import { buildSummary } from '../../src/report/summary.js'
import { parseResultsFile, resultsFileText } from '../../src/results/results-file.js'
import { dryRun } from '../../src/run/dry-run.js'
import { CommandTemplate } from '../../src/template/template.js'
import { record, report } from '../helpers/records.js'
import { shardReport } from '../helpers/shards.js'

/** A task a run would reuse: it succeeded in attempt 1 of run 123. */
const reused = (index: number, item: string): TaskRecord =>
  record(index, item, TaskStatus.Reused, { reusedFrom: { runId: 123, attempt: 1, at: 0 } })

describe('a dry run', () => {
  it('is marked as one where its report is built', () => {
    const plan = prepareItems(['a', 'b'], CommandTemplate.parse('echo {}', Shell.Bash))
    const built = dryRun({ ...plan, needs: undefined, priorities: [0, 0] }, 4, 'bash')
    expect(built.dryRun).toBe(true)
  })

  it('where every task would be reused says it is a dry run, not a run that succeeded', () => {
    const records = [reused(0, 'a'), reused(1, 'b'), reused(2, 'c')]
    const text = buildSummary(report(records, { dryRun: true, durationMs: 0 }), 'ci')
    expect(text).toMatch(/^<h2>⏭️ ci: dry run of 3 tasks<\/h2>/)
    expect(text).toContain('3 of them would be reused')
    expect(text).not.toContain('succeeded (')
    expect(text).not.toContain('Wall time')
  })

  it('is told by its flag, not guessed from skipped records', () => {
    const skipped = [record(0, 'a', TaskStatus.Skipped, { skipReason: 'dry run' })]
    expect(buildSummary(report(skipped), 'ci')).not.toContain('dry run of')
    expect(buildSummary(report(skipped, { dryRun: true }), 'ci')).toContain('dry run of 1 task')
  })

  it('keeps its flag in the results file; a file without it is no dry run', () => {
    const dry = report([reused(0, 'a')], { dryRun: true })
    expect(parseResultsFile(resultsFileText(dry), 'r.json').dryRun).toBe(true)
    const real = parseResultsFile(resultsFileText(report([reused(0, 'a')])), 'r.json')
    expect(real).not.toHaveProperty('dryRun')
    expect(() =>
      parseResultsFile(resultsFileText(dry).replace('"dryRun": true', '"dryRun": 1'), 'r.json')
    ).toThrow(/dryRun/)
  })

  it('gives JUnit a would-be-reused task as skipped, saying a run would reuse it', () => {
    const xml = junitXml(report([reused(0, 'a')], { dryRun: true }))
    expect(xml).toContain(
      '<skipped message="dry run, would be reused: succeeded in run 123, attempt 1"/>'
    )
    expect(junitXml(report([reused(0, 'a')]))).toContain('<skipped message="reused: succeeded')
  })

  it('merges into a dry run only when every shard was one', () => {
    const real = [0, 1, 2].map(index => shardReport(index))
    const file = (one: RunReport, index: number): ResultsFile => ({
      path: `s${index}.json`,
      report: one
    })
    const dry = real.map(one => ({ ...one, dryRun: true as const }))
    expect(mergeReports(dry.map(file)).dryRun).toBe(true)
    const mixed = real.map((one, index) => (index === 1 ? one : (dry[index] ?? one)))
    expect(mergeReports(mixed.map(file))).not.toHaveProperty('dryRun')
  })

  it('says what a task would hold, lock names on one line as item text is', () => {
    const plan = prepareItems(['a', 'b', 'c'], CommandTemplate.parse('echo {}', Shell.Bash))
    Object.assign(plan.prepared[0] ?? {}, { slots: 3, locks: ['db', 'x\n::error::y'] })
    Object.assign(plan.prepared[1] ?? {}, { locks: ['db'] })
    const printed: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
    try {
      dryRun(plan, 4, 'bash')
    } finally {
      write.mockRestore()
    }
    const lines = printed.join('').split('\n')
    expect(lines).toContain('#1 a  (3 slots; locks: db, x⏎::error::y)')
    expect(lines).toContain('#2 b  (locks: db)')
    expect(lines).toContain('#3 c')
    expect(lines.some(line => line.startsWith('::error::'))).toBe(false)
  })
})
