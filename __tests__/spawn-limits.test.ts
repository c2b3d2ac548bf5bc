import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { MAX_ARG_STRLEN, spawnProblem } from '../src/spawn-limits.js'

describe('spawnProblem', () => {
  it('accepts ordinary arguments and variables', () => {
    expect(spawnProblem(['-c', 'echo hi'], { PARALLEL_ITEM: 'x' })).toBeUndefined()
  })

  it('names a NUL byte in an argument or a variable', () => {
    expect(spawnProblem(['-c', 'a\0b'], {})).toBe(
      'argument 2 of its command would contain a NUL byte, which no argument or environment variable can carry'
    )
    expect(spawnProblem([], { PARALLEL_ITEM: '\0' })).toContain(
      'environment variable PARALLEL_ITEM'
    )
  })

  it('names a string over 128 KiB in bytes, counting multi-byte characters and the NUL', () => {
    expect(spawnProblem(['x'.repeat(MAX_ARG_STRLEN - 1)], {})).toBeUndefined()
    expect(spawnProblem(['x'.repeat(MAX_ARG_STRLEN)], {})).toBe(
      "argument 1 of its command would be 131,073 bytes, over Linux's limit of 131,072 bytes (128 KiB) per string; pass large data through a file instead"
    )
    expect(spawnProblem([], { PARALLEL_ITEM: 'é'.repeat(70_000) })).toContain(
      'would be 140,015 bytes'
    )
  })

  it('matches what the kernel refuses', () => {
    const fits = spawnSync('/bin/true', ['x'.repeat(MAX_ARG_STRLEN - 1)])
    const tooLong = spawnSync('/bin/true', ['x'.repeat(MAX_ARG_STRLEN)])
    expect(fits.status).toBe(0)
    expect((tooLong.error as NodeJS.ErrnoException | undefined)?.code).toBe('E2BIG')
  })
})
