import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LogMode, NoItemsBehavior, Shell } from '../src/constants.js'
import {
  getInputs,
  parseBoolean,
  parseEnum,
  parseMaxWorkers,
  parseRetries,
  parseRetryDelay,
  parseTimeout
} from '../src/input-helper.js'
import { WorkflowCommands } from '../src/workflow-commands.js'

const setInputs = (inputs: Record<string, string>): void => {
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => {
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_')) delete process.env[name]
})

describe('parseMaxWorkers', () => {
  it.each([
    ['1', 8, 1],
    ['12', 8, 12],
    ['auto', 8, 8],
    ['50%', 8, 4],
    ['10%', 8, 1],
    ['200%', 2, 4]
  ])('%p with %p CPUs is %p', (value, cpus, expected) => {
    expect(parseMaxWorkers(value, cpus)).toBe(expected)
  })

  it.each(['0', 'abc', '1.5', '-2', '', '0%', '%', 'auto2', '99999999999999999999'])(
    'rejects %p',
    value => {
      expect(() => parseMaxWorkers(value, 4)).toThrow(
        `Invalid max-workers '${value}'. Expected a whole number from 1 up, 'auto', or a percentage of the CPUs such as '50%'.`
      )
    }
  )
})

describe('parseTimeout', () => {
  it('is undefined when empty and milliseconds otherwise', () => {
    expect(parseTimeout('')).toBeUndefined()
    expect(parseTimeout('1h30m')).toBe(5_400_000)
  })

  it('names the input and the value when it is not a duration', () => {
    expect(() => parseTimeout('soon')).toThrow(
      "Invalid timeout 'soon'. Expected a duration such as '90' (seconds), '90s', '5m' or '1h30m', or empty for no limit."
    )
  })
})

describe('parseRetries and parseRetryDelay', () => {
  it('takes a whole number of retries from 0 up', () => {
    expect(parseRetries('0')).toBe(0)
    expect(parseRetries(' 3 ')).toBe(3)
    for (const value of ['-1', '1.5', 'two', '']) {
      expect(() => parseRetries(value)).toThrow(
        `Invalid retries '${value}'. Expected a whole number from 0 up.`
      )
    }
  })

  it('takes a duration or 0 as the retry delay', () => {
    expect(parseRetryDelay('0')).toBe(0)
    expect(parseRetryDelay('0s')).toBe(0)
    expect(parseRetryDelay('500ms')).toBe(500)
    expect(parseRetryDelay('2')).toBe(2000)
    expect(() => parseRetryDelay('later')).toThrow(
      "Invalid retry-delay 'later'. Expected a duration such as '1s', '500ms' or '1m', or 0."
    )
  })
})

describe('parseBoolean and parseEnum', () => {
  it('accepts the YAML core schema spellings', () => {
    expect(parseBoolean('fail-fast', 'TRUE')).toBe(true)
    expect(parseBoolean('fail-fast', 'False')).toBe(false)
    expect(() => parseBoolean('fail-fast', 'yes')).toThrow(
      "Invalid fail-fast 'yes'. Expected 'true' or 'false'."
    )
  })

  it('lists the allowed values', () => {
    expect(parseEnum('log', 'stream', LogMode)).toBe(LogMode.Stream)
    expect(() => parseEnum('shell', 'zsh', Shell)).toThrow(
      "Invalid shell 'zsh'. Expected one of: bash, sh, pwsh, none."
    )
    expect(() => parseEnum('log', 'loud', LogMode)).toThrow(
      "Invalid log 'loud'. Expected one of: grouped, stream, failures, none."
    )
    expect(() => parseEnum('if-no-items', 'fail', NoItemsBehavior)).toThrow(
      "Invalid if-no-items 'fail'. Expected one of: warn, error, ignore."
    )
  })
})

describe('getInputs', () => {
  it('applies the defaults of action.yml when inputs are empty', async () => {
    setInputs({ items: 'a\nb' })
    const settings = await getInputs()
    expect(settings).toMatchObject({
      items: ['a', 'b'],
      command: '',
      shell: Shell.Bash,
      failFast: false,
      timeoutMs: undefined,
      retries: 0,
      retryDelayMs: 1000,
      workingDirectory: process.cwd(),
      log: LogMode.Grouped,
      workflowCommands: WorkflowCommands.Annotations,
      ifNoItems: NoItemsBehavior.Warn,
      summary: true
    })
    expect(settings.maxWorkers).toBeGreaterThanOrEqual(1)
  })

  it('reads every input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inputs-'))
    writeFileSync(join(dir, 'list.json'), '[{"name": "x"}]')
    setInputs({
      'items-file': 'list.json',
      command: '  echo {name}  ',
      shell: 'none',
      'max-workers': '3',
      'fail-fast': 'true',
      timeout: '5m',
      retries: '2',
      'retry-delay': '3s',
      'working-directory': dir,
      log: 'failures',
      'workflow-commands': 'none',
      'if-no-items': 'error',
      summary: 'false'
    })
    expect(await getInputs()).toEqual({
      items: [{ name: 'x' }],
      command: '  echo {name}  ',
      shell: Shell.None,
      maxWorkers: 3,
      failFast: true,
      timeoutMs: 300_000,
      retries: 2,
      retryDelayMs: 3000,
      workingDirectory: dir,
      log: LogMode.Failures,
      workflowCommands: WorkflowCommands.None,
      ifNoItems: NoItemsBehavior.Error,
      summary: false
    })
  })

  it('refuses both items and items-file', async () => {
    setInputs({ items: 'a', 'items-file': 'x.txt' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: both 'items' and 'items-file' are set. Expected only one of them."
    )
  })

  it('names a missing working directory', async () => {
    setInputs({ items: 'a', 'working-directory': '/no/such/dir' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid working-directory '/no/such/dir': no such directory. Expected an existing directory."
    )
  })
})
