import { describe, expect, it, jest } from '@jest/globals'

// A stand-in for @actions/core, as GitHub's local debugger (@github/local-action) puts in its
// place: it records every call. The action's own layer must reach it for every input read,
// output set, line printed, summary written and failure, or the debugger cannot show them.
const calls: unknown[][] = []
const record =
  (name: string, result?: unknown) =>
  (...args: unknown[]): unknown => {
    calls.push([name, ...args])
    if (name !== 'summary.addRaw' && name !== 'getInput' && name !== 'isDebug') {
      process.stdout.write(`${name}\n`)
    }
    return result
  }
const summary = {
  addRaw: record('summary.addRaw'),
  write: async (): Promise<void> => {
    calls.push(['summary.write'])
  }
}
jest.unstable_mockModule('@actions/core', () => ({
  getInput: record('getInput', 'from the stand-in'),
  isDebug: record('isDebug', true),
  setOutput: record('setOutput'),
  info: record('info'),
  debug: record('debug'),
  notice: record('notice'),
  warning: record('warning'),
  error: record('error'),
  setFailed: record('setFailed'),
  setSecret: record('setSecret'),
  summary
}))
const core = await import('../../src/action/actions-core.js')

describe('the layer over @actions/core', () => {
  it('hands every call to @actions/core, with the text it prints neutralised', async () => {
    const printed: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(String(chunk))
      return true
    })
    try {
      expect(core.getInput('items', { required: true })).toBe('from the stand-in')
      expect(core.isDebug()).toBe(true)
      core.setOutput('total', 3)
      core.info('::stop-commands::x')
      core.debug('d')
      core.notice('::n', { title: 'n' })
      core.warning('w', { title: '::t' })
      core.error(new Error('e'), { startLine: 2 })
      core.setSecret('s')
      core.setFailed('::f')
      await core.summary.addRaw('## S', true).write()
    } finally {
      write.mockRestore()
    }
    expect(calls).toEqual([
      ['getInput', 'items', { required: true }],
      ['isDebug'],
      ['setOutput', 'total', 3],
      ['info', ':\u200b:stop-commands::x'],
      ['debug', 'd'],
      ['notice', ':\u200b:n', { title: 'n' }],
      ['warning', 'w', { title: ':\u200b:t' }],
      ['error', 'Error: e', { startLine: 2 }],
      ['setSecret', 's'],
      ['setFailed', ':\u200b:f'],
      ['summary.addRaw', '## S', true],
      ['summary.write']
    ])
    expect(printed.join('')).toBe(
      'setOutput\ninfo\ndebug\nnotice\nwarning\nerror\nsetSecret\nsetFailed\n'
    )
  })

  it('routes what the stand-in prints to the task log while tasks run', () => {
    const routed: string[] = []
    core.routeLog(text => routed.push(text))
    try {
      core.info('between tasks')
      core.setOutput('name', 'value')
    } finally {
      core.routeLog()
    }
    expect(routed).toEqual(['info\n', 'setOutput\n'])
  })
})
