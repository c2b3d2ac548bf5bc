import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type TaskRecord } from '../../src/model/task-record.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { junitXml } from '../../src/report/junit.js'
import { escapeHtml } from '../../src/report/markdown-escape.js'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { tasksNeedingAttention } from '../../src/report/summary-failures.js'
import { batchRecords, report } from '../helpers/records.js'

/** Item texts with markup, quotes, line breaks and the words the summary itself uses. */
const text = fc.string({
  unit: fc.constantFrom(
    'a',
    'b',
    '<',
    '&',
    '"',
    "'",
    '\n',
    ' ',
    ',',
    '(',
    ')',
    'Batch',
    'more',
    '✓'
  ),
  minLength: 1,
  maxLength: 12
})
/** How a batch ended: the statuses a batch's command can end with. */
const ended = fc.constantFrom(
  TaskStatus.Success,
  TaskStatus.Failure,
  TaskStatus.TimedOut,
  TaskStatus.Cancelled
)

/** A run's batches: each a size and how it ended. */
const batches = fc.array(fc.record({ size: fc.integer({ min: 1, max: 8 }), status: ended }), {
  minLength: 1,
  maxLength: 30
})

/** A marker only batch `n`'s output holds. */
const marker = (batch: number): string => `OUTPUT-OF-BATCH-${batch}-END`

describe('the summary and JUnit file of any batched run', () => {
  it("show each batch's output at most once, count or name every item that did not succeed, and list every item", () => {
    let tried = 0
    let several = 0
    let cut = 0
    fc.assert(
      fc.property(
        batches,
        fc.array(text, { minLength: 240, maxLength: 240 }),
        fc.integer({ min: 1, max: 20 }),
        (drawn, texts, maxFailures) => {
          tried++
          let next = 0
          const records: TaskRecord[] = drawn.flatMap(({ size, status }, position) => {
            const members = Array.from({ length: size }, (): [number, string] => {
              const index = next++
              return [index, `${texts[index]}#${index}`]
            })
            return batchRecords(position + 1, members, status, {
              slot: (position % 2) + 1,
              exitCode: status === TaskStatus.Success ? 0 : 1,
              outputTail: `${texts[position] ?? ''}\n${marker(position + 1)}\n`,
              ...(status === TaskStatus.Cancelled ? { exitCode: null, signal: 'SIGTERM' } : {})
            })
          })
          const halted = drawn.some(({ status }) => status === TaskStatus.Cancelled)
          const run = report(records, {
            batchSize: 8,
            ...(halted ? { haltReason: 'fail-fast', haltKind: null } : {})
          })
          if (drawn.some(({ size, status }) => size > 1 && status !== TaskStatus.Success)) several++
          const summary = buildSummary(run, 'Lint', { ...DEFAULT_SUMMARY_LIMITS, maxFailures })
          const xml = junitXml(run)
          drawn.forEach((_, position) => {
            // Nothing a batch printed is shown twice, in the summary or the JUnit file.
            expect(summary.split(marker(position + 1)).length).toBeLessThanOrEqual(2)
            expect(xml.split(marker(position + 1)).length).toBeLessThanOrEqual(2)
          })
          // Each item that did not succeed is in a shown batch's block, or counted in the note.
          const needing = tasksNeedingAttention(run).length
          const blocks = [
            ...summary.matchAll(
              /^<details(?: open)?><summary>(?:❌|⏱️|⛔) <code>Batch (\d+) .*· (\d+) items?<\/summary>/gmu
            )
          ]
          const shown = blocks.reduce((sum, [, , items]) => sum + Number(items), 0)
          const more = Number(/_(\d+)(?: more)? tasks? did not succeed/.exec(summary)?.[1] ?? 0)
          if (more > 0) cut++
          expect(shown + more).toBe(needing)
          // A shown block holds its batch's output.
          for (const [, batch] of blocks) expect(summary).toContain(marker(Number(batch)))
          // Every item has its row, with its batch.
          for (const record of records) {
            expect(summary).toContain(`<tr><td>${record.index + 1}</td>`)
            expect(summary).toContain(`#${record.index}</code></td><td>${record.batch}</td>`)
          }
          // And its test case.
          expect(xml.split('<testcase ').length - 1).toBe(records.length)
          expect(summary).toContain(escapeHtml(`in ${drawn.length} batch`))
        }
      ),
      { numRuns: 200, seed: 20261207 }
    )
    console.log(
      `batched summaries: ${tried} runs, ${several} with a batch of several items that did not succeed, ${cut} with failures left out`
    )
    expect(tried).toBe(200)
    expect(several).toBeGreaterThan(100)
    expect(cut).toBeGreaterThan(20)
  })
})
