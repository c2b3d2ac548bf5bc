import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launcherUnsupported } from '../../src/exec/launcher-program.js'
import { runAction } from '../helpers/action.js'
import { childrenNamed, onlySuite } from '../helpers/junit-xml.js'

interface RecordInFile {
  item: string
  attempts: number
  outputTail: string
}

describe('output excerpts in the results file, the JUnit file and the annotations', () => {
  it('keep the first and last lines of the last attempt, under a note of the earlier one', async () => {
    // More tasks than workers, so that they run through launchers, which write output past its
    // first 64 KiB to a file (seq 1 13000 and more); each fails once with a little output, then
    // again with n × 1,000 numbers between two lines (on stdout or stderr: one stream, so that
    // its lines come in order). The second attempt notes what started it in parent-n.
    const items = Array.from({ length: 24 }, (_, i) => String(i + 1))
    const run = await runAction({
      items: items.join('\n'),
      command:
        'n={}; echo "attempt of $n"; [ -e tried-$n ] || { touch tried-$n; seq 1 ${n}00; exit 3; }; ' +
        "{ tr '\\0' ' ' < /proc/$PPID/cmdline > parent-$n; } 2>/dev/null; " +
        '{ echo "FAIL item $n"; seq 1 ${n}000; echo "Tests: 1 failed"; } >&$((n % 2 + 1)); exit 2',
      'max-workers': '3',
      retries: '1',
      'retry-delay': '0'
    })
    expect(run.code).toBe(1)
    if (launcherUnsupported() === undefined) {
      for (const n of items.map(Number).filter(n => n >= 13)) {
        expect(readFileSync(join(run.dir, `parent-${n}`), 'utf8')).toMatch(
          /^parallel-exec launcher/
        )
      }
    }
    const note = '── output of attempt 2 of 2; attempt 1 failed (exit code 3) ──'
    const excerptOf = (n: number): string =>
      [
        note,
        `attempt of ${n}`,
        `FAIL item ${n}`,
        ...Array.from({ length: 18 }, (_, i) => String(i + 1)),
        `… ${(n * 1000 - 67).toLocaleString('en-US')} lines left out …`,
        ...Array.from({ length: 49 }, (_, i) => String(n * 1000 - 48 + i)),
        'Tests: 1 failed'
      ].join('\n')

    const file = JSON.parse(readFileSync(run.outputs['results-file'] as string, 'utf8'))
    const records = file.results as RecordInFile[]
    for (const record of records) {
      expect(record.attempts).toBe(2)
      expect(record.outputTail).toBe(excerptOf(Number(record.item)))
    }
    const suite = onlySuite(readFileSync(run.outputs['junit-file'] as string, 'utf8'))
    const failures = childrenNamed(suite, 'testcase').map(testcase => testcase.children[0])
    expect(failures.map(failure => failure?.text)).toEqual(records.map(record => record.outputTail))

    const annotations = run.log.split('\n').filter(line => line.startsWith('::error title='))
    expect(annotations).toHaveLength(9)
    for (const annotation of annotations) {
      const n = Number(/^::error title=(\d+)::/.exec(annotation)?.[1])
      const last = Array.from({ length: 5 }, (_, i) => String(n * 1000 - 4 + i))
      const lines = [note, '…', `FAIL item ${n}`, '…', ...last, 'Tests: 1 failed']
      const headline = `❌ #${n} ${n}: failed \\(exit code 2\\) in `
      expect(annotation).toMatch(
        new RegExp(`^::error title=${n}::${headline}\\S+ \\(2 attempts\\):%0A`)
      )
      expect(annotation.slice(annotation.indexOf('%0A') + 3)).toBe(lines.join('%0A'))
    }
    // The log keeps both attempts.
    expect(run.log).toContain('attempt of 24\n1\n2\n')
  }, 60_000)
})
