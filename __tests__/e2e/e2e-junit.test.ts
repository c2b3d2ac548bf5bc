import { describe, expect, it } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runAction, waitFor, type ActionRun } from '../helpers/action.js'
import { childrenNamed, onlySuite, type XmlElement } from '../helpers/junit-xml.js'

/** The run's JUnit file, parsed: checked to sit next to its results file. */
function junitOf(run: ActionRun): XmlElement {
  const path = run.outputs['junit-file'] as string
  expect(path).toBe(join(dirname(run.outputs['results-file'] as string), 'junit.xml'))
  return onlySuite(readFileSync(path, 'utf8'))
}

/** The suite's counts, as the outputs name them. */
function countsOf(suite: XmlElement): Record<string, string | undefined> {
  const { tests, failures, errors, skipped } = suite.attributes
  return { tests, failures, errors, skipped }
}

/** The counts the outputs give, as the suite should carry them. */
function countsFromOutputs(outputs: Record<string, string>, errors = 0): Record<string, string> {
  const count = (name: string): number => Number(outputs[name])
  return {
    tests: outputs.total as string,
    failures: String(count('failed') + count('timed-out')),
    errors: String(errors),
    skipped: String(count('skipped') + count('cancelled'))
  }
}

/** Each testcase as [name, its outcome element's name or '', that element's message or text]. */
function casesOf(suite: XmlElement): [string, string, string][] {
  return childrenNamed(suite, 'testcase').map(testcase => {
    const outcome = testcase.children[0]
    return [
      testcase.attributes.name as string,
      outcome?.name ?? '',
      outcome?.attributes.message ?? ''
    ]
  })
}

describe('junit-file', () => {
  it('reports a run with a failure, a timeout and a skip, whatever the output holds', async () => {
    const run = await runAction({
      tasks: [
        'ok: echo fine',
        'broken: |',
        `  printf '\\001\\033[31m ]]> <x> & "q" \\377\\376\\n'; exit 3`,
        'slow:',
        '  run: sleep 30',
        '  timeout: 1s',
        'after:',
        '  run: echo never',
        '  needs: broken'
      ].join('\n'),
      'max-workers': '4'
    })
    expect(run.code).toBe(1)
    const suite = junitOf(run)
    expect(countsOf(suite)).toEqual(countsFromOutputs(run.outputs))
    expect(countsOf(suite)).toEqual({ tests: '4', failures: '2', errors: '0', skipped: '1' })
    expect(casesOf(suite)).toEqual([
      ['ok', '', ''],
      ['broken', 'failure', 'failed with exit code 3'],
      ['slow', 'failure', 'timed out with exit code 143 (SIGTERM)'],
      ['after', 'skipped', 'broken failed']
    ])
    const broken = childrenNamed(suite, 'testcase')[1]?.children[0] as XmlElement
    // Colour codes and control characters go, as a terminal shows the output; the bytes that are
    // not UTF-8 become U+FFFD; the markup is text.
    expect(broken.text).toContain(' ]]> <x> & "q" \ufffd\ufffd')
    expect(broken.text).not.toContain('[31m')
    const slow = childrenNamed(suite, 'testcase')[2] as XmlElement
    expect(Number(slow.attributes.time)).toBeGreaterThanOrEqual(1)
  })

  it('reports a dry run, every task skipped', async () => {
    const run = await runAction({ items: 'x\ny', 'dry-run': 'true' })
    expect(run.code).toBe(0)
    const suite = junitOf(run)
    expect(countsOf(suite)).toEqual({ tests: '2', failures: '0', errors: '0', skipped: '2' })
    expect(casesOf(suite)).toEqual([
      ['x', 'skipped', 'dry run'],
      ['y', 'skipped', 'dry run']
    ])
  })

  it('reports a run the runner cancelled', async () => {
    const run = await runAction(
      { items: 'one\ntwo', command: 'touch started-{}; sleep 30' },
      {
        onStart: (child, dir) => {
          const started = (): boolean =>
            ['one', 'two'].every(item => existsSync(join(dir, `started-${item}`)))
          void waitFor(started).then(() => child.kill('SIGTERM'))
        }
      }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.cancelled).toBe('2')
    const suite = junitOf(run)
    expect(countsOf(suite)).toEqual(countsFromOutputs(run.outputs))
    expect(casesOf(suite)).toEqual([
      ['one', 'skipped', 'cancelled: the runner sent SIGTERM'],
      ['two', 'skipped', 'cancelled: the runner sent SIGTERM']
    ])
  })

  it('is empty, as results-file is, when the step fails before it has a report', async () => {
    const run = await runAction({ items: 'a', 'max-workers': 'lots' })
    expect(run.code).toBe(1)
    expect(run.outputs['results-file']).toBe('')
    expect(run.outputs['junit-file']).toBe('')
  })

  it('reports a merge of the shards as one run, and an item without a result as an error', async () => {
    const merged = mkdtempSync(join(tmpdir(), 'merged-'))
    for (const index of [0, 1]) {
      const shard = await runAction({
        items: 'a\nb\nc\nd',
        command: 'test {} != c',
        shard: `${index}/2`
      })
      const shardSuite = junitOf(shard)
      expect(countsOf(shardSuite)).toEqual(countsFromOutputs(shard.outputs))
      expect(countsOf(shardSuite).tests).toBe('2')
      mkdirSync(join(merged, `results-${index}`))
      copyFileSync(
        shard.outputs['results-file'] as string,
        join(merged, `results-${index}`, 'results.json')
      )
    }
    const merge = await runAction({ 'merge-results': 'results-*/results.json' }, { dir: merged })
    expect(merge.code).toBe(1)
    const suite = junitOf(merge)
    expect(countsOf(suite)).toEqual(countsFromOutputs(merge.outputs))
    expect(casesOf(suite)).toEqual([
      ['a', '', ''],
      ['b', '', ''],
      ['c', 'failure', 'failed with exit code 1'],
      ['d', '', '']
    ])

    // Only the first shard's file: the second shard's items have no result, and fail the merge.
    const partial = await runAction({ 'merge-results': 'results-0/results.json' }, { dir: merged })
    expect(partial.code).toBe(1)
    const partialSuite = junitOf(partial)
    expect(countsOf(partialSuite)).toEqual(countsFromOutputs(partial.outputs, 2))
    expect(casesOf(partialSuite).map(([name, outcome]) => [name, outcome])).toEqual([
      ['a', ''],
      ['item 2', 'error'],
      ['c', 'failure'],
      ['item 4', 'error']
    ])
    expect(childrenNamed(partialSuite, 'system-err')[0]?.text).toContain('no results file')
  })
})
