import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type Item } from '../../src/model/item.js'
import { Shell } from '../../src/model/shell.js'
import {
  highestSlot,
  itemResources,
  parseLocks,
  parseSlots
} from '../../src/inputs/resource-fields.js'
import { parseTasks } from '../../src/inputs/tasks.js'
import { prepareRun } from '../../src/plan/prepare.js'
import { type ExecutionSettings } from '../../src/inputs/settings.js'

const WHERE = "Invalid tasks: task 'e2e'"
const SLOTS_MESSAGE =
  /^Invalid tasks: task 'e2e' has slots (.+?)(, more than max-workers \((\d+)\))?\. Expected (a whole number from 1 to ([2-9]|\d\d+)|1, as max-workers is 1)\.$/
const LOCKS_MESSAGE =
  /^Invalid tasks: task 'e2e' has locks (.+)\. Expected a name or a list of names, such as db or \[db, port-5432\]\.$/
// A refusal is one line a workflow command cannot start: no control character, separator or bidi control.
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
// What an object item's refusal adds: its fields are its own data, and may mean something else.
const ITEM_NOTES = {
  slots:
    "An object item's 'slots' field is how many worker slots it holds: " +
    'rename the field if it means something else.',
  locks:
    "An object item's 'locks' field names the locks it holds while it runs: " +
    'rename the field if it means something else.'
}

/** Values as JSON and YAML give them, with the ones most likely to be mistaken for slots or names. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: -3, max: 12 }),
  fc.constantFrom(0.5, 2.0, -0, Infinity, -Infinity, NaN, 2 ** 53, '3', '', ' ', 'db', 'DB', '\n'),
  fc.array(fc.oneof(fc.constantFrom('db', 'cache', '', 5432, null, 1.5), fc.string()), {
    maxLength: 5
  })
)

/** What parseSlots should make of a value: its count, or undefined for a refusal. */
const slotsModel = (slots: unknown, max: number): number | undefined =>
  typeof slots === 'number' && Number.isSafeInteger(slots) && slots >= 1 && slots <= max
    ? slots
    : undefined

/** What parseLocks should make of a value: its names, or undefined for a refusal. */
function locksModel(locks: unknown): string[] | undefined {
  const list: unknown[] = Array.isArray(locks) ? locks : [locks]
  const names: string[] = []
  for (const name of list) {
    if (typeof name === 'number' && Number.isFinite(name)) names.push(String(name))
    else if (typeof name === 'string' && name !== '') names.push(name)
    else return undefined
  }
  return names.filter((name, index) => names.indexOf(name) === index)
}

/** Whether JSON (and so YAML written as JSON) holds the value as it is: no NaN, ±Infinity or -0. */
function jsonCanHold(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0)
  if (value === null || typeof value !== 'object') return true
  return Object.values(value).every(jsonCanHold)
}

describe('slots and locks of any value', () => {
  it('accept exactly what the rules allow and refuse the rest on one line naming it (2,000 values)', () => {
    const seen = { slotsTaken: 0, slotsRefused: 0, locksTaken: 0, locksRefused: 0 }
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 8 }), (given, max) => {
        const slots = slotsModel(given, max)
        if (slots === undefined) {
          seen.slotsRefused++
          let message = ''
          expect(() => {
            try {
              parseSlots(WHERE, given, max)
            } catch (error) {
              message = (error as Error).message
              throw error
            }
          }).toThrow()
          expect(message).toMatch(SLOTS_MESSAGE)
          // One number alone is said as itself, never as the range "from 1 to 1".
          expect(message.endsWith(max === 1 ? 'as max-workers is 1.' : `to ${max}.`)).toBe(true)
          expect(message).not.toMatch(UNSHOWABLE)
        } else {
          seen.slotsTaken++
          expect(parseSlots(WHERE, given, max)).toBe(slots)
        }
        const locks = locksModel(given)
        if (locks === undefined) {
          seen.locksRefused++
          expect(() => parseLocks(WHERE, given)).toThrow(LOCKS_MESSAGE)
          try {
            parseLocks(WHERE, given)
          } catch (error) {
            expect((error as Error).message).not.toMatch(UNSHOWABLE)
          }
        } else {
          seen.locksTaken++
          expect(parseLocks(WHERE, given)).toEqual(locks)
        }
      }),
      { numRuns: 2000, seed: 20261207 }
    )
    // Each way was tried, often.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThanOrEqual(100)
  })

  it('gives an object item the same as a task given the same fields, a refusal saying what the item field is read as (500 items)', async () => {
    let refused = 0
    let held = 0
    let compared = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record({ slots: value, locks: value }, { requiredKeys: [] }),
        async fields => {
          const max = 4
          const item = { name: 'e2e', ...fields } as Item
          const where = (): string => WHERE
          let fromItem: unknown
          let fromTask: unknown
          try {
            fromItem = itemResources(item, where, max)
          } catch (error) {
            fromItem = (error as Error).message
          }
          const yaml = ['e2e:', '  run: x']
          for (const [key, given] of Object.entries(fields))
            yaml.push(`  ${key}: ${JSON.stringify(given)}`)
          try {
            const [task] = await parseTasks(yaml.join('\n'), 'tasks', max)
            fromTask = {
              ...(task?.slots === undefined || task.slots === 1 ? {} : { slots: task.slots }),
              ...(task?.locks === undefined ? {} : { locks: task.locks })
            }
          } catch (error) {
            fromTask = (error as Error).message
          }
          // JSON written as YAML reads back the same but for what JSON cannot hold (NaN, ±Infinity, -0).
          if (jsonCanHold(fields)) {
            if (typeof fromTask === 'string') {
              const field = / has (slots|locks) /.exec(fromTask)?.[1] as 'slots' | 'locks'
              expect(fromItem).toBe(`${fromTask} ${ITEM_NOTES[field]}`)
            } else expect(fromItem).toEqual(fromTask)
            compared++
          }
          if (typeof fromItem === 'string') refused++
          else if (Object.keys(fromItem as object).length > 0) held++
        }
      ),
      { numRuns: 500, seed: 20261207 }
    )
    expect(refused).toBeGreaterThanOrEqual(50)
    expect(held).toBeGreaterThanOrEqual(50)
    expect(compared).toBeGreaterThanOrEqual(400)
  })
})

describe('highestSlot', () => {
  it('is every slot at once, at most max-workers, at least 1', () => {
    expect(highestSlot(0, [], 4)).toBe(1)
    expect(highestSlot(9, [], 4)).toBe(4)
    expect(highestSlot(2, [{}, { slots: 3 }], 8)).toBe(4)
    expect(highestSlot(3, [{ slots: 3 }, { slots: 3 }, {}], 6)).toBe(6)
    expect(highestSlot(4, [{ slots: 2 }, { slots: 2 }, { slots: 2 }, { slots: 2 }], 3)).toBe(3)
  })
})

describe('object items through prepare', () => {
  it('refuse exactly the items a task would refuse, naming the first such item (300 runs)', () => {
    let refusedRuns = 0
    const execution = {
      shell: Shell.Bash,
      maxWorkers: 3,
      batchSize: 1,
      workingDirectory: '.'
    } as unknown as ExecutionSettings
    fc.assert(
      fc.property(
        fc.array(fc.record({ slots: value, locks: value }, { requiredKeys: [] }), {
          minLength: 1,
          maxLength: 6
        }),
        list => {
          const items = list.map((fields, index) => ({ name: `i${index}`, ...fields })) as Item[]
          const bad = items.findIndex(item => {
            try {
              itemResources(item, () => '', 3)
              return false
            } catch {
              return true
            }
          })
          const source = { kind: 'items' as const, items, source: 'items', command: 'echo {name}' }
          if (bad === -1) {
            const plan = prepareRun(source, execution)
            expect(plan.prepared.map(unit => [unit.slots, unit.locks])).toEqual(
              items.map(item => {
                const held = itemResources(item, () => '', 3)
                return [held.slots, held.locks]
              })
            )
          } else {
            refusedRuns++
            expect(() => prepareRun(source, execution)).toThrow(
              new RegExp(
                `^Invalid items: item ${bad + 1} \\(i${bad}\\) has (slots|locks) .* An object item's '\\1' field .*: rename the field if it means something else\\.$`
              )
            )
          }
        }
      ),
      { numRuns: 300, seed: 20261207 }
    )
    expect(refusedRuns).toBeGreaterThanOrEqual(30)
    expect(refusedRuns).toBeLessThan(300)
  })
})
