import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { runAction } from '../helpers/action.js'

// The runner gives each step a GITHUB_OUTPUT and a GITHUB_STEP_SUMMARY file. When one of them
// is missing or cannot be written, the step fails with one line naming it, and still writes the
// other, annotates its failures and names them.
describe('a runner file that cannot be written', () => {
  it('reports a missing GITHUB_OUTPUT once, with no stack trace, and still writes the summary', async () => {
    const run = await runAction(
      { items: 'a\nb', command: 'echo {}' },
      { env: { GITHUB_OUTPUT: '/nonexistent-dir/output' } }
    )
    expect(run.code).toBe(1)
    const errors = run.log.split('\n').filter(line => line.startsWith('::error'))
    expect(errors).toEqual([
      "::error::Invalid GITHUB_OUTPUT '/nonexistent-dir/output': no such file. Expected the file the runner creates for the step's outputs."
    ])
    expect(run.log).not.toMatch(/^\s+at /m)
    expect(run.summary).toContain('parallel-exec: 2 of 2 succeeded')
  })

  it('reports a GITHUB_OUTPUT that is a directory', async () => {
    const run = await runAction({ items: 'a', command: 'true' }, { env: { GITHUB_OUTPUT: '/tmp' } })
    expect(run.code).toBe(1)
    expect(run.log).toContain("::error::Invalid GITHUB_OUTPUT '/tmp': Error: EISDIR")
    expect(run.summary).toContain('parallel-exec: 1 of 1 succeeded')
  })

  it('reports a missing GITHUB_STEP_SUMMARY, and still sets the outputs and annotates failures', async () => {
    const run = await runAction(
      { items: 'a\nb', command: 'test {} = a' },
      { env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary' } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.total).toBe('2')
    expect(run.outputs.failed).toBe('1')
    expect(run.log).toMatch(/::error title=b::❌ #2 b: failed \(exit code 1\) in \S+/)
    expect(run.log).toContain('::error::1 of 2 tasks did not succeed (1 failed): b.')
    expect(run.log).toContain(
      "::error::Invalid GITHUB_STEP_SUMMARY '/nonexistent-dir/summary': no such file. Expected the file the runner creates for the job summary."
    )
    expect(run.log).not.toMatch(/^\s+at /m)
  })

  it('reports a bad input and a missing GITHUB_OUTPUT, each once', async () => {
    const dir = join('/nonexistent-dir', 'x')
    const run = await runAction(
      { items: 'a', command: 'echo {nope}' },
      { env: { GITHUB_OUTPUT: dir } }
    )
    expect(run.code).toBe(1)
    const errors = run.log.split('\n').filter(line => line.startsWith('::error'))
    expect(errors).toEqual([
      "::error::Invalid command 'echo {nope}': Placeholder {nope} names nothing in item 1 (\"a\"): the item has no field 'nope' (it is a string).",
      `::error::Invalid GITHUB_OUTPUT '${dir}': no such file. Expected the file the runner creates for the step's outputs.`
    ])
    expect(run.log).not.toMatch(/^\s+at /m)
  })
})
