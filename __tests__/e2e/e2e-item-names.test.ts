import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { runAction } from '../helpers/action.js'
import { childrenNamed, onlySuite } from '../helpers/junit-xml.js'

// Object items are named by their `name` (else their fields, key=value) in every line and title
// the action prints, while commands, outputs and files keep the item itself.
const ITEMS = JSON.stringify([
  { name: 'alpha', n: 1 },
  { name: 'beta', n: 2 },
  { name: 'gam\nma\u001b[31m', n: 3 },
  { name: '', n: 4 },
  { n: 5 }
])

describe('object items named by their name field', () => {
  it('names them in log titles, annotations, the summary and JUnit; outputs keep the item', async () => {
    const run = await runAction({ items: ITEMS, command: '[ {n} != 2 ]', 'max-workers': '2' })
    expect(run.code).toBe(1)
    expect(run.log).toMatch(/^::group::✅ #1 alpha: succeeded in \S+$/m)
    expect(run.log).toMatch(/^::group::❌ #2 beta: failed \(exit code 1\) in \S+$/m)
    // A name with a newline and an escape stays on its title's line.
    expect(run.log).toMatch(/^::group::✅ #3 gam⏎ma�\[31m: succeeded in \S+$/m)
    expect(run.log).not.toMatch(/^ma/m)
    // An empty name names nothing: the item shows as its fields, as one without a name.
    expect(run.log).toMatch(/^::group::✅ #4 name=, n=4: succeeded in \S+$/m)
    expect(run.log).toMatch(/^::group::✅ #5 n=5: succeeded in \S+$/m)
    expect(run.log).toMatch(/^::error title=beta::❌ #2 beta: failed \(exit code 1\) in \S+$/m)
    expect(run.log).toContain('::error::1 of 5 tasks did not succeed (1 failed): beta.')

    expect(run.summary).toContain('<code>beta</code>')
    expect(run.summary).toContain('<code>alpha</code>')
    expect(run.summary).not.toContain('&quot;name&quot;:&quot;alpha')
    expect(run.summary).not.toContain('&quot;name&quot;:&quot;beta')
    // The timeline's labels name the tasks too (mermaid-escaped, so matched by their ends).
    expect(run.summary).toMatch(/^\s+\S*lpha :/m)
    expect(run.summary).not.toMatch(/name\S*lpha :/)

    const suite = onlySuite(readFileSync(run.outputs['junit-file'] as string, 'utf8'))
    expect(childrenNamed(suite, 'testcase').map(testcase => testcase.attributes.name)).toEqual([
      'alpha',
      'beta',
      'gam⏎ma�[31m',
      'name=, n=4',
      'n=5'
    ])

    // Data keeps the item: failed-items, results, the command.
    expect(JSON.parse(run.outputs['failed-items'] as string)).toEqual([{ name: 'beta', n: 2 }])
    const results = JSON.parse(run.outputs.results as string) as {
      item: unknown
      command: string
    }[]
    expect(results.map(result => result.item)).toEqual(JSON.parse(ITEMS))
    expect(results[1]?.command).toBe("[ '2' != 2 ]")
  })

  it('names them in stream prefixes, dry-run lines and the fail-fast reason', async () => {
    const stream = await runAction({
      items: ITEMS,
      command: 'echo out {n}; [ {n} != 2 ]',
      'max-workers': '1',
      log: 'stream',
      'fail-fast': 'true'
    })
    expect(stream.log).toContain('[#1 alpha] out 1\n')
    expect(stream.log).toContain('[#2 beta] out 2\n')
    expect(stream.log).toContain('fail-fast after task 2 (beta) failed')

    const dry = await runAction({ items: ITEMS, command: 'echo {n}', 'dry-run': 'true' })
    expect(dry.code).toBe(0)
    expect(dry.log).toContain("#1 alpha\n  echo '1'\n")
    expect(dry.log).toContain("#3 gam⏎ma�[31m\n  echo '3'\n")
    expect(dry.log).toContain("#5 n=5\n  echo '5'\n")
  })
})
