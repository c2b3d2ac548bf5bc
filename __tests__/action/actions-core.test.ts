import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as toolkit from '@actions/core'
import * as ours from '../../src/action/actions-core.js'
import { runOnRunner } from '../helpers/runner-model.js'

type Core = typeof ours

/** What a sequence of calls prints and writes to the output and summary files. */
async function transcript(core: Core, calls: (core: Core) => Promise<void> | void) {
  const dir = mkdtempSync(join(tmpdir(), 'core-'))
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
  const printed: string[] = []
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk))
    return true
  })
  const exitCode = process.exitCode
  try {
    await calls(core)
  } finally {
    write.mockRestore()
  }
  const result = {
    printed: printed.join(''),
    output: readFileSync(process.env.GITHUB_OUTPUT, 'utf8').replace(
      /ghadelimiter_[0-9a-f-]+/g,
      'D'
    ),
    summary: readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8'),
    exitCode: process.exitCode
  }
  process.exitCode = exitCode
  return result
}

const savedEnv = { ...process.env }
afterEach(() => {
  process.env = { ...savedEnv }
})

describe('actions-core', () => {
  it('prints and writes exactly what @actions/core does', async () => {
    const calls = async (core: Core): Promise<void> => {
      core.info('plain line with % and ::')
      core.debug('multi\nline\r\n100%')
      core.warning('careful: a, b')
      core.error('broken\nbadly', { title: 'item: a,b %', startLine: 3 })
      core.error(new Error('as an error'))
      core.error('no title', {})
      core.setSecret('s3cr3t')
      core.setOutput('count', 3)
      core.setOutput('list', ['a', 'b'])
      core.setOutput('text', 'two\nlines')
      core.setOutput('empty', '')
      core.setFailed('the step failed: 100%')
      await core.summary.addRaw('## Title', true).addRaw('<table></table>').write()
    }
    expect(await transcript(ours, calls)).toEqual(
      await transcript(toolkit as unknown as Core, calls)
    )
  })

  it('reads inputs as @actions/core does', () => {
    process.env['INPUT_MY-INPUT'] = '  spaced value \n'
    process.env.INPUT_WITH_SPACE = 'x'
    for (const core of [ours, toolkit]) {
      expect(core.getInput('my-input')).toBe('spaced value')
      expect(core.getInput('My-Input', { trimWhitespace: false })).toBe('  spaced value \n')
      expect(core.getInput('with space')).toBe('x')
      expect(core.getInput('missing')).toBe('')
      expect(() => core.getInput('missing', { required: true })).toThrow(
        'Input required and not supplied: missing'
      )
    }
    process.env.RUNNER_DEBUG = '1'
    expect(ours.isDebug()).toBe(toolkit.isDebug())
  })

  it('refuses a missing output file and a summary without a file, naming the variable', async () => {
    process.env.GITHUB_OUTPUT = join(tmpdir(), 'no-such-dir', 'output')
    // @actions/core throws `Missing file at path: …`; ours names the variable and its purpose.
    expect(() => ours.setOutput('a', 'b')).toThrow(
      `Invalid GITHUB_OUTPUT '${process.env.GITHUB_OUTPUT}': no such file. Expected the file the runner creates for the step's outputs.`
    )
    process.env.GITHUB_OUTPUT = tmpdir()
    expect(() => ours.setOutput('a', 'b')).toThrow(
      `Invalid GITHUB_OUTPUT '${tmpdir()}': Error: EISDIR: illegal operation on a directory`
    )
    process.env.GITHUB_STEP_SUMMARY = join(tmpdir(), 'no-such-dir', 'summary')
    await expect(ours.summary.addRaw('x').write()).rejects.toThrow(
      `Invalid GITHUB_STEP_SUMMARY '${process.env.GITHUB_STEP_SUMMARY}': no such file. Expected the file the runner creates for the job summary.`
    )
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(ours.summary.addRaw('x').write()).rejects.toThrow(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY.'
    )
  })
})

describe('lines the action prints', () => {
  const hostile = 'ok\n::add-mask::S1\r##[set-output name=f;]1 x ##[save-state name=s;]2'

  it('can start no command from the text given, in info lines and annotations', async () => {
    const calls = (core: Core): void => {
      core.info(hostile)
      core.debug(hostile)
      core.warning(hostile)
      core.error(hostile, { title: hostile })
      core.setFailed(new Error(hostile))
    }
    const { printed } = await transcript(ours, calls)
    for (const culture of [false, true]) {
      const acted = runOnRunner(Buffer.from(printed), { culture }).lines.filter(
        line => line.kind !== 'plain'
      )
      expect(acted.map(line => line.command?.name)).toEqual(['debug', 'warning', 'error', 'error'])
    }
    // What @actions/core prints, but for the zero-width spaces.
    const toolkitPrinted = (await transcript(toolkit as unknown as Core, calls)).printed
    expect(printed).not.toBe(toolkitPrinted)
    expect(printed.split('\u200b').join('')).toBe(toolkitPrinted)
  })

  it('sends every line to the writer routeLog gives, and to stdout again without one', async () => {
    const routed: string[] = []
    const { printed } = await transcript(ours, core => {
      core.routeLog(text => routed.push(text))
      core.info('a')
      core.warning('b')
      core.routeLog()
      core.info('c')
    })
    expect(routed).toEqual(['a\n', '::warning::b\n'])
    expect(printed).toBe('c\n')
  })

  it('has no print path of its own outside actions-core and the task log', () => {
    const offenders: string[] = []
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    for (const file of files.filter(name => name.endsWith('.ts'))) {
      const text = readFileSync(join('src', file), 'utf8')
      const prints = text.match(/process\.(stdout|stderr)|console\.\w+/g) ?? []
      // run-items hands stdout to the task log as its sink; actions-core writes every other line.
      const allowed = file === join('action', 'actions-core.ts')
          ? prints.length
          : file === join('run', 'run-items.ts')
            ? 1
            : 0
      if (prints.length > allowed) offenders.push(`${file}: ${prints.join(', ')}`)
    }
    expect(offenders).toEqual([])
  })
})

describe('failNow', () => {
  it('prints the failure on stdout even while lines are routed elsewhere', async () => {
    const { printed, exitCode } = await transcript(ours, core => {
      core.routeLog(() => undefined)
      core.failNow('ended early')
    })
    expect(printed).toBe('::error::ended early\n')
    expect(exitCode).toBe(1)
  })
})
