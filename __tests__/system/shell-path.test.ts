import { describe, expect, it } from '@jest/globals'
import { resolveProgram } from '../../src/system/shell-path.js'

describe('resolveProgram', () => {
  it('leaves programs alone outside Windows', () => {
    expect(resolveProgram('bash', 'linux')).toBe('bash')
    expect(resolveProgram('bash', 'darwin')).toBe('bash')
  })

  it('prefers Git Bash over whatever bash is on PATH on Windows', () => {
    const env = { ProgramFiles: 'D:\\Programs' }
    const seen: string[] = []
    const exists = (path: string): boolean => {
      seen.push(path)
      return path === 'D:\\Programs\\Git\\bin\\bash.exe'
    }
    expect(resolveProgram('bash', 'win32', env, exists)).toBe('D:\\Programs\\Git\\bin\\bash.exe')
    expect(seen[0]).toBe('D:\\Programs\\Git\\bin\\bash.exe')
  })

  it('falls back to PATH when Git Bash is not installed, and leaves other programs alone', () => {
    expect(resolveProgram('bash', 'win32', {}, () => false)).toBe('bash')
    expect(resolveProgram('pwsh', 'win32', { ProgramFiles: 'C:\\P' }, () => true)).toBe('pwsh')
  })
})
