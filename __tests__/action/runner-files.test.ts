import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../../src/action/actions-core.js'

// A file of its own: @actions/core keeps the summary file's path after its first successful access
// check, so a refusal can only be tested before any summary was written in the test file.

const savedEnv = { ...process.env }
afterEach(() => {
  process.env = { ...savedEnv }
})

describe("the runner's files", () => {
  it('refuses a missing or unwritable output file, naming the variable', () => {
    process.env.GITHUB_OUTPUT = join(tmpdir(), 'no-such-dir', 'output')
    // @actions/core throws `Missing file at path: …`; the layer names the variable and its purpose.
    expect(() => core.setOutput('a', 'b')).toThrow(
      `Invalid GITHUB_OUTPUT '${process.env.GITHUB_OUTPUT}': no such file. Expected the file the runner creates for the step's outputs.`
    )
    process.env.GITHUB_OUTPUT = tmpdir()
    expect(() => core.setOutput('a', 'b')).toThrow(
      `Invalid GITHUB_OUTPUT '${tmpdir()}': Error: EISDIR: illegal operation on a directory`
    )
  })

  it('refuses a missing summary file or variable, naming it, and keeps the text for later', async () => {
    process.env.GITHUB_STEP_SUMMARY = join(tmpdir(), 'no-such-dir', 'summary')
    // @actions/core throws `Unable to access summary file: …`.
    await expect(core.summary.addRaw('held ').write()).rejects.toThrow(
      `Invalid GITHUB_STEP_SUMMARY '${process.env.GITHUB_STEP_SUMMARY}': no such file. Expected the file the runner creates for the job summary.`
    )
    // Its access check drops the system's error; the layer names it, as for GITHUB_OUTPUT.
    const plain = join(mkdtempSync(join(tmpdir(), 'summary-')), 'plain')
    writeFileSync(plain, '')
    process.env.GITHUB_STEP_SUMMARY = join(plain, 'summary')
    await expect(core.summary.write()).rejects.toThrow(
      `Invalid GITHUB_STEP_SUMMARY '${process.env.GITHUB_STEP_SUMMARY}': Error: ENOTDIR: not a directory`
    )
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(core.summary.addRaw('twice ').write()).rejects.toThrow(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY.'
    )
    // A refused write keeps its text: the next write that succeeds has it.
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary')
    writeFileSync(file, 'before\n')
    process.env.GITHUB_STEP_SUMMARY = file
    await core.summary.addRaw('after', true).write()
    expect(readFileSync(file, 'utf8')).toBe('before\nheld twice after\n')
  })
})
