import { describe, expect, it } from '@jest/globals'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { Shell } from '../../src/model/shell.js'
import { itemText, type Item } from '../../src/model/item.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { type RunPlan } from '../../src/plan/run-plan.js'
import { parseTasks } from '../../src/inputs/tasks.js'
import { CommandTemplate } from '../../src/template/template.js'

describe('no task silently vanishes', () => {
  // YAML spellings of keys, many of which give the same name once converted to text.
  const SPELLINGS = [
    'a',
    '"a"',
    "'a'",
    '1',
    '"1"',
    "'1'",
    '1.0',
    '01',
    '0x1',
    '0o1',
    '1e0',
    '+1',
    '"+1"',
    '1.5',
    '"1.5"',
    '.inf',
    '"Infinity"',
    'true',
    '"true"',
    'True',
    'TRUE',
    'false',
    '"false"',
    'yes',
    'null',
    '"null"',
    '~',
    '""',
    '" a"',
    '"a "',
    '? a',
    '&x b',
    '*x',
    '[a]',
    '{a: 1}',
    '-1',
    '"-1"'
  ]

  it(`makes every pair of ${SPELLINGS.length} key spellings two tasks or an error (${SPELLINGS.length ** 2} pairs)`, async () => {
    let tasks = 0
    let refused = 0
    for (const first of SPELLINGS) {
      for (const second of SPELLINGS) {
        // An alias needs its anchor first; put one on the first key.
        const anchored = first === '*x' ? '&x a' : first
        const text = `${anchored.startsWith('?') ? anchored + '\n' : anchored}: echo 1\n${second}: echo 2\n`
        try {
          const parsed = await parseTasks(text, 'tasks', 4)
          expect(parsed).toHaveLength(2)
          expect(new Set(parsed.map(task => task.name)).size).toBe(2)
          tasks++
        } catch (error) {
          expect((error as Error).message).toMatch(/^Invalid tasks: /)
          refused++
        }
      }
    }
    expect(tasks + refused).toBe(SPELLINGS.length ** 2)
    expect(tasks).toBeGreaterThan(100)
    expect(refused).toBeGreaterThan(100)
  })
})

describe('no value reaches a command changed', () => {
  // Random JSON items whose strings (keys and values, at any depth) hold code units chosen to
  // include NUL and both halves of surrogate pairs, alone and paired.
  const UNITS = ['a', ' ', "'", '"', '$', '\\', '\n', '\0', '\ud83d', '\ude00', '\ud83d\ude00', 'é']
  let seed = 7
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return Math.floor((seed / 2 ** 31) * n)
  }
  const text = (): string =>
    Array.from({ length: next(4) }, () => UNITS[next(UNITS.length)] as string).join('')
  const value = (depth: number): Item => {
    const kind = depth > 2 ? 0 : next(3)
    if (kind === 0) return text()
    if (kind === 1) return Array.from({ length: next(3) + 1 }, () => value(depth + 1))
    return Object.fromEntries([
      ['a', value(depth + 1)],
      [text(), value(depth + 1)]
    ])
  }
  // Each names something in every item: an object item is given a field `a` for the second.
  const TEMPLATES = ['echo {} {//} {/.}', 'printf %s {a} {#}', '']

  it('refuses each item with NUL or a lone surrogate in what it passes, and passes the rest exactly (4 shells, 3 templates, 300 items)', () => {
    let accepted = 0
    let refused = 0
    for (const shell of [Shell.Bash, Shell.Sh, Shell.Pwsh, Shell.None]) {
      for (const source of TEMPLATES) {
        const template = CommandTemplate.parse(source, shell)
        for (let index = 0; index < 300; index++) {
          const item = source.includes('{a}') ? { a: value(1), [text()]: value(1) } : value(0)
          let plan: RunPlan
          try {
            plan = prepareItems([item], template)
          } catch (error) {
            const message = (error as Error).message
            if (/NUL|lone surrogate/.test(message)) refused++
            // What else no command could take: an item that is not a command without a shell.
            else
              expect(message).toMatch(
                /^Item 1 .* cannot be run as a command|empty program name|--%/
              )
            continue
          }
          const { command } = plan.prepared[0] as PreparedItem
          // What a process receives: UTF-8, up to a NUL.
          for (const part of [command.file, ...command.args, command.display, itemText(item)]) {
            expect(Buffer.from(part).toString().split('\0')[0]).toBe(part)
          }
          accepted++
        }
      }
    }
    // 3,168 accepted and 378 refused with this seed.
    expect(accepted).toBeGreaterThan(2000)
    expect(refused).toBeGreaterThan(300)
  })
})
