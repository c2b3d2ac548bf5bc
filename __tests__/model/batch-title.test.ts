import { describe, expect, it } from '@jest/globals'
import { commandRunName, type CommandRun } from '../../src/model/batch-runs.js'
import { batchName, batchShortName } from '../../src/model/batch-title.js'
import { type Item } from '../../src/model/item.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { batchRecords } from '../helpers/records.js'

/** The records of batch `number` over these items, as a run writes them. */
const run = (number: number, items: readonly Item[]): CommandRun =>
  batchRecords(
    number,
    items.map((item, index) => [index, item] as const),
    TaskStatus.Failure
  ) as unknown as CommandRun

const MATRIX: Item[] = [
  { os: 'linux', node: 20 },
  { os: 'linux', node: 22 },
  { os: 'macos', node: 20 },
  { os: 'macos', node: 22 }
]

describe('batch titles', () => {
  it("separates object items with '; ', so that one item's fields do not read as items", () => {
    expect(batchName(1, MATRIX.slice(0, 2))).toBe('Batch 1 (os=linux, node=20; os=linux, node=22)')
    // The log's group titles and the reports' names of the batch.
    expect(batchName(1, MATRIX.slice(0, 2))).toBe('Batch 1 (os=linux, node=20; os=linux, node=22)')
    expect(commandRunName(run(1, MATRIX.slice(0, 2)))).toBe(
      'Batch 1 (os=linux, node=20; os=linux, node=22)'
    )
    expect(batchName(2, MATRIX)).toBe(
      'Batch 2 (os=linux, node=20; os=linux, node=22; os=macos, node=20 and 1 more)'
    )
    // A label holding ', ' beyond the ones named still decides, so every title of a batch agrees.
    expect(batchName(3, ['a.ts', 'b.ts', 'c.ts', 'x, y.ts'])).toBe(
      'Batch 3 (a.ts; b.ts; c.ts and 1 more)'
    )
    expect(batchName(4, ['a.ts', 'b.ts'])).toBe('Batch 4 (a.ts, b.ts)')
  })

  it('are the same in the log and in the reports (summary, annotations, timeline)', () => {
    const cases: [number, Item[]][] = [
      [1, MATRIX.slice(0, 2)],
      [2, MATRIX],
      [3, Array.from({ length: 50 }, (_, i) => `src/${'d'.repeat(i % 45)}/f${i}.ts`)],
      [4, [{ name: 'web, api' }, 'b']],
      [5, ['x'.repeat(300)]]
    ]
    for (const [number, items] of cases) {
      for (const max of [30, 60, 120, 200]) {
        expect(commandRunName(run(number, items), max)).toBe(batchName(number, items, max))
      }
    }
  })

  it('prefixes stream-mode lines with the short title, the batch number alone', () => {
    expect(batchShortName(3)).toBe('Batch 3')
  })
})
