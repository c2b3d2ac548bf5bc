import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type PreparedItem } from '../../src/exec/command-task.js'
import { Shell } from '../../src/model/shell.js'
import { commandDigest } from '../../src/plan/command-digest.js'
import { prepareItems } from '../../src/plan/prepare.js'
import { CommandTemplate } from '../../src/template/template.js'

const prepared = (
  file: string,
  args: string[],
  overrides?: PreparedItem['overrides']
): PreparedItem => ({
  index: 0,
  item: 'x',
  command: { file, args, display: [file, ...args].join(' ') },
  overrides
})

const digest = (item: PreparedItem, shell = Shell.Bash, step = '/w'): string =>
  commandDigest(item, shell, step)

describe('commandDigest', () => {
  it('is the same for the same command, and a 64-digit hex', () => {
    const one = digest(prepared('bash', ['-c', 'make a']))
    expect(one).toMatch(/^[0-9a-f]{64}$/)
    expect(digest(prepared('bash', ['-c', 'make a']))).toBe(one)
  })

  it('changes with the shell, the program, an argument, a task’s env or working directory', () => {
    const base = prepared('bash', ['-c', 'make a'], { env: { A: '1', B: '2' }, cwd: '/w/pkg' })
    const variants = [
      digest(base),
      digest(base, Shell.Sh),
      digest({ ...base, command: { ...base.command, file: 'sh' } }),
      digest({ ...base, command: { ...base.command, args: ['-c', 'make b'] } }),
      digest({ ...base, command: { ...base.command, args: ['-c', 'make a', ''] } }),
      digest({ ...base, overrides: { ...base.overrides, env: { A: '1', B: '3' } } }),
      digest({ ...base, overrides: { ...base.overrides, env: { A: '0', B: '2' } } }),
      digest({ ...base, overrides: { ...base.overrides, env: { A: '1', C: '2' } } }),
      digest({ ...base, overrides: { ...base.overrides, env: { A: '1' } } }),
      digest({ ...base, overrides: { ...base.overrides, cwd: '/w/other' } }),
      digest({ ...base, overrides: { ...base.overrides, cwd: undefined } })
    ]
    expect(new Set(variants).size).toBe(variants.length)
  })

  it('does not depend on the env’s order, time limits, retries, or where the step is', () => {
    const base = digest(prepared('bash', ['-c', 'x'], { env: { A: '1', B: '2' }, cwd: '/w/pkg' }))
    expect(
      digest(
        prepared('bash', ['-c', 'x'], {
          env: { B: '2', A: '1' },
          cwd: '/w/pkg',
          timeoutMs: 5,
          retries: 3
        })
      )
    ).toBe(base)
    expect(
      digest(
        prepared('bash', ['-c', 'x'], { env: { A: '1', B: '2' }, cwd: '/v/pkg' }),
        Shell.Bash,
        '/v'
      )
    ).toBe(base)
  })

  it('renders {%} as slot 1, so the slot a task lands in does not change it', () => {
    const template = CommandTemplate.parse('echo {} {%}', Shell.Bash)
    const plan = prepareItems(['a'], template)
    expect(plan.prepared[0]?.command.args.at(-1)).toBe("echo 'a' 1")
    expect(digest(plan.prepared[0] as PreparedItem)).toBe(
      digest(prepared('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', "echo 'a' 1"]))
    )
  })

  it('tells apart arguments whose text joins alike', () => {
    expect(digest(prepared('p', ['aarg', '']))).not.toBe(digest(prepared('p', ['a', 'arg'])))
    expect(digest(prepared('p', ['a1:', 'b']))).not.toBe(digest(prepared('p', ['a', '1:b'])))
  })

  it('tells apart any two splits of one text into arguments (counted)', () => {
    let cases = 0
    // Tokens that look like the fields' own framing, so that a digest without lengths collides.
    const text = fc
      .array(fc.constantFrom('arg', 'a', '1', ':', 'g', '\0', 'é'), { maxLength: 8 })
      .map(tokens => tokens.join(''))
    const cuts = fc.array(fc.nat(), { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(text, cuts, cuts, (joined, one, two) => {
        cases += 1
        const split = (points: number[]): string[] => {
          const at = points.slice(0, 2).map(point => point % (joined.length + 1))
          at.sort((a, b) => a - b)
          return [0, ...at].map((start, index) =>
            joined.slice(start, [...at, joined.length][index])
          )
        }
        const [first, second] = [split(one), split(two)]
        const same = JSON.stringify(first) === JSON.stringify(second)
        expect(digest(prepared('p', first)) === digest(prepared('p', second))).toBe(same)
      }),
      { seed: 20261207, numRuns: 3000 }
    )
    expect(cases).toBe(3000)
  })
})
