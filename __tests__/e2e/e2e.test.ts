import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isAlive, liveProcessesInGroup, runAction, waitFor } from '../helpers/action.js'

interface Result {
  index: number
  item: unknown
  status: string
  exitCode: number | null
  signal: string | null
  durationMs: number
  attempts: number
  command: string
}

const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

/** Pids that tasks wrote to files named pid-* in the work directory. */
const writtenPids = (dir: string): number[] =>
  readdirSync(dir)
    .filter(name => name.startsWith('pid-'))
    .flatMap(name => readFileSync(join(dir, name), 'utf8').trim().split(/\s+/).map(Number))

describe('the bundled action, run as the runner runs it', () => {
  it('runs every item, sets every output and writes the summary', async () => {
    const run = await runAction({
      items: 'alpha\nbeta\n\ngamma delta\n',
      command: 'echo "hello {}" && echo "to stderr" >&2',
      'max-workers': '2'
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      total: '3',
      succeeded: '3',
      failed: '0',
      'timed-out': '0',
      cancelled: '0',
      skipped: '0',
      'failed-items': '[]'
    })
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0)
    const list = results(run.outputs)
    expect(list.map(r => [r.index, r.item, r.status, r.exitCode, r.signal, r.attempts])).toEqual([
      [0, 'alpha', 'success', 0, null, 1],
      [1, 'beta', 'success', 0, null, 1],
      [2, 'gamma delta', 'success', 0, null, 1]
    ])
    expect(list[2]?.command).toBe(`echo "hello "'gamma delta'"" && echo "to stderr" >&2`)
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    expect(run.outputs['results-file']?.startsWith(run.dir)).toBe(true)
    expect(file.results[2]).toMatchObject({
      item: 'gamma delta',
      outputTail: 'hello gamma delta\nto stderr'
    })
    expect(file.results[2].slot).toBeGreaterThanOrEqual(1)
    expect(Date.parse(file.results[2].endedAt)).toBeGreaterThanOrEqual(
      Date.parse(file.results[2].startedAt)
    )
    expect(run.summary).toContain('<h2>✅ parallel-exec: 3 of 3 succeeded</h2>')
    expect(run.log).toContain('Running 3 items on 2 workers with bash')
    expect(run.log).toMatch(
      /::group::✅ #3 gamma delta: succeeded in \S+\nhello gamma delta\nto stderr\n::endgroup::/
    )
    expect(run.log).toMatch(/Done in \S+: 3 succeeded\.\n/)
  })

  it('fails the step, annotates failures and reports exit codes and signals', async () => {
    const run = await runAction({
      items: '["ok", "exit 3", "kill -TERM $$", "nosuchcommand-xyz"]',
      command: '',
      'max-workers': '4'
    })
    expect(run.code).toBe(1)
    const list = results(run.outputs)
    expect(list.map(r => [r.status, r.exitCode, r.signal])).toEqual([
      ['failure', 127, null],
      ['failure', 3, null],
      ['failure', 143, 'SIGTERM'],
      ['failure', 127, null]
    ])
    expect(JSON.parse(run.outputs['failed-items'] as string)).toEqual([
      'ok',
      'exit 3',
      'kill -TERM $$',
      'nosuchcommand-xyz'
    ])
    expect(run.log).toMatch(/::error title=exit 3::❌ #2 exit 3: failed \(exit code 3\) in \S+/)
    expect(run.log).toContain(
      '::error::4 of 4 tasks did not succeed (4 failed): ok, exit 3, kill -TERM $$, nosuchcommand-xyz.'
    )
    expect(run.summary).toContain(
      '<details><summary>❌ <code>nosuchcommand-xyz</code> failed (exit code 127) · '
    )
    expect(run.summary).toContain('command not found')
  })

  it('never runs more than max-workers at once, and reaches it', async () => {
    const run = await runAction({
      items: Array.from({ length: 12 }, (_, i) => `t${i}`).join('\n'),
      command: 'echo "+ {%}" >> events; sleep 0.3; echo "- {%}" >> events',
      'max-workers': '3'
    })
    expect(run.code).toBe(0)
    const events = readFileSync(join(run.dir, 'events'), 'utf8').trim().split('\n')
    let running = 0
    let peak = 0
    const busySlots = new Set<string>()
    for (const event of events) {
      const [sign, slot] = event.split(' ') as [string, string]
      if (sign === '+') {
        expect(busySlots.has(slot)).toBe(false)
        busySlots.add(slot)
        running++
      } else {
        busySlots.delete(slot)
        running--
      }
      peak = Math.max(peak, running)
    }
    expect(peak).toBe(3)
    expect(events).toHaveLength(24)
  })

  it('passes hostile items as data in every quoting context, and runs none of them', async () => {
    const hostile = [
      `$(touch pwned1)`,
      '`touch pwned2`',
      `'; touch pwned3; '`,
      `"; touch pwned4; "`,
      `a\ntouch pwned5`,
      `\\'"\\$x \${HOME} {} * ~`
    ]
    const run = await runAction({
      items: JSON.stringify(hostile),
      command: `printf '%s|' {} '{}' "{}" "$(printf %s "{}")" >> out; printf '\\n' >> out`,
      'max-workers': '1'
    })
    expect(run.code).toBe(0)
    const lines = readFileSync(join(run.dir, 'out'), 'utf8').split('|\n')
    for (const [index, item] of hostile.entries()) {
      expect(lines[index]).toBe([item, item, item, item].join('|'))
    }
    expect(readdirSync(run.dir).filter(name => name.startsWith('pwned'))).toEqual([])
  })

  it('gives object and array items their fields, and runs without a shell', async () => {
    const run = await runAction({
      items: '[{"name": "a b", "meta": {"n": 1}}, {"name": "$(x)", "meta": {"n": [2]}}]',
      command: 'printf %s {name} {meta.n} {#}',
      shell: 'none'
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('a b11\n')
    expect(run.log).toContain('$(x)[2]2\n')
    expect(results(run.outputs)[0]?.command).toBe("printf %s 'a b' 1 1")
  })

  it('gives tasks PARALLEL_* variables and not the action’s INPUT_* variables', async () => {
    const run = await runAction({
      items: '["x y"]',
      command:
        'echo "item=$PARALLEL_ITEM seq=$PARALLEL_SEQ slot=$PARALLEL_JOBSLOT inputs=$(env | grep -c ^INPUT_ || true)"',
      'github-token': 'secret-token'
    })
    expect(run.log).toContain('item=x y seq=1 slot=1 inputs=0')
  })

  it('stops a timed-out task with its whole process tree', async () => {
    const run = await runAction({
      items: 'slow\nfast',
      command: '[ {} = fast ] && exit 0; sleep 300 & echo "$! $$" > pid-{#}; wait',
      timeout: '1s'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => [r.status, r.signal])).toEqual([
      ['timed-out', 'SIGTERM'],
      ['success', null]
    ])
    expect(run.outputs['timed-out']).toBe('1')
    const pids = writtenPids(run.dir)
    expect(pids).toHaveLength(2)
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
    expect(run.log).toContain('1 of 2 tasks did not succeed (1 timed out): slow.')
  })

  it('fail-fast stops running process trees and skips what had not started', async () => {
    const run = await runAction({
      items: ['fail', 'sleep1', 'sleep2', 'later1', 'later2', 'later3'].join('\n'),
      command: '[ {} = fail ] && { sleep 0.5; exit 1; }; sleep 300 & echo "$! $$" > pid-{#}; wait',
      'max-workers': '3',
      'fail-fast': 'true'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => r.status)).toEqual([
      'failure',
      'cancelled',
      'cancelled',
      'skipped',
      'skipped',
      'skipped'
    ])
    expect(run.outputs).toMatchObject({ failed: '1', cancelled: '2', skipped: '3' })
    const pids = writtenPids(run.dir)
    expect(pids).toHaveLength(4)
    for (const pid of pids) expect(isAlive(pid)).toBe(false)
    expect(run.summary).toContain('Halted early: fail-fast after task 1 (fail) failed.')
  })

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s from the runner stops every task tree, still writes outputs and exits non-zero',
    async signal => {
      let pgid = 0
      const started = { at: 0 }
      const run = await runAction(
        {
          items: Array.from({ length: 6 }, (_, i) => `n${i}`).join('\n'),
          command: 'trap "" TERM; sleep 300 & echo "$! $$" > pid-{#}; wait',
          'max-workers': '2'
        },
        {
          onStart: (child, dir) => {
            pgid = child.pid as number
            void waitFor(
              () => readdirSync(dir).filter(n => n.startsWith('pid-')).length === 2
            ).then(() => {
              started.at = Date.now()
              child.kill(signal)
            })
          }
        }
      )
      const stoppedInMs = Date.now() - started.at
      expect(run.code).toBe(1)
      expect(stoppedInMs).toBeLessThan(7_500)
      expect(results(run.outputs).map(r => r.status)).toEqual([
        'cancelled',
        'cancelled',
        'skipped',
        'skipped',
        'skipped',
        'skipped'
      ])
      expect(run.summary).toContain('parallel-exec: 0 of 6 succeeded')
      expect(run.log).toContain(`Received ${signal}: stopping every running task.`)
      expect(run.log).toContain(`::error::Cancelled: the runner sent ${signal}.`)
      for (const pid of writtenPids(run.dir)) expect(isAlive(pid)).toBe(false)
      expect(liveProcessesInGroup(pgid)).toEqual([])
    }
  )

  it.each([
    ['max-workers', '0', "Invalid max-workers '0'. Expected a whole number from 1 up"],
    ['max-workers', 'abc', "Invalid max-workers 'abc'."],
    ['max-workers', '1.5', "Invalid max-workers '1.5'."],
    ['max-workers', '-2', "Invalid max-workers '-2'."],
    ['timeout', 'soon', "Invalid timeout 'soon'. Expected a duration"],
    ['shell', 'zsh', "Invalid shell 'zsh'. Expected one of: bash, sh, pwsh, none."],
    ['log', 'loud', "Invalid log 'loud'. Expected one of: grouped, stream, failures, none."],
    ['if-no-items', 'fail', "Invalid if-no-items 'fail'. Expected one of: warn, error, ignore."],
    ['fail-fast', 'yes', "Invalid fail-fast 'yes'. Expected 'true', 'false', a whole number"],
    ['fail-fast-mode', 'later', "Invalid fail-fast-mode 'later'. Expected one of: cancel, drain."],
    ['stop-on-success', '-1', "Invalid stop-on-success '-1'. Expected a whole number of tasks"],
    ['total-timeout', 'forever', "Invalid total-timeout 'forever'. Expected a duration"],
    ['total-timeout', '600h', "Invalid total-timeout '600h'. Expected a duration up to 24d"],
    ['timeout', '600h', "Invalid timeout '600h'. Expected a duration up to 24d"],
    ['retry-delay', '1h', "Invalid retry-delay '1h'. Expected a duration up to 10m"],
    ['items', '["a", ', "Invalid JSON in input 'items' at line 1, column 7."],
    ['items-file', 'missing.txt', "Invalid items-file '"],
    [
      'command',
      'echo {nope}',
      'Invalid command \'echo {nope}\': Placeholder {nope} names nothing in item 1 ("a")'
    ],
    [
      'items',
      '["\\ud800"]',
      'Invalid items: item 1 (\ufffd): the item would contain a lone surrogate (\\uD800'
    ],
    [
      'command',
      'echo `cat {}`',
      "Invalid command 'echo `cat {}`': Placeholder {} (line 1, column 11) is inside backticks"
    ],
    ['skip-passed', 'sometimes', "Invalid skip-passed 'sometimes'. Expected one of: never, rerun"],
    ['sources', '/etc/*', "Invalid sources '/etc/*': item 1 (a) gives '/etc/*', outside the"],
    ['sources', '../{}/*', "Invalid sources '../{}/*': item 1 (a) gives '../a/*', outside the"],
    ['sources', 'src/{%}', "Invalid sources 'src/{%25}': Placeholder {%25} cannot be used"]
  ])('rejects %s %p before running anything', async (input, value, message) => {
    const inputs: Record<string, string> = {
      items: 'a\nb',
      command: 'touch ran-{#}',
      [input]: value
    }
    if (input === 'items-file') delete inputs.items
    const run = await runAction(inputs)
    expect(run.code).toBe(1)
    expect(run.log).toContain(`::error::${message}`)
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })

  it('refuses items nested 5,000 levels deep with an error naming the input, not a stack overflow', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const run = await runAction({ items: `["a", {"deep": ${deep}}]`, command: 'touch ran-{#}' })
    expect(run.code).toBe(1)
    expect(run.log).toContain(
      "::error::Invalid JSON in input 'items' at line 1, column 1014: arrays and objects nest deeper than 1,000 levels. Expected JSON nested at most 1,000 levels deep."
    )
    expect(run.log).not.toContain('Maximum call stack')
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })

  it('runs an item nested 999 levels deep, and reports it in the results and the summary', async () => {
    const deep = '['.repeat(999) + ']'.repeat(999)
    const run = await runAction({ items: `["a", ${deep}]`, command: 'printf %s {} > out-{#}.txt' })
    expect(run.code).toBe(0)
    expect(readFileSync(join(run.dir, 'out-2.txt'), 'utf8')).toBe(deep)
    expect(JSON.parse(run.outputs.results as string)[1].item).toEqual(JSON.parse(deep))
    expect(run.summary).toContain('parallel-exec: 2 of 2 succeeded')
  })

  it('refuses both items and items-file', async () => {
    const run = await runAction({ items: 'a', 'items-file': 'x.txt', command: 'touch ran' })
    expect(run.log).toContain("::error::Invalid inputs: both 'items' and 'items-file' are set.")
    expect(existsSync(join(run.dir, 'ran'))).toBe(false)
  })

  it.each([
    ['warn', 0, '::warning::No items to run'],
    ['error', 1, '::error::No items to run'],
    ['ignore', 0, 'No items to run']
  ])('with no items and if-no-items %s', async (behavior, code, message) => {
    const run = await runAction({ items: '\n  \n', command: 'echo {}', 'if-no-items': behavior })
    expect(run.code).toBe(code)
    expect(run.log).toContain(message)
    expect(run.outputs).toMatchObject({ total: '0', results: '[]', 'failed-items': '[]' })
  })

  it('reads items from a file relative to the working directory', async () => {
    const run = await runAction(
      { 'items-file': 'list.jsonl', command: 'echo {n}' },
      { dir: prepareDir({ 'list.jsonl': '{"n": 1}\n{"n": 2}\n' }) }
    )
    expect(run.code).toBe(0)
    expect(results(run.outputs).map(r => r.item)).toEqual([{ n: 1 }, { n: 2 }])
  })
})

describe('log modes', () => {
  const inputs = {
    items: 'good\nbad',
    command: 'echo "line one of {}"; printf "partial {}"; [ {} = good ]',
    'max-workers': '2'
  }

  it('stream prefixes every line with the task number and item', async () => {
    const run = await runAction({ ...inputs, log: 'stream' })
    expect(run.log).toContain('[#1 good] line one of good\n')
    expect(run.log).toContain('[#2 bad] line one of bad\n')
    expect(run.log).toContain('[#2 bad] partial bad\n')
    expect(run.log).not.toContain('::group::')
  })

  it('failures prints only the failed task’s output, grouped', async () => {
    const run = await runAction({ ...inputs, log: 'failures' })
    expect(run.log).not.toContain('line one of good')
    expect(run.log).toMatch(/✅ #1 good: succeeded/)
    expect(run.log).toMatch(
      /::group::❌ #2 bad: failed \(exit code 1\) in \S+\nline one of bad\npartial bad\n::endgroup::/
    )
  })

  it('none prints no task output but keeps it in the results file', async () => {
    const run = await runAction({ ...inputs, log: 'none' })
    expect(run.log).not.toContain('line one of good')
    expect(run.log).not.toContain('::group::')
    expect(run.log).not.toMatch(/^line one of bad/m)
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    expect(file.results[1].outputTail).toBe('line one of bad\npartial bad')
  })

  it('grouped keeps large outputs exact and in order across retries, however started', async () => {
    // Enough tasks that later ones run through launchers, which write big output to the file;
    // half of them print to stdout, half to stderr.
    const items = Array.from({ length: 24 }, (_, i) => String(i + 1))
    const run = await runAction({
      items: items.join('\n'),
      command:
        'n={}; seq 1 ${n}000 >&$((n % 2 + 1)); [ -e tried-$n ] || { touch tried-$n; exit 3; }',
      'max-workers': '3',
      retries: '1',
      'retry-delay': '0'
    })
    expect(run.code).toBe(0)
    for (const item of items) {
      const attempt = `${Array.from({ length: Number(item) * 1000 }, (_, i) => i + 1).join('\n')}\n`
      const group = new RegExp(
        `::group::✅ #${item} ${item}: succeeded in \\S+ \\(2 attempts\\)\n([^]*?)::endgroup::\n`
      ).exec(run.log)?.[1]
      expect(group).toBe(
        `${attempt}\n── attempt 1 of 2 failed (exit code 3); retrying in 0ms ──\n${attempt}`
      )
    }
  })

  it('grouped never interleaves tasks and keeps every byte', async () => {
    const run = await runAction({
      items: 'a\nb\nc\nd',
      command: 'for i in $(seq 1 200); do echo "{} $i"; sleep 0.001; done',
      'max-workers': '4'
    })
    for (const item of ['a', 'b', 'c', 'd']) {
      const expected = Array.from({ length: 200 }, (_, i) => `${item} ${i + 1}`).join('\n')
      expect(run.log).toContain(`: succeeded in`)
      expect(run.log).toContain(`\n${expected}\n::endgroup::`)
    }
  })
})

/** A fresh work directory holding the given files. */
function prepareDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}
