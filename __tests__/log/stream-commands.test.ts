import { describe, expect, it } from '@jest/globals'
import * as fc from 'fast-check'
import { LogMode } from '../../src/log/log-mode.js'
import { type Item } from '../../src/model/item.js'
import { TaskLog } from '../../src/log/task-log.js'
import { TaskOutput } from '../../src/exec/task-output.js'
import { TaskStatus } from '../../src/model/task-status.js'
import {
  CommandGuard,
  passesAsCommand,
  WorkflowCommands
} from '../../src/action/workflow-commands.js'
import { record } from '../helpers/records.js'
import { runnerLines, runOnRunner, type ParsedCommand } from '../helpers/runner-model.js'

/*
 * Stream mode must let through exactly the task's commands that grouped mode lets through, in
 * every `workflow-commands` mode, and no command from the item in its prefixes.
 */

const MODES = [WorkflowCommands.Annotations, WorkflowCommands.All, WorkflowCommands.None]

const HOSTILE_ITEM = 'x ##[set-output name=f;]1\n::add-mask::S\r::stop-commands::pwn'

/** Lines a task may print: commands of every kind, in every form, and ordinary text. */
const LINES = [
  '::error file=a.ts,line=3::boom',
  '::warning::careful',
  '::notice title=T::n',
  '::debug::d',
  '  ::error::indented',
  '::ERROR::upper',
  '\u00a0::error::after nbsp',
  '::error ##[set-output name=b]c',
  '::error ##[x]y::z',
  '::add-mask::S3CRET',
  '::set-output name=total::999',
  '::save-state name=s::v',
  '::set-env name=A::1',
  '::group::g',
  '::endgroup::',
  'x ##[add-mask]L3GACY',
  '##[group]legacy',
  'p\r::warning::after cr',
  'plain: with :: and ## [',
  'S3CRET',
  ''
]

/** Commands the runner acts on in `output`, the task log's own group and endgroup aside. */
function actedOn(output: string, own: 'grouped' | 'stream', culture = false): ParsedCommand[] {
  const lines = runOnRunner(Buffer.from(output), { culture }).lines
  const commands = lines.filter(line => line.kind === 'command')
  // Grouped output opens with our ::group:: and ends with our ::endgroup::.
  const task = own === 'grouped' ? commands.slice(1, -1) : commands
  return task.map(line => line.command as ParsedCommand)
}

/** What the task log prints for one task's output, given in chunks. */
async function printed(
  mode: LogMode,
  commands: WorkflowCommands,
  item: Item,
  chunks: Buffer[]
): Promise<string> {
  const parts: Buffer[] = []
  const log = new TaskLog(mode, data => void parts.push(Buffer.from(data)), commands)
  const output = new TaskOutput({ memoryLimit: 1 << 20 })
  for (const chunk of chunks) {
    output.write(chunk)
    await log.output(0, item, chunk)
  }
  await log.end(record(0, item, TaskStatus.Success), output)
  await log.finish()
  return Buffer.concat(parts).toString('utf8')
}

function split(text: string, cuts: number[]): Buffer[] {
  const data = Buffer.from(text)
  const points = [...new Set(cuts.map(cut => (data.length === 0 ? 0 : cut % data.length)))]
    .filter(cut => cut > 0)
    .sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const point of points) {
    chunks.push(data.subarray(start, point))
    start = point
  }
  chunks.push(data.subarray(start))
  return chunks
}

describe('passesAsCommand', () => {
  it('says of a line exactly what the guard lets the runner act on', () => {
    const unit = fc.constantFrom(' ', '\t', ':', '#', '[', ']', 'e', 'E', 'r', 'o', 'x', '\u00a0')
    const line = fc.oneof(
      fc.constantFrom(...LINES),
      fc
        .tuple(
          fc.constantFrom('', ' ', '\t', '\u00a0', '\u0001'),
          fc.constantFrom('::', '::error', '::Warning ', '::debug:', '::notice x', '::set-', '##['),
          fc.string({ unit, maxLength: 12 })
        )
        .map(parts => parts.join(''))
    )
    let cases = 0
    fc.assert(
      fc.property(line, fc.constantFrom('\n', '\r\n', '\rtail\n'), (text, ending) => {
        cases++
        const input = Buffer.from(text + ending)
        const first = runnerLines(input)[0] ?? ''
        const guard = new CommandGuard(WorkflowCommands.Annotations)
        const guarded = Buffer.concat([...guard.write(input), ...guard.end()])
        const firstActs = runOnRunner(guarded).lines.filter(l => l.kind !== 'stop')[0]
        expect(passesAsCommand(input, WorkflowCommands.Annotations)).toBe(
          firstActs?.kind === 'command'
        )
        // In `all` mode every line the runner may take as a V2 command passes.
        const acts = runOnRunner(Buffer.from(`${first}\n`)).lines[0]?.kind === 'command'
        if (acts && !first.includes('##[')) {
          expect(passesAsCommand(input, WorkflowCommands.All)).toBe(true)
        }
        expect(passesAsCommand(input, WorkflowCommands.None)).toBe(false)
      }),
      { seed: 20261207, numRuns: 2000 }
    )
    expect(cases).toBe(2000)
  })
})

describe('stream mode and workflow commands', () => {
  it.each(MODES)(
    '%s: lets through what grouped mode lets through, whatever the chunks',
    async mode => {
      const lines = fc.array(fc.tuple(fc.constantFrom(...LINES), fc.constantFrom('\n', '\r\n')), {
        maxLength: 12
      })
      let cases = 0
      await fc.assert(
        fc.asyncProperty(
          lines,
          fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
          fc.constantFrom<Item>('a', HOSTILE_ITEM),
          async (taskLines, cuts, item) => {
            let text = taskLines.map(([line, end]) => line + end).join('')
            // `all` trusts the task: a stop-commands of its own would silence our endgroup too.
            if (mode === WorkflowCommands.All) text = text.replace(/stop-commands/g, 'stop')
            cases++
            const grouped = await printed(LogMode.Grouped, mode, item, [Buffer.from(text)])
            const stream = await printed(LogMode.Stream, mode, item, split(text, cuts))
            expect(actedOn(stream, 'stream')).toEqual(actedOn(grouped, 'grouped'))
            // A runner whose searches skip zero-width spaces acts on nothing more.
            const more = actedOn(stream, 'stream', true).filter(
              command =>
                !actedOn(grouped, 'grouped', true).some(
                  other => other.name === command.name && other.data === command.data
                )
            )
            expect(more).toEqual([])
            expect(runOnRunner(Buffer.from(stream)).stoppedAtEnd).toBe(false)
          }
        ),
        { seed: 7, numRuns: 300 }
      )
      expect(cases).toBe(300)
    }
  )

  it('annotations: an annotation acts, after a line with its prefix', async () => {
    const text = 'building\n::error file=a.ts,line=3::boom\n::set-output name=x::y\n'
    const out = await printed(LogMode.Stream, WorkflowCommands.Annotations, 'lint', [
      Buffer.from(text)
    ])
    expect(out).toBe(
      '[#1 lint] building\n[#1 lint] ⤵\n::error file=a.ts,line=3::boom\n' +
        '[#1 lint] ::set-output name=x::y\n✅ #1 lint: succeeded in 1.0s\n'
    )
    expect(actedOn(out, 'stream')).toEqual([{ name: 'error', data: 'boom' }])
  })

  it('all: add-mask registers before the secret is printed, which appears only after it', async () => {
    const chunks = ['::add-mask::S3CRET\n', 'token is S3CRET\n'].map(c => Buffer.from(c))
    const out = await printed(LogMode.Stream, WorkflowCommands.All, 'deploy', chunks)
    const lines = runOnRunner(Buffer.from(out)).lines
    const mask = lines.findIndex(line => line.command?.name === 'add-mask')
    expect(mask).toBeGreaterThanOrEqual(0)
    expect(lines[mask]?.command?.data).toBe('S3CRET')
    // Every line that shows the secret comes after the mask is registered.
    const shown = lines.flatMap((line, i) =>
      line.kind === 'plain' && line.line.includes('S3CRET') ? [i] : []
    )
    expect(shown.length).toBe(1)
    expect(Math.min(...shown)).toBeGreaterThan(mask)
  })

  it('a piece cut from an over-long line is never a line start', async () => {
    const chunks = [Buffer.alloc(70_000, 'y'), Buffer.from('::add-mask::S3CRET\n')]
    for (const mode of [WorkflowCommands.All, WorkflowCommands.Annotations]) {
      const out = await printed(LogMode.Stream, mode, 'a', chunks)
      expect(actedOn(out, 'stream')).toEqual([])
      expect(out).toContain('[#1 a] ::add-mask::S3CRET\n')
    }
  })
})
