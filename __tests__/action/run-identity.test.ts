import { describe, expect, it } from '@jest/globals'
import { runIdentity } from '../../src/action/run-identity.js'

describe('runIdentity', () => {
  it('reads the run id and attempt the runner sets', () => {
    expect(runIdentity({ GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '2' })).toEqual({
      id: 9876543210,
      attempt: 2
    })
  })

  it.each([
    [{}],
    [{ GITHUB_RUN_ID: '12' }],
    [{ GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '12', GITHUB_RUN_ATTEMPT: '0' }],
    [{ GITHUB_RUN_ID: '0', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '-3', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '1.5', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: ' 12', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '1e3', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '0x10', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '99999999999999999', GITHUB_RUN_ATTEMPT: '1' }],
    [{ GITHUB_RUN_ID: '12', GITHUB_RUN_ATTEMPT: 'first' }]
  ])('is undefined for %p', env => {
    expect(runIdentity(env)).toBeUndefined()
  })

  it('reads process.env by default', () => {
    const saved = { id: process.env.GITHUB_RUN_ID, attempt: process.env.GITHUB_RUN_ATTEMPT }
    process.env.GITHUB_RUN_ID = '5'
    process.env.GITHUB_RUN_ATTEMPT = '3'
    try {
      expect(runIdentity()).toEqual({ id: 5, attempt: 3 })
    } finally {
      for (const [name, value] of [
        ['GITHUB_RUN_ID', saved.id],
        ['GITHUB_RUN_ATTEMPT', saved.attempt]
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})
