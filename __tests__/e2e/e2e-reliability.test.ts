import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

interface Result {
  item: unknown
  status: string
  exitCode: number | null
  signal: string | null
  attempts: number
  outputs: Record<string, string>
}

const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

describe('retries', () => {
  it('runs a failing task again until it succeeds, and says so in the log and summary', async () => {
    const run = await runAction({
      items: 'flaky\nsteady',
      command:
        'echo x >> count-{}; n=$(wc -l < count-{}); echo "attempt $n"; [ {} = steady ] || [ "$n" -ge 3 ]',
      retries: '2',
      'retry-delay': '0'
    })
    expect(run.code).toBe(0)
    expect(results(run.outputs).map(r => [r.item, r.status, r.attempts])).toEqual([
      ['flaky', 'success', 3],
      ['steady', 'success', 1]
    ])
    expect(run.log).toMatch(/::group::✅ #1 flaky: succeeded in \S+ \(3 attempts\)/)
    expect(run.log).toContain('── attempt 1 of 3 failed (exit code 1); retrying in 0ms ──')
    expect(run.summary).toContain(
      '1 task failed, then succeeded on a retry: <code>flaky</code> (3 attempts).'
    )
    // Flaky: counted in its output, and warned of once.
    expect(run.outputs.flaky).toBe('1')
    expect(run.log).toMatch(
      /^::warning title=flaky::✅ #1 flaky: succeeded in \S+ \(3 attempts\): flaky, it failed and then succeeded on a retry\.$/m
    )
  })

  it('gives up after the last retry', async () => {
    const run = await runAction({
      items: 'a',
      command: 'exit 7',
      retries: '1',
      'retry-delay': '10ms'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs)[0]).toMatchObject({ status: 'failure', attempts: 2 })
  })
})

describe('the environment tasks see', () => {
  it('gives each task its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY and collects them', async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: [
        'echo "name={}" >> "$GITHUB_OUTPUT"',
        'printf "multi<<EOF\\nline 1\\nline 2\\nEOF\\n" >> "$GITHUB_OUTPUT"',
        '[ {} = b ] || echo "**report of {}** <b>bold</b>" >> "$GITHUB_STEP_SUMMARY"'
      ].join('\n'),
      'max-workers': '3'
    })
    expect(run.code).toBe(0)
    expect(results(run.outputs).map(r => r.outputs)).toEqual([
      { name: 'a', multi: 'line 1\nline 2' },
      { name: 'b', multi: 'line 1\nline 2' },
      { name: 'c', multi: 'line 1\nline 2' }
    ])
    // The step's own outputs are only the action's.
    expect(run.outputs.name).toBeUndefined()
    expect(run.summary).toContain('## Task summaries')
    expect(run.summary).toContain('<h3>1. a</h3>\n\n**report of a** <b>bold</b>\n')
    expect(run.summary).toContain('<h3>3. c</h3>\n\n**report of c** <b>bold</b>\n')
    expect(run.summary).not.toContain('<h3>2. b</h3>')
  })
})

describe('limits and sizes', () => {
  it('cuts the results output past its budget, says so, and keeps everything in results-file', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `${'n'.repeat(200)}-${i}`)
    // Inputs reach the action as environment variables, which Linux caps at 128 KiB each:
    // a list this long has to come from a file, on the runner as here.
    const run = await runAction(
      {
        'items-file': 'items.txt',
        command: 'true',
        log: 'none',
        'max-workers': '4'
      },
      { dir: prepareDir({ 'items.txt': items.join('\n') }) }
    )
    expect(run.code).toBe(0)
    expect(run.outputs['results-truncated']).toBe('true')
    expect(Buffer.byteLength(run.outputs.results as string)).toBeLessThanOrEqual(512 * 1024)
    const shown = results(run.outputs)
    expect(shown.length).toBeGreaterThan(100)
    expect(shown.length).toBeLessThan(3000)
    expect(shown.map(r => r.item)).toEqual(items.slice(0, shown.length))
    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    expect(file.results).toHaveLength(3000)
    expect(run.log).toContain(
      "::warning::The results output was cut to stay within GitHub's output size limit"
    )
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
  })

  it('reports results-truncated false for an ordinary run', async () => {
    const run = await runAction({ items: 'a', command: 'true' })
    expect(run.outputs['results-truncated']).toBe('false')
  })

  it.each([
    [
      'a NUL byte',
      JSON.stringify(['ok', 'a\u0000b']),
      'Invalid items-file \'items.json\': Placeholder {} cannot be used for item 2 ("a\\u0000b"): its value contains a NUL character'
    ],
    [
      'an argument over 128 KiB',
      JSON.stringify(['ok', 'x'.repeat(140_000)]),
      "Invalid items-file 'items.json': item 2 (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…): argument 6 of its command would be 140,021 bytes, over Linux's limit"
    ]
  ])('refuses an item with %s before running anything', async (_, items, message) => {
    const run = await runAction(
      { 'items-file': 'items.json', command: 'touch ran-{#}; echo {}' },
      { dir: prepareDir({ 'items.json': items }) }
    )
    expect(run.code).toBe(1)
    expect(run.log).toContain(`::error::${message}`)
    expect(readdirSync(run.dir).filter(name => name.startsWith('ran-'))).toEqual([])
  })

  it.each([
    ['without newlines', "head -c 52428800 /dev/zero | tr '\\0' z", 52428800],
    [
      'with newlines',
      // Not `yes | head`: under pipefail (as GitHub's bash) yes's SIGPIPE fails the task.
      'head -c 52428800 < <(yes zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz)',
      // 655,360 lines of 79 z's and a newline
      51773440
    ]
  ])(
    'keeps memory bounded when 20 tasks print 50 MB each %s, and every byte reaches the log',
    async (_, command, zPerTask) => {
      let bytes = 0
      let zCount = 0
      const run = await runAction(
        {
          items: Array.from({ length: 20 }, (_, i) => String(i)).join('\n'),
          command,
          'max-workers': '4'
        },
        {
          onLog: chunk => {
            bytes += chunk.length
            for (let at = 0; at < chunk.length; at++) if (chunk[at] === 122) zCount++
          }
        }
      )
      expect(run.code).toBe(0)
      // No line of our own has a 'z': every one of them in the log came from a task.
      expect(zCount).toBe(20 * zPerTask)
      expect(bytes).toBeGreaterThan(20 * 52428800)
      expect(run.peakRss).toBeGreaterThan(0)
      expect(run.peakRss).toBeLessThan(150 * 1024 * 1024)
      console.log(`peak RSS with 20 × 50 MB ${_}: ${(run.peakRss / 1048576).toFixed(1)} MiB`)
    },
    120_000
  )
})

describe('exit codes and signals', () => {
  it('are right for every way a task can end', async () => {
    const dir = prepareDir({ 'not-executable.sh': '#!/bin/sh\necho hi\n' })
    const cases: [string, string, number, string | null][] = [
      ['exit 0', 'success', 0, null],
      ['exit 42', 'failure', 42, null],
      ['kill -KILL $$', 'failure', 137, 'SIGKILL'],
      ['kill -INT $$', 'failure', 130, 'SIGINT'],
      ['no-such-command-xyz', 'failure', 127, null],
      ['./not-executable.sh', 'failure', 126, null],
      ['sleep 60', 'timed-out', 143, 'SIGTERM'],
      ['sleep 60 & echo started', 'success', 0, null]
    ]
    const run = await runAction(
      { items: JSON.stringify(cases.map(c => c[0])), timeout: '2s', 'max-workers': '8' },
      { dir }
    )
    expect(results(run.outputs).map(r => [r.item, r.status, r.exitCode, r.signal])).toEqual(cases)
  })

  it('without a shell: 127 for a missing program, 126 for one that cannot run', async () => {
    const dir = prepareDir({ 'not-executable.sh': '#!/bin/sh\necho hi\n' })
    const run = await runAction(
      { items: '["./no-such-program", "./not-executable.sh"]', shell: 'none' },
      { dir }
    )
    expect(results(run.outputs).map(r => [r.status, r.exitCode])).toEqual([
      ['failure', 127],
      ['failure', 126]
    ])
    expect(run.log).toContain('spawn ./no-such-program ENOENT')
  })
})

/** A fresh work directory holding the given files. */
function prepareDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallel-exec-e2e-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}
