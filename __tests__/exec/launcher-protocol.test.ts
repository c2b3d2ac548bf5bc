import { describe, expect, it } from '@jest/globals'
import * as os from 'node:os'
import {
  CLOSE_REQUEST,
  FailedStep,
  Request,
  decodeWaitStatus,
  encodeRequest,
  startError
} from '../../src/exec/launcher-protocol.js'

/** The length-prefixed strings of an encoded request, after its type byte. */
function stringsOf(encoded: Buffer): string[] {
  const strings: string[] = []
  for (let offset = 5; offset < encoded.length;) {
    const length = encoded.readUInt32BE(offset)
    strings.push(encoded.toString('utf8', offset + 4, offset + 4 + length))
    offset += 4 + length
  }
  return strings
}

describe('decodeWaitStatus', () => {
  it('reads exit codes and signals as waitpid(2) packs them', () => {
    expect(decodeWaitStatus(0)).toEqual([0, null])
    expect(decodeWaitStatus(42 << 8)).toEqual([42, null])
    expect(decodeWaitStatus(255 << 8)).toEqual([255, null])
    expect(decodeWaitStatus(9)).toEqual([null, 'SIGKILL'])
    // 0x80: a core was dumped; the signal is still SIGSEGV.
    expect(decodeWaitStatus(11 | 0x80)).toEqual([null, 'SIGSEGV'])
    expect(decodeWaitStatus(null)).toEqual([null, null])
  })
})

describe('encodeRequest', () => {
  it('frames a Run request: its length, the type, then every string length-prefixed', () => {
    const encoded = encodeRequest({
      file: 'cmd',
      args: ['a', 'é'],
      cwd: '/w',
      env: { B: '2', A: '1', GONE: undefined },
      outputFile: { path: '/o', after: 64, appended: () => {} },
      marker: 'M=1'
    }) as Buffer
    expect(encoded.readUInt32BE(0)).toBe(encoded.length - 4)
    expect(encoded[4]).toBe(Request.Run)
    expect(stringsOf(encoded)).toEqual([
      '/w',
      '/o',
      '64',
      '3',
      'cmd',
      'a',
      'é',
      'B=2',
      'A=1',
      'M=1'
    ])
  })

  it('refuses a string with a NUL byte, and closes with a request of its own', () => {
    expect(encodeRequest({ file: 'cmd', args: ['a\0b'], env: {} })).toBeUndefined()
    expect([...CLOSE_REQUEST]).toEqual([0, 0, 0, 1, Request.Close])
  })
})

describe('startError', () => {
  it('reads errno and the failed step as spawn words the error', () => {
    const { ENOENT, EAGAIN } = os.constants.errno
    expect(startError('nosuch', ENOENT, FailedStep.Exec)).toMatchObject({
      message: 'spawn nosuch ENOENT',
      code: 'ENOENT',
      errno: -ENOENT,
      syscall: 'spawn nosuch',
      path: 'nosuch'
    })
    expect(startError('cmd', EAGAIN, FailedStep.Fork)).toMatchObject({
      message: 'fork EAGAIN',
      syscall: 'fork cmd'
    })
    expect(startError('cmd', EAGAIN, FailedStep.Pipe).message).toBe('pipe EAGAIN')
  })
})
