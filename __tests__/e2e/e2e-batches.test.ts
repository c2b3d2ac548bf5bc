import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

interface Result {
  index: number
  item: string
  status: string
  exitCode: number | null
  durationMs: number
  batch?: number
  attempts: number
  flaky?: true
}
const results = (outputs: Record<string, string>): Result[] =>
  JSON.parse(outputs.results as string) as Result[]

/** What one batch's command saw: its arguments and the variables it was given. */
interface Seen {
  argv: string[]
  seq: string
  size: string
  item: string | undefined
  itemFile: string | undefined
}

let scripts: string
/** Writes a script that records its arguments and PARALLEL_* variables to DIR/batch-N.json. */
beforeAll(() => {
  scripts = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-'))
  writeFileSync(
    join(scripts, 'dump.mjs'),
    [
      "import { readFileSync, writeFileSync } from 'node:fs'",
      'const [dir, number, ...argv] = process.argv.slice(2)',
      'const file = process.env.PARALLEL_ITEM_FILE',
      'const seen = { argv, seq: process.env.PARALLEL_SEQ, size: process.env.PARALLEL_BATCH_SIZE,',
      '  item: process.env.PARALLEL_ITEM, itemFile: file ? readFileSync(file, "utf8") : undefined }',
      'writeFileSync(`${dir}/batch-${number}.json`, JSON.stringify(seen))',
      // Exits 3 when an argument is "fail": the whole batch fails.
      'if (argv.includes("fail")) process.exit(3)'
    ].join('\n')
  )
})

/** What each batch's command recorded, by batch number. */
function seenBatches(dir: string): Map<number, Seen> {
  const seen = new Map<number, Seen>()
  for (const name of readdirSync(dir)) {
    const number = /^batch-(\d+)\.json$/.exec(name)?.[1]
    if (number === undefined) continue
    seen.set(Number(number), JSON.parse(readFileSync(join(dir, name), 'utf8')) as Seen)
  }
  return seen
}

// Item texts a shell would take apart or act on if they reached it as code.
const HOSTILE = [
  'a b.ts',
  "it's.ts",
  '$(touch pwned).ts',
  '`id`.ts',
  '"quoted".ts',
  '-rf',
  '*.ts',
  '{}.ts',
  'ünïcødé ✓.ts',
  'semi;colon.ts'
]

describe('batch-size through dist/index.js', () => {
  for (const shell of ['bash', 'sh', 'none']) {
    it(`gives each batch's command one argument per item, in order, with ${shell}`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
      const run = await runAction({
        items: JSON.stringify(HOSTILE),
        command: `node ${scripts}/dump.mjs ${out} {#} {}`,
        shell,
        'batch-size': '4',
        'max-workers': '2'
      })
      expect(run.code).toBe(0)
      const seen = seenBatches(out)
      expect([...seen.keys()].sort()).toEqual([1, 2, 3])
      expect(seen.get(1)?.argv).toEqual(HOSTILE.slice(0, 4))
      expect(seen.get(2)?.argv).toEqual(HOSTILE.slice(4, 8))
      expect(seen.get(3)?.argv).toEqual(HOSTILE.slice(8))
      expect(existsSync(join(run.dir, 'pwned.ts'))).toBe(false)
      // Every item has its own result, with the number of the batch that ran it.
      expect(results(run.outputs).map(r => [r.item, r.status, r.batch])).toEqual(
        HOSTILE.map((item, i) => [item, 'success', Math.floor(i / 4) + 1])
      )
      expect(run.outputs.total).toBe('10')
      expect(run.outputs.succeeded).toBe('10')
      expect(run.log).toContain('Running 10 items in 3 batches of up to 4 on 2 workers')
    }, 60_000)
  }

  it("sets PARALLEL_ITEM to the JSON of the batch's items, PARALLEL_SEQ and PARALLEL_BATCH_SIZE", async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const items = ['x.ts', 'y z.ts', 'w.ts']
    const run = await runAction({
      items: items.join('\n'),
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': '2'
    })
    expect(run.code).toBe(0)
    const seen = seenBatches(out)
    expect(seen.get(1)).toMatchObject({ seq: '1', size: '2', item: '["x.ts","y z.ts"]' })
    expect(seen.get(2)).toMatchObject({ seq: '2', size: '1', item: '["w.ts"]' })
    expect(JSON.parse(seen.get(1)?.itemFile ?? 'null')).toEqual(['x.ts', 'y z.ts'])
  }, 60_000)

  it('refuses a placeholder that cannot become one word per item, before anything runs', async () => {
    for (const [shell, command] of [
      ['bash', 'touch ran; echo "{}"'],
      ['sh', "touch ran; echo 'x'{}"],
      ['none', 'touch ran --file={}']
    ] as const) {
      const run = await runAction({ items: 'a\nb', command, shell, 'batch-size': '2' })
      expect(run.code).toBe(1)
      expect(run.log).toMatch(/Invalid command '.*': .*\{\}.*batch-size/)
      expect(existsSync(join(run.dir, 'ran'))).toBe(false)
    }
  }, 60_000)

  it('refuses a batch command the items would not reach, before anything runs', async () => {
    for (const [shell, command, size] of [
      ['bash', 'touch ran-{#}', '2'],
      ['sh', 'touch ran-{#}.txt', 'auto'],
      ['none', 'touch ran', '2']
    ] as const) {
      const run = await runAction({ items: 'a\nb', command, shell, 'batch-size': size })
      expect(run.code).toBe(1)
      expect(run.log).toContain(
        `::error::Invalid command '${command}': with batch-size ${size} it has no placeholder ` +
          `for the items of a batch, which would not reach it. Expected {} where the items go, ` +
          `e.g. '${command} {}'.`
      )
      expect(readdirSync(run.dir).filter(name => name.startsWith('ran'))).toEqual([])
    }
  }, 60_000)

  it('gives every item of a failed batch its status, exit code and batch; counts count items', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const run = await runAction({
      items: 'a\nb\nfail\nd\ne\nf',
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': '3'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => [r.item, r.status, r.exitCode, r.batch])).toEqual([
      ['a', 'failure', 3, 1],
      ['b', 'failure', 3, 1],
      ['fail', 'failure', 3, 1],
      ['d', 'success', 0, 2],
      ['e', 'success', 0, 2],
      ['f', 'success', 0, 2]
    ])
    expect(JSON.parse(run.outputs['failed-items'] as string)).toEqual(['a', 'b', 'fail'])
    expect([run.outputs.total, run.outputs.failed, run.outputs.succeeded]).toEqual(['6', '3', '3'])
    // The log names the batch once, by its items, not each item.
    expect(run.log).toContain('❌ Batch 1 (a, b, fail): failed (exit code 3)')
    expect(run.log).toContain('✅ Batch 2 (d, e, f): succeeded')
    // The job log has a line per item, with its batch.
    const jobLog = readFileSync(run.outputs['job-log'] as string, 'utf8')
    const lines = jobLog
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line) as { seq: number; item: string; batch: number; status: string })
    expect(lines.map(line => [line.seq, line.item, line.batch, line.status]).sort()).toEqual([
      [1, 'a', 1, 'failure'],
      [2, 'b', 1, 'failure'],
      [3, 'fail', 1, 'failure'],
      [4, 'd', 2, 'success'],
      [5, 'e', 2, 'success'],
      [6, 'f', 2, 'success']
    ])
  }, 60_000)

  it("prefixes a batch's lines with its short title in stream mode", async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: 'printf "%s\\n" {}',
      'batch-size': '2',
      log: 'stream'
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('[Batch 1] a\n')
    expect(run.log).toContain('[Batch 1] b\n')
    expect(run.log).toContain('[Batch 2] c\n')
    expect(run.log).not.toContain('[Batch 1 (')
  }, 60_000)

  it('makes as many batches as workers under auto, of equal counts without history', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const items = Array.from({ length: 10 }, (_, i) => `item${i}`)
    const run = await runAction({
      items: items.join('\n'),
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': 'auto',
      'max-workers': '2'
    })
    expect(run.code).toBe(0)
    expect(seenBatches(out).get(1)?.argv).toEqual(items.slice(0, 5))
    expect(seenBatches(out).get(2)?.argv).toEqual(items.slice(5))
    expect(run.log).toContain('Running 10 items in 2 batches (auto) on 2 workers')
  }, 60_000)

  it('balances auto by the history: an item ten times slower gets a batch with fewer items', async () => {
    const items = ['i1', 'i2', 'slow', 'i4', 'i5', 'i6', 'i7', 'i8']
    const command = '[ {} = slow ] && sleep 2 || sleep 0.2'
    // A first run, one item per command, learns each item's duration.
    const first = await runAction({ items: items.join('\n'), command, 'max-workers': '2' })
    expect(first.code).toBe(0)
    const history = join(first.dir, 'history.json')
    writeFileSync(history, readFileSync(first.outputs['history-file'] as string))
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const run = await runAction({
      items: items.join('\n'),
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': 'auto',
      'max-workers': '2',
      history
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Durations known for 8 of 8')
    // Longest first onto the least-loaded batch: alone, or with fewer items when the machine
    // slowed the short ones down in the first run.
    const argvs = [...seenBatches(out).values()].map(seen => seen.argv)
    expect(argvs).toHaveLength(2)
    const slow = argvs.find(argv => argv.includes('slow')) ?? []
    const other = argvs.find(argv => !argv.includes('slow')) ?? []
    expect(slow.length).toBeLessThan(other.length)
    expect([...slow, ...other].sort()).toEqual([...items].sort())
    // Without the history, the slow item would share a batch of four.
    const plain = await runAction({
      items: items.join('\n'),
      command: `echo {}`,
      'batch-size': 'auto',
      'max-workers': '2'
    })
    expect(results(plain.outputs).find(r => r.item === 'slow')?.batch).toBe(1)
    expect(results(plain.outputs).filter(r => r.batch === 1)).toHaveLength(4)
  }, 90_000)

  it('keeps a slow item slow in the history through a batched run, and auto puts it apart next', async () => {
    const items = ['i1', 'i2', 'slow', 'i4', 'i5', 'i6', 'i7', 'i8']
    const sleep = (word: string): string => `[ ${word} = slow ] && sleep 2 || sleep 0.2`
    const carry = (run: { dir: string; outputs: Record<string, string> }): string => {
      const path = join(run.dir, 'history.json')
      writeFileSync(path, readFileSync(run.outputs['history-file'] as string))
      return path
    }
    const durations = (run: { outputs: Record<string, string> }): Map<string, number> => {
      const file = JSON.parse(readFileSync(run.outputs['history-file'] as string, 'utf8')) as {
        items: Record<string, { results: { ms: number }[] }>
      }
      return new Map(
        Object.entries(file.items).map(([key, entry]) => [key, entry.results.at(-1)!.ms])
      )
    }
    // One item per command: `slow` takes 2 s, the others 0.2 s.
    const alone = await runAction({
      items: items.join('\n'),
      command: sleep('{}'),
      'max-workers': '2'
    })
    expect(alone.code).toBe(0)
    // Batches of two: slow shares one with i4, which takes 2.2 s.
    const batched = await runAction({
      items: items.join('\n'),
      command: `for f in {}; do ${sleep('"$f"')}; done`,
      'batch-size': '2',
      'max-workers': '2',
      history: carry(alone)
    })
    expect(batched.code).toBe(0)
    expect(results(batched.outputs).find(r => r.item === 'slow')?.batch).toBe(2)
    const learned = durations(batched)
    // Its share stays about ten times i4's, not half the batch each.
    expect(learned.get('slow')).toBeGreaterThan(5 * (learned.get('i4') as number))
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const next = await runAction({
      items: items.join('\n'),
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': 'auto',
      'max-workers': '2',
      history: carry(batched)
    })
    expect(next.code).toBe(0)
    const argvs = [...seenBatches(out).values()].map(seen => seen.argv)
    expect(argvs.find(argv => argv.includes('slow'))).toEqual(['slow'])
  }, 90_000)

  it('starts the batch with the longest known time first', async () => {
    const items = 'a\nb\nc\nd'
    // a takes 0.5 s and c 1 s: batch 2 (c, d) is the longer, though a is longer than b.
    const first = await runAction({
      items,
      command: 'case {} in a) sleep 0.5 ;; c) sleep 1 ;; esac'
    })
    expect(first.code).toBe(0)
    const history = join(first.dir, 'history.json')
    writeFileSync(history, readFileSync(first.outputs['history-file'] as string))
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    // One worker: the order the batches start in is the order of the lines.
    const run = await runAction({
      items,
      command: `: {}; echo {#} >> ${out}/order`,
      'batch-size': '2',
      'max-workers': '1',
      history
    })
    expect(run.code).toBe(0)
    expect(readFileSync(join(out, 'order'), 'utf8')).toBe('2\n1\n')
  }, 60_000)

  it('splits a batch over 128 KiB in bash into parts that fit, and runs every item once', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const items = Array.from(
      { length: 3000 },
      (_, i) => `item-${String(i).padStart(4, '0')}-${'x'.repeat(90)}`
    )
    const itemsFile = join(out, 'items.txt')
    writeFileSync(itemsFile, items.join('\n'))
    const run = await runAction({
      'items-file': itemsFile,
      command: `printf '%s\\n' {} > ${out}/part-{#}.txt`,
      'batch-size': '3000',
      'max-workers': '2'
    })
    expect(run.code).toBe(0)
    const parts = readdirSync(out).filter(name => name.startsWith('part-'))
    expect(parts.length).toBeGreaterThan(1)
    const lines = parts
      .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]))
      .flatMap(name => readFileSync(join(out, name), 'utf8').split('\n').filter(Boolean))
    expect(lines).toEqual(items)
    expect(run.log).toMatch(/Split 1 batch that was too long for one command line: \d+ batches/)
    expect(run.outputs.succeeded).toBe('3000')
  }, 120_000)

  it('runs a failed batch again whole under retries', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    // Each batch fails its first attempt and passes its second.
    const command = `echo {} >> ${out}/count-{#}; [ "$(wc -l < ${out}/count-{#})" -ge 2 ]`
    const run = await runAction({
      items: 'a\nb\nc\nd',
      command,
      'batch-size': '2',
      retries: '1',
      'retry-delay': '0s'
    })
    expect(run.code).toBe(0)
    expect(readFileSync(join(out, 'count-1'), 'utf8')).toBe('a b\na b\n')
    expect(readFileSync(join(out, 'count-2'), 'utf8')).toBe('c d\nc d\n')
    expect(results(run.outputs).map(r => [r.item, r.status, r.attempts, r.flaky])).toEqual([
      ['a', 'success', 2, true],
      ['b', 'success', 2, true],
      ['c', 'success', 2, true],
      ['d', 'success', 2, true]
    ])
  }, 60_000)

  it('times out a batch as a whole: every item of it is timed out', async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: 'sleep 20; echo {}',
      'batch-size': '2',
      timeout: '1s'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => [r.item, r.status, r.batch])).toEqual([
      ['a', 'timed-out', 1],
      ['b', 'timed-out', 1],
      ['c', 'timed-out', 2]
    ])
    expect(run.outputs['timed-out']).toBe('3')
  }, 60_000)

  it('counts a fail-fast percentage in batches, and halts after the batch that failed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    // Four batches of two, one after the other; the first two fail. 50% of 4 batches is 2
    // (of 8 items it would be 4: the run would not halt).
    const run = await runAction({
      items: 'fail\nb\nfail\nd\ne\nf\ng\nh',
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': '2',
      'max-workers': '1',
      'fail-fast': '50%'
    })
    expect(run.code).toBe(1)
    expect(results(run.outputs).map(r => [r.status, r.batch])).toEqual([
      ['failure', 1],
      ['failure', 1],
      ['failure', 2],
      ['failure', 2],
      ['skipped', 3],
      ['skipped', 3],
      ['skipped', 4],
      ['skipped', 4]
    ])
    expect([...seenBatches(out).keys()].sort()).toEqual([1, 2])
    expect(run.log).toContain('fail-fast: after 2 batches, cancel')
    // Every count says whether it counts batches or items.
    expect(run.log).toContain('Halted early: fail-fast: 2 batches did not succeed (4 items).')
    expect(run.log).toMatch(/Done in \S+: 4 failed \(2 batches\), 4 skipped \(2 batches\)\.\n/)
    expect(run.log).toContain(
      '::error::4 of 8 items did not succeed (4 failed), in 2 of 4 batches: fail (#1), b, fail (#3), d.'
    )
    const first = await runAction({
      items: 'fail\nb\nc',
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': '2',
      'max-workers': '1',
      'fail-fast': 'true'
    })
    expect(first.log).toContain('Halted early: fail-fast after batch 1 (fail, b) failed.')
  }, 60_000)

  it('counts stop-on-success in batches: the first batch that succeeds halts the run', async () => {
    const run = await runAction({
      items: 'a\nb\nc\nd\ne',
      command: 'echo {}',
      'batch-size': '2',
      'max-workers': '1',
      'stop-on-success': '1'
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('stop-on-success: 1 batch)')
    expect(run.log).toContain('Halted early: stop-on-success: 1 batch succeeded (2 items).')
    expect(results(run.outputs).map(r => [r.status, r.batch])).toEqual([
      ['success', 1],
      ['success', 1],
      ['skipped', 2],
      ['skipped', 2],
      ['skipped', 3]
    ])
  }, 60_000)

  it("batches a shard's own items, numbered from 1, after the shard is taken", async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    const run = await runAction({
      items: 'a\nb\nc\nd\ne\nf',
      command: `node ${scripts}/dump.mjs ${out} {#} {}`,
      'batch-size': '2',
      shard: '0/2'
    })
    expect(run.code).toBe(0)
    // Shard 0 of 2 is dealt a, c and e; its batches hold only them.
    expect([...seenBatches(out)].sort().map(([n, seen]) => [n, seen.argv])).toEqual([
      [1, ['a', 'c']],
      [2, ['e']]
    ])
    expect(results(run.outputs).map(r => [r.index, r.item, r.batch])).toEqual([
      [0, 'a', 1],
      [2, 'c', 1],
      [4, 'e', 2]
    ])
  }, 60_000)

  it('leaves items reused by skip-passed out of every batch', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parallel-exec-batches-out-'))
    // The same command both times: an item is reused only for the command it succeeded with.
    const inputs = { items: 'a\nfail\nc\nd', command: `node ${scripts}/dump.mjs ${out} {#} {}` }
    const attempt = (n: number) => ({ GITHUB_RUN_ID: '5', GITHUB_RUN_ATTEMPT: String(n) })
    const one = await runAction(inputs, { env: attempt(1) })
    expect(one.outputs.failed).toBe('1')
    const history = join(one.dir, 'history.json')
    writeFileSync(history, readFileSync(one.outputs['history-file'] as string))
    for (const name of readdirSync(out)) rmSync(join(out, name))
    const two = await runAction(
      {
        ...inputs,
        'batch-size': '2',
        history,
        'skip-passed': 'rerun'
      },
      { env: attempt(2) }
    )
    expect([...seenBatches(out)].map(([n, seen]) => [n, seen.argv])).toEqual([[1, ['fail']]])
    expect(results(two.outputs).map(r => [r.item, r.status, r.batch])).toEqual([
      ['a', 'reused', undefined],
      ['fail', 'failure', 1],
      ['c', 'reused', undefined],
      ['d', 'reused', undefined]
    ])
  }, 60_000)

  it('titles a batch of matrix combinations with ; between them, in the log and the summary', async () => {
    const run = await runAction({
      matrix: 'os: [linux, macos]\nnode: [20, 22]',
      command: 'echo {os} {node}',
      'batch-size': '2'
    })
    expect(run.code).toBe(0)
    const title = 'Batch 1 (os=linux, node=20; os=linux, node=22)'
    expect(run.log).toContain(`✅ ${title}: succeeded`)
    expect(run.log).toContain('Batch 2 (os=macos, node=20; os=macos, node=22)')
    expect(run.log).toMatch(/Done in \S+: 4 succeeded \(2 batches\)\.\n/)
    expect(run.summary).toContain('✅ <strong>4</strong> succeeded (2 batches)')
  }, 60_000)

  it('prints one line per batch on a dry run and reports every item', async () => {
    const run = await runAction({
      items: 'a\nb\nc',
      command: 'echo {}',
      'batch-size': '2',
      'dry-run': 'true'
    })
    expect(run.code).toBe(0)
    expect(run.log).toContain('Dry run: 3 items in 2 batches of up to 2, nothing is run.')
    expect(run.log).toContain("Batch 1 (a, b): 2 items\n  echo 'a' 'b'")
    expect(results(run.outputs).map(r => [r.item, r.status, r.batch])).toEqual([
      ['a', 'skipped', 1],
      ['b', 'skipped', 1],
      ['c', 'skipped', 2]
    ])
  }, 60_000)
})
