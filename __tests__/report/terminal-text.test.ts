import { describe, expect, it } from '@jest/globals'
import { TaskStatus } from '../../src/model/task-status.js'
import { junitXml } from '../../src/report/junit.js'
import { buildSummary } from '../../src/report/summary.js'
import { plainText } from '../../src/report/terminal-text.js'
import { resultsFileText } from '../../src/results/results-file.js'
import { record, report } from '../helpers/records.js'

// What jest prints on a runner, where supports-color turns colour on (GITHUB_ACTIONS is set).
const JEST_EXCERPT =
  '\u001b[1m\u001b[31m FAIL \u001b[39m\u001b[22m \u001b[2m__tests__/\u001b[22m\u001b[1ma.test.ts\u001b[22m\n' +
  '  \u001b[1m● \u001b[22madds\n' +
  '    expect(\u001b[2mreceived\u001b[22m).toBe(\u001b[32mexpected\u001b[39m)\n' +
  'progress 10%\rprogress 100%\n'
const JEST_PLAIN =
  ' FAIL  __tests__/a.test.ts\n' +
  '  ● adds\n' +
  '    expect(received).toBe(expected)\n' +
  'progress 100%\n'

const coloured = report([
  record(0, 'unit', TaskStatus.Failure, {
    outputTail: JEST_EXCERPT,
    error: '\u001b[31mCommand failed\u001b[39m'
  })
])

describe('plainText', () => {
  it('shows coloured output as a terminal shows it', () => {
    expect(plainText(JEST_EXCERPT)).toBe(JEST_PLAIN)
  })
})

describe('coloured task output', () => {
  it('reaches the summary without its terminal codes', () => {
    const summary = buildSummary(coloured)
    expect(summary).toContain('<pre>Command failed\n FAIL  __tests__/a.test.ts\n')
    expect(summary).toContain('progress 100%')
    // eslint-disable-next-line no-control-regex
    expect(summary).not.toMatch(/\u001b|\[3[12]m|\[39m|progress 10%/)
  })

  it('reaches the JUnit file without its terminal codes', () => {
    const xml = junitXml(coloured)
    expect(xml).toContain(' FAIL  __tests__/a.test.ts\n  ● adds\n')
    expect(xml).toContain('message="failed with exit code 1: Command failed"')
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/\u001b|\ufffd|\[3[12]m|\[39m/)
  })
})

describe('the results file', () => {
  it('keeps the excerpt as the task printed it, colour codes included', () => {
    expect(resultsFileText(coloured)).toContain(JSON.stringify(JEST_EXCERPT))
  })
})
