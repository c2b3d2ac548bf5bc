import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, waitFor } from '../helpers/action.js'
import { parseEnvFile } from '../../src/exec/step-files.js'
import { ACTION_ONLY_VARIABLES } from '../../src/exec/task-environment.js'

interface Result {
  item: string
  status: string
}
const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

/** A fresh directory with the step's own GITHUB_ENV, GITHUB_PATH and GITHUB_STATE files. */
function stepFiles(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
  const env: NodeJS.ProcessEnv = {}
  for (const name of ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE']) {
    const path = join(dir, `step-${name.toLowerCase()}`)
    writeFileSync(path, '')
    env[name] = path
  }
  return { dir, env }
}

describe("the tasks' environment", () => {
  // Eight tasks write multi-line values to GITHUB_ENV at once, a byte at a time with pauses, as
  // the step's shared file once got them: interleaved, it was unparseable.
  it('gives each task its own GITHUB_ENV and GITHUB_PATH, applied after the run in input order', async () => {
    const { dir, env } = stepFiles()
    const script = [
      'write() { local text; text=$(printf "$@"; echo .); text=${text%.}',
      '  for ((i = 0; i < ${#text}; i++)); do printf %s "${text:i:1}" >> "$GITHUB_ENV"; sleep 0.001; done; }',
      "write 'V%s<<EOF\\nfirst of %s\\nsecond of %s\\nEOF\\nSHARED=%s\\n' {} {} {} {}",
      'echo "/opt/tool-{}" >> "$GITHUB_PATH"',
      // Task 5 leaves a block open: the runner would refuse it, and it must not swallow task 6's.
      '[ {} = 5 ] && printf "BROKEN<<END\\nnever closed\\n" >> "$GITHUB_ENV"',
      // Task 7 fails after writing: what it wrote is applied all the same.
      '[ {} != 7 ]'
    ].join('\n')
    const run = await runAction(
      { items: '1\n2\n3\n4\n5\n6\n7\n8', command: script, 'max-workers': '8' },
      { dir, env }
    )
    expect(results(run.outputs).map(result => result.status)).toEqual([
      ...Array(6).fill('success'),
      'failure',
      'success'
    ])
    const applied = parseEnvFile(readFileSync(env.GITHUB_ENV as string, 'utf8'))
    const expected = [1, 2, 3, 4, 6, 7, 8].flatMap(n => [
      [`V${n}`, `first of ${n}\nsecond of ${n}`],
      ['SHARED', String(n)]
    ])
    expect(applied).toEqual({ entries: expected })
    expect(readFileSync(env.GITHUB_PATH as string, 'utf8')).toBe(
      [1, 2, 3, 4, 5, 6, 7, 8].map(n => `/opt/tool-${n}\n`).join('')
    )
    expect(run.log).toContain(
      '::warning::Task 5 (5): its GITHUB_ENV was not applied: the value that starts on line 6 has no closing delimiter line.'
    )
    // Nothing is left behind but the run's record.
    const leftovers = readdirSync(dir).filter(name => /^github-(env|path)-task/.test(name))
    expect(leftovers).toEqual([])
  }, 60_000)

  it('applies what tasks wrote to GITHUB_ENV when the run is cancelled', async () => {
    const { dir, env } = stepFiles()
    const run = await runAction(
      {
        items: 'a\nb',
        command: 'echo "FROM_{}=1" >> "$GITHUB_ENV"; touch wrote-{}; sleep 300',
        'max-workers': '2'
      },
      {
        dir,
        env,
        onStart: child => {
          void waitFor(
            () => readdirSync(dir).filter(n => n.startsWith('wrote-')).length === 2
          ).then(() => child.kill('SIGTERM'))
        }
      }
    )
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(result => result.status)).toEqual(['cancelled', 'cancelled'])
    expect(parseEnvFile(readFileSync(env.GITHUB_ENV as string, 'utf8'))).toEqual({
      entries: [
        ['FROM_a', '1'],
        ['FROM_b', '1']
      ]
    })
  }, 30_000)

  it("keeps what a run: step would not get out of the tasks' environment", async () => {
    const { dir, env } = stepFiles()
    for (const name of ACTION_ONLY_VARIABLES) {
      if (name !== 'GITHUB_STATE') env[name] = `value-of-${name}`
    }
    env.ACTIONS_STEP_DEBUG_NOT_OURS = 'kept'
    const run = await runAction(
      {
        items: 'a',
        command: 'env > task-env.txt; echo "x=1" >> "${GITHUB_STATE:-state-was-unset}"'
      },
      { dir, env }
    )
    expect(run.code).toBe(0)
    const names = readFileSync(join(dir, 'task-env.txt'), 'utf8')
      .split('\n')
      .map(line => line.slice(0, line.indexOf('=')))
    for (const name of ACTION_ONLY_VARIABLES) expect(names).not.toContain(name)
    expect(names).toContain('ACTIONS_STEP_DEBUG_NOT_OURS')
    expect(names).toEqual(expect.arrayContaining(['GITHUB_ENV', 'GITHUB_PATH', 'PARALLEL_ITEM']))
    expect(readFileSync(env.GITHUB_STATE as string, 'utf8')).toBe('')
  })

  // The runner fails the step, dropping the whole file, past 500 artifacts per job (among other
  // rules the action cannot apply): three tasks appending theirs would have made 24,000.
  it('gives tasks no GITHUB_ARTIFACTS nor any runner file command it does not know', async () => {
    const { dir, env } = stepFiles()
    const commands = join(dir, '_runner_file_commands')
    mkdirSync(commands)
    for (const [name, file] of [
      ['GITHUB_ARTIFACTS', 'artifacts_1'],
      ['GITHUB_ARTIFACTS_LIST', 'artifacts_list_1'],
      ['GITHUB_FUTURE_COMMAND', 'future_command_1']
    ] as const) {
      env[name] = join(commands, file)
      writeFileSync(env[name], name === 'GITHUB_ARTIFACTS_LIST' ? '{"version":1}' : '')
    }
    env.GITHUB_NOT_A_FILE_COMMAND = join(dir, 'elsewhere')
    const run = await runAction(
      {
        items: 'a\nb\nc',
        command:
          'env > env-{}.txt; cat "$GITHUB_ARTIFACTS_LIST" > list-{}.txt; ' +
          'for i in $(seq 8000); do echo "ref-{}-$i@sha256:$i"; done >> "${GITHUB_ARTIFACTS:-unset-$PARALLEL_ITEM}"; ' +
          'echo x >> "${GITHUB_FUTURE_COMMAND:-/dev/null}"'
      },
      { dir, env }
    )
    expect(run.code).toBe(0)
    expect(readFileSync(env.GITHUB_ARTIFACTS as string, 'utf8')).toBe('')
    expect(readFileSync(env.GITHUB_FUTURE_COMMAND as string, 'utf8')).toBe('')
    for (const item of ['a', 'b', 'c']) {
      const names = readFileSync(join(dir, `env-${item}.txt`), 'utf8')
        .split('\n')
        .map(line => line.slice(0, line.indexOf('=')))
      expect(names).not.toContain('GITHUB_ARTIFACTS')
      expect(names).not.toContain('GITHUB_FUTURE_COMMAND')
      expect(names).toEqual(
        expect.arrayContaining(['GITHUB_ARTIFACTS_LIST', 'GITHUB_NOT_A_FILE_COMMAND'])
      )
      expect(readFileSync(join(dir, `list-${item}.txt`), 'utf8')).toBe('{"version":1}')
      expect(readFileSync(join(dir, `unset-${item}`), 'utf8').split('\n')).toHaveLength(8001)
    }
  }, 30_000)

  // The retry, and the next task in the same worker slot, used to truncate the linked file.
  it('never empties a file a task hard-linked in place of its own files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
    const victims = ['output', 'summary'].map(name => join(dir, `victim-${name}`))
    for (const victim of victims) writeFileSync(victim, 'keep me\n')
    const run = await runAction(
      {
        items: 'a\nb',
        'max-workers': '1',
        retries: '1',
        'retry-delay': '0',
        command:
          'if [ {} = a ]; then rm -f "$GITHUB_OUTPUT" "$GITHUB_STEP_SUMMARY"; ' +
          'ln victim-output "$GITHUB_OUTPUT"; ln victim-summary "$GITHUB_STEP_SUMMARY"; exit 1; fi; ' +
          'echo "b=1" >> "$GITHUB_OUTPUT"'
      },
      { dir }
    )
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(result => result.status)).toEqual(['failure', 'success'])
    for (const victim of victims) expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
  }, 30_000)

  it('runs an item over 128 KiB that its command does not carry, giving it in PARALLEL_ITEM_FILE', async () => {
    const big = 'é'.repeat(70_000)
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
    writeFileSync(join(dir, 'items.json'), JSON.stringify(['small', big]))
    const run = await runAction(
      {
        'items-file': 'items.json',
        command:
          'cp "${PARALLEL_ITEM_FILE:-/dev/null}" item-{#}; echo "${PARALLEL_ITEM-unset}" > var-{#}'
      },
      { dir }
    )
    expect(run.code).toBe(0)
    expect(readFileSync(join(dir, 'item-2'), 'utf8')).toBe(big)
    expect(readFileSync(join(dir, 'var-2'), 'utf8')).toBe('unset\n')
    expect(readFileSync(join(dir, 'item-1'), 'utf8')).toBe('')
    expect(readFileSync(join(dir, 'var-1'), 'utf8')).toBe('small\n')
  })

  // Each argument is under 128 KiB, but together they are over the system's 2 MiB: without the
  // check, the first task ran and the second failed with `spawn E2BIG` once it started.
  it("refuses arguments and environment over the system's total before running anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
    writeFileSync(join(dir, 'items.json'), JSON.stringify(['ok', 'x'.repeat(100_000)]))
    const run = await runAction(
      {
        'items-file': 'items.json',
        shell: 'none',
        command: `sh -c 'touch ran-$0' {#}${' {}'.repeat(21)}`
      },
      { dir }
    )
    expect(run.code).toBe(1)
    expect(run.log).toMatch(
      /::error::Invalid items-file 'items.json': item 2 \(x{39}…\): its arguments and environment would take 2,1\d\d,\d{3} bytes, over the system's limit of 2,097,152 bytes for starting a process/
    )
    expect(readdirSync(dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })
})
