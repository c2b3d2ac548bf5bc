import { describe, expect, it } from '@jest/globals'
import * as fc from 'fast-check'
import {
  CommandGuard,
  MAX_HELD_BYTES,
  MAX_WRAPS,
  neutraliseInline,
  WorkflowCommands
} from '../../src/action/workflow-commands.js'
import {
  ANNOTATIONS,
  parseV2,
  runnerLines,
  runOnRunner,
  type ParsedCommand
} from '../helpers/runner-model.js'

/** Tokens handed out in order, recognisable in the output. */
function tokenSource(): { next: () => string; issued: string[] } {
  const issued: string[] = []
  return {
    issued,
    next: () => {
      const token = `tok${String(issued.length).padStart(4, '0')}x0123456789abcdef`
      issued.push(token)
      return token
    }
  }
}

interface Guarded {
  output: Buffer
  pieces: Buffer[]
  tokens: string[]
}

/** Runs input through a guard in the given chunks (cut points). */
function guard(mode: WorkflowCommands, input: Buffer, cuts: number[] = []): Guarded {
  const tokens = tokenSource()
  const g = new CommandGuard(mode, tokens.next)
  const pieces: Buffer[] = []
  let start = 0
  for (const cut of [...cuts.filter(c => c > 0 && c < input.length)].sort((a, b) => a - b)) {
    pieces.push(...g.write(input.subarray(start, cut)))
    start = cut
  }
  pieces.push(...g.write(input.subarray(start)))
  pieces.push(...g.end())
  return { output: Buffer.concat(pieces), pieces, tokens: tokens.issued }
}

/** The output without the guard's own stop and resume lines (the bytes as latin1 text). */
function withoutGuardLines(result: Guarded): string {
  let text = result.output.toString('latin1')
  for (const token of result.tokens) {
    text = text.split(`::stop-commands::${token}\n`).join('')
    text = text.split(`::${token}::\n`).join('')
  }
  return text
}

function endsWithBreak(data: Buffer): boolean {
  const last = data[data.length - 1]
  return data.length === 0 || last === 0x0a || last === 0x0d
}

/** Commands the runner acts on that came from the task, not from the guard. */
function taskCommands(result: Guarded): ParsedCommand[] {
  const run = runOnRunner(result.output)
  return run.lines
    .filter(line => line.kind === 'command')
    .map(line => line.command as ParsedCommand)
}

/** Annotation lines of the input, as the runner would take them on their own. */
function annotationLines(input: Buffer): string[] {
  return runnerLines(input).filter(line => {
    const command = parseV2(line, null)
    return command !== null && ANNOTATIONS.has(command.name.toLowerCase())
  })
}

/** Every check that holds for any input in the given mode. */
function checkInvariants(mode: WorkflowCommands, input: Buffer, result: Guarded): void {
  if (mode === WorkflowCommands.All) {
    expect(result.output.equals(input)).toBe(true)
    expect(result.tokens).toEqual([])
    return
  }

  // Whatever the task printed, the runner acts on commands again after the guard's output.
  const run = runOnRunner(result.output)
  expect(run.stoppedAtEnd).toBe(false)

  // Every byte of the input, in order; one line break more only before a final resume line.
  const stripped = withoutGuardLines(result)
  const original = input.toString('latin1')
  if (stripped !== original) {
    expect(endsWithBreak(input)).toBe(false)
    expect(stripped).toBe(original + '\n')
  }

  // Each token was taken as a stop, then as a resume, each on a line of its own.
  const stops = run.lines.filter(line => line.kind === 'stop').map(line => line.command?.data)
  const resumes = run.lines.filter(line => line.kind === 'resume').map(line => line.command?.name)
  expect(stops).toEqual(result.tokens)
  expect(resumes).toEqual(result.tokens)

  // The task's lines reach the log as they were, the guard's lines aside.
  const taskLines = run.lines.filter(line => line.kind !== 'stop' && line.kind !== 'resume')
  expect(taskLines.map(line => line.line)).toEqual(runnerLines(input))

  const commands = taskCommands(result)
  if (mode === WorkflowCommands.None) {
    expect(commands).toEqual([])
  } else {
    for (const command of commands) expect(ANNOTATIONS.has(command.name.toLowerCase())).toBe(true)
  }
}

const PAYLOADS = [
  '::set-output name=total::999',
  '::add-mask::e',
  'x ##[set-output name=a;]b',
  'p\r::warning::x',
  '::stop-commands::abc',
  '::set-env name=A::1',
  '::abc::',
  '::group::outer',
  '::group::inner',
  '::endgroup::',
  '::endgroup::',
  '  ::error::indented',
  '::ERROR::upper',
  '::save-state name=x::y',
  '::echo::on',
  '::add-path::/evil',
  '::set-env name=NODE_OPTIONS::--require=/tmp/x',
  '::add-matcher::m.json',
  '##[group]legacy group',
  '##[endgroup]',
  '::notice file=a.ts,line=3::notice me',
  '::debug::debugging',
  '::warning title=T::w',
  '::error ##[set-output name=b]c',
  '::error ##[set-output name=b]c::',
  '::bogus::x ##[add-mask]y',
  'plain text: with :: colons and ## hashes [brackets]',
  '\t::save-state name=tab::1',
  ''
]

describe('runner model (sanity)', () => {
  it('acts on the commands of the payloads when nothing guards them', () => {
    const commands = taskCommands({
      output: Buffer.from(PAYLOADS.join('\n') + '\n'),
      pieces: [],
      tokens: []
    })
    const names = commands.map(command => command.name.toLowerCase())
    expect(names).toEqual(
      expect.arrayContaining(['set-output', 'add-mask', 'warning', 'error', 'save-state'])
    )
    // "::stop-commands::abc" silences everything until "::abc::".
    expect(commands.filter(command => command.name === 'set-env')).toEqual([
      { name: 'set-env', data: '--require=/tmp/x' }
    ])
    expect(names).toContain('group')
    expect(names).toContain('echo')
  })
})

describe('CommandGuard', () => {
  const modes = [WorkflowCommands.Annotations, WorkflowCommands.None, WorkflowCommands.All]

  describe.each([...new Set(PAYLOADS)].filter(p => p !== ''))('payload %j', payload => {
    for (const mode of modes) {
      for (const ending of ['\n', '\r\n', '']) {
        it(`${mode} mode, ending ${JSON.stringify(ending)}`, () => {
          const input = Buffer.from(`before\n${payload}${ending}`)
          const result = guard(mode, input)
          checkInvariants(mode, input, result)
          if (mode === WorkflowCommands.Annotations) {
            expect(taskCommands(result).map(c => c.name)).toEqual(
              annotationLines(input).map(line => parseV2(line, null)?.name)
            )
          }
          if (mode === WorkflowCommands.All) {
            expect(taskCommands(result)).toEqual(
              taskCommands({ output: input, pieces: [], tokens: [] })
            )
          }
        })
      }
    }
  })

  it('lets "p\\r::warning::x" annotate in annotations mode, not in none mode', () => {
    const input = Buffer.from('p\r::warning::x\n')
    expect(taskCommands(guard(WorkflowCommands.Annotations, input))).toEqual([
      { name: 'warning', data: 'x' }
    ])
    expect(taskCommands(guard(WorkflowCommands.None, input))).toEqual([])
    expect(taskCommands(guard(WorkflowCommands.All, input))).toEqual([
      { name: 'warning', data: 'x' }
    ])
  })

  it('keeps indented and upper-case annotations', () => {
    const input = Buffer.from('  ::error::indented\n::ERROR::upper\n\t::Warning file=a::w\n')
    const result = guard(WorkflowCommands.Annotations, input)
    checkInvariants(WorkflowCommands.Annotations, input, result)
    expect(taskCommands(result).map(c => c.name)).toEqual(['error', 'ERROR', 'Warning'])
    expect(result.tokens).toEqual([])
    expect(result.output.equals(input)).toBe(true)
  })

  it('does not let forged stop-commands silence the commands printed after the task', () => {
    const input = Buffer.from('::stop-commands::abc\nsilenced?\n')
    for (const mode of [WorkflowCommands.Annotations, WorkflowCommands.None]) {
      const result = guard(mode, input)
      checkInvariants(mode, input, result)
      const after = Buffer.concat([result.output, Buffer.from('::endgroup::\n')])
      const run = runOnRunner(after)
      expect(run.lines[run.lines.length - 1]).toMatchObject({ kind: 'command' })
    }
    // Unguarded, it does.
    const run = runOnRunner(Buffer.concat([input, Buffer.from('::endgroup::\n')]))
    expect(run.stoppedAtEnd).toBe(true)
  })

  it('neutralises nested groups so they cannot close ours', () => {
    const input = Buffer.from('::group::a\n::group::b\nx\n::endgroup::\n::endgroup::\n')
    for (const mode of [WorkflowCommands.Annotations, WorkflowCommands.None]) {
      const result = guard(mode, input)
      checkInvariants(mode, input, result)
      expect(result.tokens).toHaveLength(1)
    }
  })

  it('wraps runs of forbidden lines once and closes only before an annotation', () => {
    const input = Buffer.from(
      '::set-output name=a::1\n::save-state name=b::2\nplain\n::add-mask::x\n::error::e\nok\n'
    )
    const result = guard(WorkflowCommands.Annotations, input)
    checkInvariants(WorkflowCommands.Annotations, input, result)
    expect(result.tokens).toHaveLength(1)
    expect(result.output.toString()).toBe(
      '::stop-commands::tok0000x0123456789abcdef\n' +
        '::set-output name=a::1\n::save-state name=b::2\nplain\n::add-mask::x\n' +
        '::tok0000x0123456789abcdef::\n' +
        '::error::e\nok\n'
    )
  })

  it('treats possible white space before "::" as white space, and then never as an annotation', () => {
    for (const lead of ['\u00a0', '\u3000', '\u2028', '\u0085', '\u000b', '\u001c', '\u200b']) {
      const input = Buffer.from(`${lead}::set-output name=a::1\n${lead}::error::e\n`)
      const result = guard(WorkflowCommands.Annotations, input)
      checkInvariants(WorkflowCommands.Annotations, input, result)
    }
    // A documented loss: an annotation after Unicode white space is neutralised too.
    const nbsp = guard(WorkflowCommands.Annotations, Buffer.from('\u00a0::error::e\n'))
    expect(taskCommands(nbsp)).toEqual([])
    // Plain ASCII white space is certain, so that annotation stays.
    const blank = guard(WorkflowCommands.Annotations, Buffer.from(' \t\v\f::error::e\n'))
    expect(taskCommands(blank)).toEqual([{ name: 'error', data: 'e' }])
  })

  it('checks the whole line of an annotation without "::" after its name', () => {
    // TryParseV2 needs a second "::"; without it the legacy form decides.
    for (const line of ['::error ##[set-output name=b]c', '::warning x ##[add-mask]y']) {
      const input = Buffer.from(`${line}\n`)
      const result = guard(WorkflowCommands.Annotations, input)
      checkInvariants(WorkflowCommands.Annotations, input, result)
      expect(result.tokens).toHaveLength(1)
    }
    const fine = guard(WorkflowCommands.Annotations, Buffer.from('::error ##[x]y::z\n'))
    expect(taskCommands(fine)).toEqual([{ name: 'error', data: 'z' }])
  })

  it('finds commands split across chunks at every byte offset', () => {
    const input = Buffer.from(PAYLOADS.join('\r\n') + '\n' + PAYLOADS.join('\n'))
    for (const mode of modes) {
      const whole = guard(mode, input)
      checkInvariants(mode, input, whole)
      for (let cut = 1; cut < input.length; cut++) {
        const split = guard(mode, input, [cut])
        expect(split.output.equals(whole.output)).toBe(true)
      }
    }
  })

  it('finds commands split into three chunks at every pair of offsets', () => {
    const input = Buffer.from('a ##[set-output name=x]y\r::save-state name=s::v\n  ::error::e\r\n')
    const whole = guard(WorkflowCommands.Annotations, input)
    checkInvariants(WorkflowCommands.Annotations, input, whole)
    for (let first = 1; first < input.length; first++) {
      for (let second = first + 1; second < input.length; second++) {
        const split = guard(WorkflowCommands.Annotations, input, [first, second])
        expect(split.output.equals(whole.output)).toBe(true)
      }
    }
  })

  it('handles one byte at a time', () => {
    const input = Buffer.from(PAYLOADS.join('\n'))
    const cuts = Array.from({ length: input.length }, (_, i) => i)
    for (const mode of modes) {
      const result = guard(mode, input, cuts)
      checkInvariants(mode, input, result)
      expect(result.output.equals(guard(mode, input).output)).toBe(true)
    }
  })

  it('handles CRLF files', () => {
    const lines = []
    for (let i = 0; i < 200; i++) {
      lines.push(`line ${i}`, PAYLOADS[i % PAYLOADS.length] as string)
    }
    const input = Buffer.from(lines.join('\r\n') + '\r\n')
    for (const mode of modes) {
      const cuts = [7, 100, 101, 2000, 2001, 2002, 4096]
      const result = guard(mode, input, cuts)
      checkInvariants(mode, input, result)
    }
    const annotated = guard(WorkflowCommands.Annotations, input)
    expect(taskCommands(annotated).map(c => c.name)).toEqual(
      annotationLines(input).map(line => parseV2(line, null)?.name)
    )
  })

  it('streams a 5 MB line without a newline in linear time and bounded memory', () => {
    const size = 5 * 1024 * 1024
    const input = Buffer.alloc(size, 'abcdefgh ')
    input.write('##[set-output name=late]boom', size - 40)
    const chunkSize = 64 * 1024
    for (const mode of [WorkflowCommands.Annotations, WorkflowCommands.None]) {
      const tokens = tokenSource()
      const g = new CommandGuard(mode, tokens.next)
      const pieces: Buffer[] = []
      let held = 0
      const started = Date.now()
      for (let offset = 0; offset < size; offset += chunkSize) {
        const chunk = input.subarray(offset, offset + chunkSize)
        const out = g.write(chunk)
        pieces.push(...out)
        const written = pieces.reduce((sum, piece) => sum + piece.length, 0)
        held = Math.max(held, offset + chunk.length - written + tokens.issued.length * 100)
      }
      pieces.push(...g.end())
      const elapsed = Date.now() - started
      expect(elapsed).toBeLessThan(5000)
      // At most MAX_HELD_BYTES are ever held back (the estimate counts the guard's own lines).
      expect(held).toBeLessThanOrEqual(MAX_HELD_BYTES + 1000)
      const result = { output: Buffer.concat(pieces), pieces, tokens: tokens.issued }
      checkInvariants(mode, input, result)
      expect(result.tokens).toHaveLength(1)
    }
  })

  it('returns ordinary output as the input buffers themselves', () => {
    const chunk = Buffer.from('one\ntwo ## [not legacy]\nthree: x\n')
    for (const mode of modes) {
      const g = new CommandGuard(mode)
      const out = g.write(chunk)
      expect(out[out.length - 1]).toBe(chunk)
      expect(out).toHaveLength(mode === WorkflowCommands.None ? 2 : 1)
      expect(g.end()).toHaveLength(mode === WorkflowCommands.None ? 1 : 0)
    }
    // With commands inside, the pieces are views of the chunk, not copies.
    const text = 'a\nb\n::set-output name=x::y\nc\n::error::e\nd\n'
    const mixed = Buffer.alloc(Buffer.byteLength(text))
    mixed.write(text)
    const g = new CommandGuard(WorkflowCommands.Annotations)
    const out = g.write(mixed)
    const views = out.filter(piece => piece.buffer === mixed.buffer)
    expect(views.map(piece => piece.toString())).toEqual([
      'a\nb\n',
      '::set-output name=x::y\nc\n',
      '::error::e\nd\n'
    ])
    expect(out).toHaveLength(5)
  })

  it('adds a line break before the resume line only when the output needs one', () => {
    const tokens = tokenSource()
    const g = new CommandGuard(WorkflowCommands.None, tokens.next)
    expect(Buffer.concat(g.write(Buffer.from('no newline'))).toString()).toBe(
      '::stop-commands::tok0000x0123456789abcdef\nno newline'
    )
    expect(g.atLineStart).toBe(false)
    expect(Buffer.concat(g.end()).toString()).toBe('\n::tok0000x0123456789abcdef::\n')
    expect(g.atLineStart).toBe(true)

    const h = new CommandGuard(WorkflowCommands.None, tokens.next)
    h.write(Buffer.from('ends\r'))
    expect(Buffer.concat(h.end()).toString()).toBe('::tok0001x0123456789abcdef::\n')

    const quiet = new CommandGuard(WorkflowCommands.None)
    expect(quiet.end()).toEqual([])
  })

  it('copies what it holds back, so the caller may reuse its buffer after printing', () => {
    const reused = Buffer.alloc(16)
    const g = new CommandGuard(WorkflowCommands.Annotations)
    const printed: string[] = []
    for (const part of ['::error ', 'file=a', '::msg\nok\n']) {
      reused.fill(0)
      const view = reused.subarray(0, reused.write(part))
      printed.push(...g.write(view).map(piece => piece.toString()))
      reused.fill(0x2a)
    }
    printed.push(...g.end().map(piece => piece.toString()))
    expect(printed.join('')).toBe('::error file=a::msg\nok\n')
  })

  it('releases a held partial line at end() without adding a line break', () => {
    const g = new CommandGuard(WorkflowCommands.Annotations)
    expect(Buffer.concat(g.write(Buffer.from('a\nlast line without break'))).toString()).toBe('a\n')
    expect(g.atLineStart).toBe(true)
    expect(Buffer.concat(g.end()).toString()).toBe('last line without break')
    expect(g.atLineStart).toBe(false)
  })

  it('can be used again after end()', () => {
    const tokens = tokenSource()
    const g = new CommandGuard(WorkflowCommands.Annotations, tokens.next)
    const first = Buffer.concat([...g.write(Buffer.from('::add-mask::x\n')), ...g.end()])
    const second = Buffer.concat([...g.write(Buffer.from('::add-mask::y\n')), ...g.end()])
    expect(
      taskCommands({ output: Buffer.concat([first, second]), pieces: [], tokens: [] })
    ).toEqual([])
    expect(tokens.issued).toHaveLength(2)
  })

  it(`opens at most ${MAX_WRAPS} wraps and stays safe beyond`, () => {
    const lines: string[] = []
    for (let i = 0; i < 3 * MAX_WRAPS; i++)
      lines.push(`::set-output name=o${i}::v`, `::error::${i}`)
    const input = Buffer.from(lines.join('\n') + '\n')
    const result = guard(WorkflowCommands.Annotations, input)
    checkInvariants(WorkflowCommands.Annotations, input, result)
    expect(result.tokens).toHaveLength(MAX_WRAPS)
    expect(taskCommands(result)).toHaveLength(MAX_WRAPS - 1)
  })

  it('neutralises an over-long undecided line without waiting for its end', () => {
    const line = '::error ' + 'x'.repeat(MAX_HELD_BYTES + 10) + '::too late\n'
    const input = Buffer.from(line)
    const result = guard(WorkflowCommands.Annotations, input, [1000, 2000, MAX_HELD_BYTES + 5])
    checkInvariants(WorkflowCommands.Annotations, input, result)
    // Documented loss: such an annotation does not annotate.
    expect(taskCommands(result)).toEqual([])
    // Within one chunk, it does.
    expect(taskCommands(guard(WorkflowCommands.Annotations, input))).toHaveLength(1)
  })

  it('rejects tokens the runner would refuse or a task could guess', () => {
    for (const bad of [
      'short',
      'set-output',
      'internal-set-repo-path',
      'has space in it 1234',
      'a:b'
    ]) {
      const g = new CommandGuard(WorkflowCommands.None, () => bad)
      expect(() => g.write(Buffer.from('x'))).toThrow(/stop token/)
    }
    expect(() => new CommandGuard('sometimes' as WorkflowCommands)).toThrow(/unknown mode/)
  })

  it('uses fresh random 128-bit tokens by default', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const g = new CommandGuard(WorkflowCommands.None)
      const stop = Buffer.concat(g.write(Buffer.from('x\n'))).toString()
      const token = /^::stop-commands::([0-9a-f]{32})\n/.exec(stop)?.[1]
      expect(token).toBeDefined()
      seen.add(token as string)
    }
    expect(seen.size).toBe(20)
  })

  it('keeps every invariant for random mixes of lines and chunkings', () => {
    const ordinaryText = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', '\t', ':', '#', '[', ']', '=', ',', 'é', '日', '%'),
      maxLength: 30
    })
    const line = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
      { weight: 2, arbitrary: ordinaryText },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom('', ' ', '\t', '  '),
            fc.constantFrom(
              '::',
              '##[',
              '::error',
              '::Warning ',
              '::debug:',
              '::notice x=1',
              '::set-'
            ),
            ordinaryText
          )
          .map(parts => parts.join(''))
      }
    )
    const stream = fc
      .tuple(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 25 }),
        fc.boolean()
      )
      .map(([lines, trailing]) => {
        const text = lines.map(([l, br]) => l + br).join('')
        return Buffer.from(trailing ? text : text.replace(/(\r\n|\r|\n)$/, ''))
      })
    const cuts = fc.array(fc.nat({ max: 1000 }), { maxLength: 12 })

    fc.assert(
      fc.property(stream, cuts, fc.constantFrom(...modes), (input, rawCuts, mode) => {
        const positions = rawCuts.map(c => (input.length === 0 ? 0 : c % input.length))
        const result = guard(mode, input, positions)
        checkInvariants(mode, input, result)
        expect(result.output.equals(guard(mode, input).output)).toBe(true)
        if (mode === WorkflowCommands.Annotations) {
          expect(taskCommands(result).map(c => c.name)).toEqual(
            annotationLines(input).map(l => parseV2(l, null)?.name)
          )
        }
      }),
      { seed: 20240611, numRuns: 600 }
    )
  })
})

describe('neutraliseInline', () => {
  const commandsIn = (text: string): ParsedCommand[] =>
    taskCommands({ output: Buffer.from(`${text}\n`), pieces: [], tokens: [] })

  it('leaves text without command prefixes alone', () => {
    const text = 'build (linux) # 3 [ok]: done'
    expect(neutraliseInline(text)).toBe(text)
  })

  it.each([
    'x ##[set-output name=a;]b',
    '##[group]forged',
    '::set-output name=x::y',
    '  ::add-mask::e',
    '\u00a0::add-mask::e',
    'a\r::warning::x',
    'a\n##[endgroup]',
    '###[add-mask]z',
    '##[error]a ##[group]b'
  ])('neutralises %j with zero-width spaces only', text => {
    expect(commandsIn(text).length).toBeGreaterThan(0)
    const safe = neutraliseInline(text)
    expect(commandsIn(safe)).toEqual([])
    expect(safe).not.toContain('##[')
    expect(safe.split('\u200b').join('')).toBe(text)
    // Inside a line of ours, too.
    expect(commandsIn(`[1 ${safe}] out`)).toEqual([])
    // Also for a runner whose searches skip the zero-width space (ICU): the name is then taken at
    // an offset that lands on '[' or ':'.
    const culture = { culture: true }
    expect(
      runOnRunner(Buffer.from(`${text}\n`), culture).lines.some(l => l.kind === 'command')
    ).toBe(true)
    for (const line of [safe, `[1 ${safe}] out`]) {
      const run = runOnRunner(Buffer.from(`${line}\n`), culture)
      expect(run.lines.filter(l => l.kind !== 'plain')).toEqual([])
    }
  })

  it('keeps "::" that is not at a line start', () => {
    expect(neutraliseInline('a::b')).toBe('a::b')
    expect(neutraliseInline('::a::b')).toBe(':\u200b:a::b')
  })
})
