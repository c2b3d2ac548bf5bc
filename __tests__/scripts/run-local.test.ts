import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

/** `npm start -- <args>`: runs the bundled action locally and prints what a person reads. */
function runLocal(...args: string[]): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, ['scripts/run-local.mjs', ...args], {
    encoding: 'utf8'
  })
  return { status: result.status, out: result.stdout }
}

describe('npm start (scripts/run-local.mjs)', () => {
  it('shows the log as GitHub shows it, escapes rendered, with --raw for the runner’s bytes', () => {
    const args = ['--items', '50%\nb', '--command', 'echo {}; test {#} = 1', '--max-workers', '1']
    const shown = runLocal(...args)
    expect(shown.status).toBe(1)
    expect(shown.out).toContain('\n▼ ✅ #1 50%: succeeded')
    expect(shown.out).toContain('\n  50%\n')
    expect(shown.out).toMatch(
      /\nError \(title=b\): ❌ #2 b: failed \(exit code 1\) in \S+:\n {2}b\n/
    )
    expect(shown.out).not.toMatch(/::|%25|%0A/)

    const raw = runLocal('--raw', ...args)
    expect(raw.out).toContain('\n::group::✅ #1 50%25: succeeded')
    expect(raw.out).toMatch(/\n::error title=b::❌ #2 b: failed \(exit code 1\) in \S+:%0Ab\n/)
  })
})
