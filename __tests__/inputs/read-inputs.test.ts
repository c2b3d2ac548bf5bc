import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { EOL, tmpdir } from 'node:os'
import { join } from 'node:path'
import { NoItemsBehavior, SkipPassed } from '../../src/inputs/settings.js'
import { LogMode } from '../../src/log/log-mode.js'
import { Shell } from '../../src/model/shell.js'
import { getInputs } from '../../src/inputs/read-inputs.js'
import {
  parseBatchSize,
  parseBoolean,
  parseEnum,
  parseFailFast,
  parseMaxWorkers,
  parseStopOnSuccess,
  parseRetries,
  parseRetryDelay,
  parsePullRequest,
  parseShard,
  parseTimeout
} from '../../src/inputs/input-values.js'
import { WorkflowCommands } from '../../src/action/workflow-commands.js'
import { HaltMode } from '../../src/model/halt.js'

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

describe('parseBatchSize', () => {
  it.each([
    ['1', 1],
    ['50', 50],
    [' 7 ', 7],
    ['auto', 'auto']
  ])('%p is %p', (value, expected) => {
    expect(parseBatchSize(value)).toBe(expected)
  })

  it.each(['0', '-1', '1.5', 'x', '', 'Auto', '99999999999999999999', '2 items'])(
    'rejects %p',
    value => {
      expect(() => parseBatchSize(value)).toThrow(
        `Invalid batch-size '${value}'. Expected a whole number of at least 1, or auto.`
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
      "Invalid timeout 'soon'. Expected a duration up to 24d, such as '90' (seconds), '90s', '5m' or '1h30m', or empty for no limit."
    )
  })

  // Node fires a timer set past 2^31-1 ms after 1 ms: such a limit would end every task at once.
  it.each(['600h', '25d', '24d1ms', '2073600.001', '99999999999999999999h'])(
    'refuses %p, longer than the 24 days a timer can wait, naming the maximum',
    value => {
      for (const input of ['timeout', 'total-timeout']) {
        expect(() => parseTimeout(value, input)).toThrow(
          `Invalid ${input} '${value}'. Expected a duration up to 24d, such as`
        )
      }
    }
  )

  it('takes durations up to 24 days, in days too', () => {
    expect(parseTimeout('24d', 'total-timeout')).toBe(24 * 86_400_000)
    expect(parseTimeout('576h')).toBe(24 * 86_400_000)
    expect(parseTimeout('1d12h')).toBe(36 * 3_600_000)
    expect(24 * 86_400_000).toBeLessThanOrEqual(2 ** 31 - 1)
  })
})

describe('parseFailFast and parseStopOnSuccess', () => {
  it('reads booleans, counts and percentages', () => {
    expect(parseFailFast('false')).toBeUndefined()
    expect(parseFailFast('true')).toEqual({ count: 1 })
    expect(parseFailFast('3')).toEqual({ count: 3 })
    expect(parseFailFast('12.5%')).toEqual({ percent: 12.5 })
    for (const value of ['0', '-1', 'yes', '0%', '101%', '1.5']) {
      expect(() => parseFailFast(value)).toThrow(
        `Invalid fail-fast '${value}'. Expected 'true', 'false'`
      )
    }
    expect(parseStopOnSuccess('0')).toBe(0)
    expect(parseStopOnSuccess('1')).toBe(1)
    expect(() => parseStopOnSuccess('first')).toThrow("Invalid stop-on-success 'first'.")
  })

  it('refuses tasks together with items or a command', async () => {
    setInputs({ tasks: 'a: echo a', items: 'x' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: 'tasks' is set together with 'items'"
    )
  })

  it('reads tasks', async () => {
    setInputs({ tasks: 'a: echo a\nb:\n  run: echo b\n  needs: a\n' })
    const settings = await getInputs()
    expect(settings.mode).toEqual({
      kind: 'tasks',
      tasks: [
        { name: 'a', run: 'echo a', needs: [] },
        { name: 'b', run: 'echo b', needs: ['a'] }
      ]
    })
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
      "Invalid retry-delay 'later'. Expected a duration up to 10m, such as '1s', '500ms' or '1m', or 0."
    )
  })

  it('refuses a retry delay past the 10 minutes a retry waits at most, naming the maximum', () => {
    expect(parseRetryDelay('10m')).toBe(600_000)
    for (const value of ['11m', '1h', '600h', '25d']) {
      expect(() => parseRetryDelay(value)).toThrow(
        `Invalid retry-delay '${value}'. Expected a duration up to 10m, such as`
      )
    }
  })
})

describe('parseShard', () => {
  it('reads {index}/{total} with a 0-based index, as the matrix gives it', () => {
    expect(parseShard('')).toBeUndefined()
    expect(parseShard('0/1')).toEqual({ index: 0, total: 1 })
    expect(parseShard(' 3 / 10 ')).toEqual({ index: 3, total: 10 })
  })

  it.each(['3/3', '1/0', '-1/3', '1', '1/2/3', 'a/b', '1.5/3', '0/257', '0/99999999999999999999'])(
    'refuses %p, naming the input and the expected form',
    value => {
      expect(() => parseShard(value)).toThrow(
        `Invalid shard '${value}'. Expected {index}/{total} with a 0-based index below the total ` +
          '(at most 256, as a matrix has at most 256 jobs), such as ' +
          '${{ strategy.job-index }}/${{ strategy.job-total }}, or empty for no sharding.'
      )
    }
  )
  it('accepts up to 256 shards', () =>
    expect(parseShard('255/256')).toEqual({ index: 255, total: 256 }))
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
  const stepId = process.env.GITHUB_ACTION
  afterEach(() => {
    if (stepId === undefined) delete process.env.GITHUB_ACTION
    else process.env.GITHUB_ACTION = stepId
  })

  it('applies the defaults of action.yml when inputs are empty', async () => {
    setInputs({ items: 'a\nb' })
    process.env.GITHUB_ACTION = '__run_2'
    const settings = await getInputs()
    expect(settings).toMatchObject({
      mode: { kind: 'items', items: ['a', 'b'], source: 'items', command: undefined },
      execution: {
        shell: Shell.Bash,
        failFast: undefined,
        failFastMode: HaltMode.Cancel,
        stopOnSuccess: undefined,
        totalTimeoutMs: undefined,
        timeoutMs: undefined,
        retries: 0,
        retryDelayMs: 1000,
        workingDirectory: process.cwd(),
        log: LogMode.Grouped,
        workflowCommands: WorkflowCommands.Annotations
      },
      dryRun: false,
      historyPath: undefined,
      skipPassed: SkipPassed.Never,
      shard: undefined,
      ifNoItems: NoItemsBehavior.Warn,
      summary: true,
      summaryTitle: 'parallel-exec'
    })
    expect(settings.execution.maxWorkers).toBeGreaterThanOrEqual(1)
  })

  it('reads every input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inputs-'))
    writeFileSync(join(dir, 'list.json'), '[{"name": "x"}]')
    setInputs({
      'items-file': 'list.json',
      command: '  echo {name}  ',
      shell: 'none',
      'max-workers': '3',
      'fail-fast': '10%',
      'fail-fast-mode': 'drain',
      'stop-on-success': '2',
      'total-timeout': '1h',
      'dry-run': 'true',
      timeout: '5m',
      retries: '2',
      'retry-delay': '3s',
      timings: 'timings.json',
      'working-directory': dir,
      log: 'failures',
      'workflow-commands': 'none',
      'if-no-items': 'error',
      summary: 'false',
      'summary-title': '  Lint & test  ',
      'batch-size': '25'
    })
    expect(await getInputs()).toEqual({
      mode: {
        kind: 'items',
        items: [{ name: 'x' }],
        source: "items-file 'list.json'",
        command: '  echo {name}  '
      },
      execution: {
        shell: Shell.None,
        maxWorkers: 3,
        failFast: { percent: 10 },
        failFastMode: HaltMode.Drain,
        stopOnSuccess: 2,
        totalTimeoutMs: 3_600_000,
        timeoutMs: 300_000,
        retries: 2,
        retryDelayMs: 3000,
        workingDirectory: dir,
        log: LogMode.Failures,
        workflowCommands: WorkflowCommands.None,
        batchSize: 25
      },
      dryRun: true,
      historyPath: join(dir, 'timings.json'),
      skipPassed: SkipPassed.Never,
      shard: undefined,
      ifNoItems: NoItemsBehavior.Error,
      summary: false,
      summaryTitle: 'Lint & test'
    })
  })

  it('reads a matrix as object items, one per combination, named by the input', async () => {
    setInputs({
      matrix: 'os: [linux, macos]\nnode: [20]\ninclude: [{os: macos, arm: true}]',
      command: 'echo {os} {node}'
    })
    expect((await getInputs()).mode).toEqual({
      kind: 'items',
      items: [
        { os: 'linux', node: 20 },
        { os: 'macos', node: 20, arm: true }
      ],
      source: 'matrix',
      command: 'echo {os} {node}'
    })
  })

  it('refuses merge-results together with items, and shard with tasks that have needs', async () => {
    setInputs({ 'merge-results': 'shards/*.json', items: 'a' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: 'merge-results' is set together with items, tasks or 'shard'. " +
        "Expected 'merge-results' alone, in a job that merges the shards' results."
    )
    delete process.env.INPUT_ITEMS
    delete process.env['INPUT_MERGE-RESULTS']
    setInputs({ shard: '0/2', tasks: 'build: make\ntest:\n  run: make test\n  needs: build' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: 'shard' is set and task 'test' has needs, which cannot cross shards. " +
        "Expected tasks without needs, or no 'shard'."
    )
    setInputs({ tasks: 'lint: make lint\ntest: make test', 'stop-on-success': '1' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: 'stop-on-success' is set together with 'shard'. Expected one of them: " +
        'each shard would stop after its own successes, not the run.'
    )
    delete process.env['INPUT_STOP-ON-SUCCESS']
    const { mode } = await getInputs()
    expect(mode.kind === 'tasks' && mode.tasks.map(task => task.name)).toEqual(['lint', 'test'])
  })

  it('reads the review-thread inputs, and masks the token in the log', async () => {
    const printed: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
    setInputs({
      'items-from': 'review-threads',
      command: './fix.sh {path}',
      'github-token': 'tok',
      'pull-request': '#42',
      'include-outdated': 'true',
      'thread-paths': 'src/**, docs/*.md\nlib/**',
      'thread-authors': '@alice,bob',
      'resolve-threads': 'on-success',
      'resolve-comment': '  Done: {outputs.note}\n'
    })
    const settings = await getInputs().finally(() => jest.restoreAllMocks())
    expect(printed).toEqual([`::add-mask::tok${EOL}`])
    expect(settings.mode).toEqual({
      kind: 'review-threads',
      command: './fix.sh {path}',
      source: "items-from 'review-threads'",
      threads: {
        token: 'tok',
        pullRequest: 42,
        includeOutdated: true,
        paths: ['src/**', 'docs/*.md', 'lib/**'],
        authors: ['alice', 'bob'],
        resolve: 'on-success',
        comment: 'Done: {outputs.note}'
      }
    })
    setInputs({ command: '' })
    await expect(getInputs()).rejects.toThrow(
      "Invalid inputs: 'items-from: review-threads' needs a 'command'. Expected a command template run once per thread"
    )
  })

  it('parsePullRequest takes a number, with or without #', () => {
    expect(parsePullRequest('')).toBeUndefined()
    expect(parsePullRequest(' #7 ')).toBe(7)
    expect(() => parsePullRequest('abc')).toThrow(
      "Invalid pull-request 'abc'. Expected a pull request number such as 42, or empty for the event's pull request."
    )
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
