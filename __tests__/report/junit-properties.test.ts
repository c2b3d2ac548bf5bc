import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type Item } from '../../src/model/item.js'
import { distinctLabels } from '../../src/model/labels.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { junitXml } from '../../src/report/junit.js'
import { plainText } from '../../src/report/terminal-text.js'
import {
  childrenNamed,
  documentedReplacement,
  onlySuite,
  type XmlElement
} from '../helpers/junit-xml.js'
import { record, report } from '../helpers/records.js'

/** Any UTF-16 code unit (lone surrogates, U+FFFE, controls), a whole code point, or markup. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map(code => String.fromCharCode(code)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom(']]>', '<', '>', '&', '"', "'", '&amp;', '<![CDATA[', '\r\n', '\ud83d\ude00')
)
const text = fc.string({ unit, maxLength: 60 })
const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.dictionary(text, text, { maxKeys: 2, noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }) },
  // Objects named by a `name` or placed by a `path` (a review thread's shape): shown as that text.
  {
    weight: 1,
    arbitrary: fc.record(
      { name: fc.oneof(text, fc.integer()), path: text, line: fc.option(fc.integer()) },
      { requiredKeys: [], noNullPrototype: true }
    )
  }
)
const status = fc.constantFrom(...Object.values(TaskStatus))

describe('junitXml over any items and output', () => {
  it('always parses, counts as the report does, and gives back each label and tail', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(item, status, text, fc.option(text)), { maxLength: 8 }),
        fc.option(text),
        (tasks, haltReason) => {
          const records = tasks.map(([value, how, tail, error], index) =>
            record(index, value, how, {
              outputTail: tail,
              error,
              ...(how === TaskStatus.Skipped ? { skipReason: tail } : {})
            })
          )
          const runReport = report(records, { haltReason })
          const suite = onlySuite(junitXml(runReport))
          const { counts } = runReport
          expect(suite.attributes).toMatchObject({
            tests: String(counts.total),
            failures: String(counts.failed + counts.timedOut),
            errors: '0',
            skipped: String(counts.skipped + counts.cancelled + counts.reused)
          })
          const testcases = childrenNamed(suite, 'testcase')
          expect(testcases.map(testcase => testcase.attributes.name)).toEqual(
            records.map(record => documentedReplacement(distinctLabels(records, 200)(record)))
          )
          records.forEach((taskRecord, position) => {
            const outcome = (testcases[position] as XmlElement).children
            if (taskRecord.status === TaskStatus.Success) expect(outcome).toEqual([])
            else if (
              taskRecord.status === TaskStatus.Failure ||
              taskRecord.status === TaskStatus.TimedOut
            ) {
              expect(outcome.map(child => [child.name, child.text])).toEqual([
                // The tail as a terminal shows it: terminal codes and control characters left out.
                ['failure', documentedReplacement(plainText(taskRecord.outputTail))]
              ])
            } else {
              expect(outcome.map(child => child.name)).toEqual(['skipped'])
            }
          })
        }
      ),
      { numRuns: 300 }
    )
  })
})
