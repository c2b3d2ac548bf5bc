import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { emptyHistory } from '../../src/model/history.js'
import { Shell } from '../../src/model/shell.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { loadHistory, scheduleByHistory } from '../../src/plan/history-load.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { historyFileText } from '../../src/results/history-file.js'
import { CommandTemplate } from '../../src/template/template.js'
import { record, historyAfterAll } from '../helpers/records.js'

const dir = mkdtempSync(join(tmpdir(), 'history-load-'))
let printed: string[] = []
beforeEach(() => {
  printed = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
})

describe('loadHistory', () => {
  it('reads nothing and says nothing when no history is given', async () => {
    expect(await loadHistory(undefined)).toEqual(emptyHistory())
    expect(printed).toEqual([])
  })

  it('goes on as a first run with a notice when the file cannot be used', async () => {
    const path = join(dir, 'missing.json')
    expect(await loadHistory(path)).toEqual(emptyHistory())
    expect(printed).toEqual([
      `::notice::History not used: no file at '${path}' (a first run or a cache miss). ` +
        'This run starts from no history.\n'
    ])
  })

  it('uses what it can of a file with bad entries, with a notice that counts them', async () => {
    const good = historyAfterAll(emptyHistory(), { at: 0 }, [record(0, 'a', TaskStatus.Success)])
    const json = JSON.parse(historyFileText(good)) as { items: Record<string, unknown> }
    json.items.b = { seen: 'never' }
    const path = join(dir, 'partly.json')
    writeFileSync(path, JSON.stringify(json))
    const history = await loadHistory(path)
    expect([...history.items.keys()]).toEqual(['a'])
    expect(printed).toEqual([
      `::notice::History used in part: 1 of 3 entries of '${path}' are unusable and left out ` +
        `(first: 'items["b"].seen' is "never". Expected a whole number ≥ 1).\n`
    ])
  })
})

describe('scheduleByHistory', () => {
  it('starts the longest known task first, by durations from other runs', () => {
    const plan = prepareItems(['a', 'b', 'c'], CommandTemplate.parse('echo {}', Shell.Bash))
    const history = [
      { id: 1, ms: { a: 100, b: 900 } },
      { id: 2, ms: { a: 5000 } }
    ].reduce(
      (sum, { id, ms }) =>
        historyAfterAll(
          sum,
          { identity: { id, attempt: 1 }, at: id },
          Object.entries(ms).map(([item, durationMs]) =>
            record(0, item, TaskStatus.Success, { durationMs })
          )
        ),
      emptyHistory()
    )
    scheduleByHistory(plan, history, 2)
    // b (900 ms) first, then c (unknown: the average, 500 ms), then a (100 ms in run 1).
    expect(plan.priorities).toEqual([1, 3, 2])
    expect(printed).toEqual(['Durations known for 2 of 3: the longest start first.\n'])
  })
})
