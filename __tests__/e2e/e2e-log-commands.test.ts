import { describe, expect, it } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { runAction, type ActionRun } from '../helpers/action.js'
import { runOnRunner } from '../helpers/runner-model.js'

/*
 * Hostile items and task names driven through every path on which the action prints item or task
 * text: each log mode, dry run, a failing, a retried, a timed-out and a skipped-by-needs task,
 * debug lines, annotations, the step's failure message and bad-input errors that quote the item.
 * The whole log goes through the model of the runner's command parser, with ordinal and with
 * ICU-like searches: the only commands it may act on are the action's own.
 */

const HOSTILE = [
  'ok\n::add-mask::S1',
  'x ##[set-output name=f;]1',
  '::stop-commands::pwn0123456789abcdef',
  '##[group]g\r::save-state name=s::v',
  '  ::add-path::/evil %0A::set-env name=A::1 ##[add-mask]S2',
  '\u200b::add-mask::S3 \u00a0##[error]forged'
]

/** Item 2 fails, 3 fails once then succeeds, 4 times out; each prints only fixed text. */
const COMMAND =
  'echo work; : {}; case {#} in 2) exit 3;; 3) [ -e t3 ] || { touch t3; exit 4; };; 4) sleep 5;; esac'

const HOSTILE_TASKS = [
  '"unit\\n::add-mask::S4 ##[set-output name=u;]1": echo work; exit 1',
  '"deploy ##[save-state name=d;]2\\r::add-mask::S5":',
  '  run: echo never',
  '  needs: "unit\\n::add-mask::S4 ##[set-output name=u;]1"',
  '"::add-mask::S6": echo work'
].join('\n')

/** The commands the action itself prints (the only ones the runner may act on). */
const OWN_COMMANDS = [
  /^::group::(✅|❌|⏱️|⛔|⏭️) #\d+ /,
  /^::endgroup::$/,
  /^::error title=[^:]*::(❌|⏱️|⛔) #\d+ /,
  // A task that passed on a retry (item 3) is flaky: warned of, under its escaped name.
  /^::warning title=[^:]*::✅ #\d+ .*: flaky, it failed and then succeeded on a retry\.$/,
  /^::error::(\d+ of \d+ tasks did not succeed|Invalid |Placeholder )/,
  /^::debug::(Task \d+ (started in slot \d+: |ended: )|Summary built in )/
]
const TOKEN = /^[0-9a-f]{32}$/

/** Lines of the log the runner would act on as commands that are not the action's own. */
function foreignCommands(log: string): string[] {
  const foreign: string[] = []
  for (const culture of [false, true]) {
    const run = runOnRunner(Buffer.from(log), { culture })
    if (run.stoppedAtEnd) foreign.push('(commands stopped at the end)')
    for (const line of run.lines) {
      if (line.kind === 'stop' && TOKEN.test(line.command?.data ?? '')) continue
      if (line.kind === 'resume' && TOKEN.test(line.command?.name ?? '')) continue
      if (line.kind === 'plain') continue
      if (line.kind === 'command' && OWN_COMMANDS.some(own => own.test(line.line))) continue
      foreign.push(line.line)
    }
  }
  return foreign
}

/** Every acted-on command of the run is the action's own; returns the run for more checks. */
function expectOnlyOwnCommands(run: ActionRun): ActionRun {
  expect(foreignCommands(run.log)).toEqual([])
  return run
}

describe('lines the action prints with hostile items and task names', () => {
  it('model check: the same log with the items printed as they are has foreign commands', () => {
    expect(foreignCommands(HOSTILE.join('\n') + '\n').length).toBeGreaterThanOrEqual(6)
  })

  it.each([
    ['grouped', 'annotations'],
    ['stream', 'annotations'],
    ['stream', 'all'],
    ['failures', 'annotations'],
    ['none', 'none']
  ])(
    'log %s, workflow-commands %s',
    async (log, commands) => {
      const run = expectOnlyOwnCommands(
        await runAction(
          {
            items: JSON.stringify(HOSTILE),
            command: COMMAND,
            log,
            'workflow-commands': commands,
            'max-workers': '6',
            timeout: '1s',
            retries: '1',
            'retry-delay': '0'
          },
          { env: { RUNNER_DEBUG: '1' } }
        )
      )
      const results = JSON.parse(run.outputs.results as string) as { status: string }[]
      expect(results.map(result => result.status)).toEqual([
        'success',
        'failure',
        'success',
        'timed-out',
        'success',
        'success'
      ])
      expect(run.log).toMatch(/^::debug::Task 1 started in slot \d+: ok⏎::add-mask::S1$/m)
      expect(run.log).toContain('::error::2 of 6 tasks did not succeed')
      if (log === 'grouped') expect(run.log).toContain('(2 attempts)')
      if (log === 'stream')
        expect(run.log).toMatch(/^\[#2 x #\u200b#\[set-output name=f;\]1\] work$/m)
    },
    30_000
  )

  it.each(['grouped', 'stream'])(
    'object items named by a hostile name or path (log %s)',
    async log => {
      // Shown by their name or place, not as JSON: the raw text, line breaks and all.
      const items = [
        ...HOSTILE.map(name => ({ name, n: 1 })),
        ...HOSTILE.map(path => ({ path, line: 7 }))
      ]
      const run = expectOnlyOwnCommands(
        await runAction(
          {
            items: JSON.stringify(items),
            command: 'echo work; : {#}; [ $(( {#} % 3 )) != 0 ]',
            log,
            'max-workers': '4'
          },
          { env: { RUNNER_DEBUG: '1' } }
        )
      )
      expect(run.outputs).toMatchObject({ failed: '4', succeeded: '8' })
      expect(run.log).toMatch(/^::debug::Task 1 started in slot \d+: ok⏎::add-mask::S1$/m)
      expect(run.log).toMatch(/^::debug::Task 7 started in slot \d+: ok⏎::add-mask::S1:7$/m)
      expect(run.log).toContain('::error::4 of 12 tasks did not succeed')
    },
    30_000
  )

  it('a task skipped because its needs failed gets a line, neutralised', async () => {
    for (const log of ['grouped', 'stream']) {
      const run = expectOnlyOwnCommands(await runAction({ tasks: HOSTILE_TASKS, log }))
      expect(run.outputs).toMatchObject({ failed: '1', skipped: '1', succeeded: '1' })
      expect(run.log).toContain(
        '⏭️ #2 deploy #\u200b#[save-state name=d;]2�::add-mask::S5: skipped, because ' +
          'unit⏎::add-mask::S4 #\u200b#[set-output name=u;]1 failed\n'
      )
    }
  }, 30_000)

  it('dry run', async () => {
    const items = expectOnlyOwnCommands(
      await runAction({ items: JSON.stringify(HOSTILE), command: `echo {}`, 'dry-run': 'true' })
    )
    // The rendered command keeps its line break; the line after it cannot command.
    expect(items.log).toContain("#1 ok⏎::add-mask::S1\n  echo 'ok\n:\u200b:add-mask::S1'\n")
    const tasks = expectOnlyOwnCommands(
      await runAction({ tasks: HOSTILE_TASKS, 'dry-run': 'true' })
    )
    expect(tasks.log).toContain('(needs unit⏎::add-mask::S4 #\u200b#[set-output name=u;]1)')
    for (const run of [items, tasks]) {
      expect(readdirSync(run.dir).filter(name => name.startsWith('t3'))).toEqual([])
    }
  }, 30_000)

  it.each([
    ['a placeholder the item lacks', { items: JSON.stringify(HOSTILE), command: 'echo {name}' }],
    [
      'a need that is not a task',
      { tasks: '"a\\n::add-mask::S7":\n  run: "true"\n  needs: "b\\n::save-state name=x::y"' }
    ],
    ['a bad log value', { items: 'a', command: 'true', log: 'x\n::add-mask::S8 ##[group]y' }]
  ])('bad input: %s', async (_, inputs) => {
    const run = expectOnlyOwnCommands(await runAction(inputs))
    expect(run.code).toBe(1)
    expect(run.log).toMatch(/^::error::(Invalid|Placeholder) /m)
  })

  it('lines of ours never land inside a task group, however long its replay', async () => {
    // Output past 1 MiB is replayed from a file, yielding to the event loop; debug lines of
    // tasks starting meanwhile must wait for the group to close.
    const run = await runAction(
      {
        items: Array.from({ length: 8 }, (_, i) => String(i + 1)).join('\n'),
        command: 'head -c 3000000 /dev/zero | tr "\\0" "y"; echo',
        'max-workers': '2'
      },
      { env: { RUNNER_DEBUG: '1' } }
    )
    expect(run.code).toBe(0)
    let inGroup = false
    for (const line of run.log.split('\n')) {
      if (line.startsWith('::group::')) inGroup = true
      else if (line === '::endgroup::') inGroup = false
      else if (inGroup) expect(line.startsWith('::debug::')).toBe(false)
    }
    expect(run.log.match(/^::debug::Task \d+ started/gm)).toHaveLength(8)
  }, 60_000)

  it.each(['annotations', 'all', 'none'])(
    'stream mode lets the runner act on what grouped mode does (workflow-commands %s)',
    async commands => {
      const script = [
        'echo "::add-mask::S3CRET"',
        'echo "token S3CRET"',
        'echo "::error file=a.ts,line=3::boom"',
        'echo "  ::warning::indented"',
        'echo "::set-output name=total::999"',
        'echo "x ##[save-state name=s;]v"',
        'printf "p\\r::notice::after cr\\n"'
      ].join('; ')
      // The task's commands the runner acts on: the action's own groups and debug line aside.
      const acted = (log: string): string[] =>
        runOnRunner(Buffer.from(log))
          .lines.filter(line => line.kind === 'command')
          .filter(line => !/^::(group|endgroup|debug)::/.test(line.line))
          .map(line => `${line.command?.name} ${line.command?.data}`)
      const inputs = { tasks: `t: ${JSON.stringify(script)}`, 'workflow-commands': commands }
      const grouped = await runAction({ ...inputs, log: 'grouped' })
      const stream = await runAction({ ...inputs, log: 'stream' })
      expect(acted(stream.log)).toEqual(acted(grouped.log))
      const expected = {
        annotations: ['error boom', 'warning indented', 'notice after cr'],
        all: [
          'add-mask S3CRET',
          'error boom',
          'warning indented',
          'set-output 999',
          'save-state v',
          'notice after cr'
        ],
        none: []
      }[commands]
      expect(acted(stream.log)).toEqual(expected)
      if (commands === 'all') {
        // The secret is printed only after its mask is registered.
        const mask = stream.log.indexOf('\n::add-mask::S3CRET\n')
        expect(mask).toBeGreaterThanOrEqual(0)
        expect(mask).toBeLessThan(stream.log.search(/^(?!::add-mask::).*S3CRET/m))
      }
    },
    30_000
  )
})
