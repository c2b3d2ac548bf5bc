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
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
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
    output: readFileSync(outputFile, 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, 'D'),
    summary: readFileSync(summaryFile, 'utf8'),
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
  // The layer calls @actions/core (__tests__/action/actions-core-calls.test.ts holds that);
  // these are the bytes the runner gets from it: commands on stdout, a heredoc per output with a
  // `ghadelimiter_<uuid>` delimiter (D here), the summary appended as given.
  it('prints and writes what the runner reads', async () => {
    const { printed, output, summary, exitCode } = await transcript(ours, async core => {
      core.info('plain line with % and ::')
      core.debug('multi\nline\r\n100%')
      core.warning('careful: a, b')
      core.error('broken\nbadly', { title: 'item: a,b %', startLine: 3 })
      core.error(new Error('as an error'))
      core.error('no title', {})
      core.error('empty title', { title: '' })
      core.setSecret('s3cr3t')
      core.setOutput('count', 3)
      core.setOutput('list', ['a', 'b'])
      core.setOutput('text', 'two\nlines')
      core.setOutput('empty', '')
      core.setFailed('the step failed: 100%')
      await core.summary.addRaw('## Title', true).addRaw('<table></table>').write()
    })
    expect(printed).toBe(
      [
        'plain line with % and ::',
        '::debug::multi%0Aline%0D%0A100%25',
        '::warning::careful: a, b',
        '::error title=item%3A a%2Cb %25,line=3::broken%0Abadly',
        '::error::Error: as an error',
        '::error::no title',
        '::error::empty title',
        '::add-mask::s3cr3t',
        '::error::the step failed: 100%25',
        ''
      ].join('\n')
    )
    expect(output).toBe(
      'count<<D\n3\nD\nlist<<D\n["a","b"]\nD\ntext<<D\ntwo\nlines\nD\nempty<<D\n\nD\n'
    )
    expect(summary).toBe('## Title\n<table></table>')
    expect(exitCode).toBe(1)
  })

  it('reads inputs as the runner passes them', () => {
    process.env['INPUT_MY-INPUT'] = '  spaced value \n'
    process.env.INPUT_WITH_SPACE = 'x'
    expect(ours.getInput('my-input')).toBe('spaced value')
    expect(ours.getInput('My-Input', { trimWhitespace: false })).toBe('  spaced value \n')
    expect(ours.getInput('with space')).toBe('x')
    expect(ours.getInput('missing')).toBe('')
    expect(() => ours.getInput('missing', { required: true })).toThrow(
      'Input required and not supplied: missing'
    )
    process.env.RUNNER_DEBUG = '1'
    expect(ours.isDebug()).toBe(true)
    process.env.RUNNER_DEBUG = '0'
    expect(ours.isDebug()).toBe(false)
  })

  it('sets an output with a command on stdout when the runner gives no output file', async () => {
    const { printed } = await transcript(ours, core => {
      delete process.env.GITHUB_OUTPUT
      core.setOutput('name', 'a\nb')
    })
    expect(printed).toBe('\n::set-output name=name::a%0Ab\n')
  })

  it('is the only module of src/ that imports @actions/core', () => {
    // Every line is then neutralised and routed here, and a stand-in for @actions/core sees all.
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    const importers = files.filter(
      file =>
        file.endsWith('.ts') &&
        /from '@actions\/core'/.test(readFileSync(join('src', file), 'utf8'))
    )
    expect(importers).toEqual([join('action', 'actions-core.ts')])
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
    // What @actions/core prints when called directly, but for the zero-width spaces.
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

  it('routes every call that prints, and gives stdout back when a call throws', async () => {
    const routed: string[] = []
    const { printed } = await transcript(ours, core => {
      core.routeLog(text => routed.push(text))
      core.debug('d')
      core.error('e')
      core.setSecret('s')
      core.setFailed('f')
      delete process.env.GITHUB_OUTPUT
      core.setOutput('o', 'v')
      process.env.GITHUB_OUTPUT = join(tmpdir(), 'no-such-dir', 'output')
      expect(() => core.setOutput('o', 'v')).toThrow('Invalid GITHUB_OUTPUT')
      core.routeLog()
      core.info('back on stdout')
    })
    expect(routed).toEqual([
      '::debug::d\n',
      '::error::e\n',
      '::add-mask::s\n',
      '::error::f\n',
      '\n',
      '::set-output name=o::v\n'
    ])
    expect(printed).toBe('back on stdout\n')
  })

  it('has no print path of its own outside actions-core and the task log', () => {
    const offenders: string[] = []
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    for (const file of files.filter(name => name.endsWith('.ts'))) {
      const text = readFileSync(join('src', file), 'utf8')
      const prints = text.match(/process\.(stdout|stderr)|console\.\w+/g) ?? []
      // run-items hands stdout to the task log as its sink; actions-core writes every other line.
      const allowed =
        file === join('action', 'actions-core.ts')
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
