import { describe, expect, it } from '@jest/globals'
import { groupMayBeAlive, isOneProcess } from '../../src/exec/process-tree.js'

describe('isOneProcess', () => {
  it('takes only numbers kill(2) reads as one process other than init', () => {
    for (const pid of [2, 300, process.pid, 4_194_304]) expect(isOneProcess(pid)).toBe(true)
    // 0: this process's own group; -1: every process; 1: init; the rest are no pid at all.
    for (const pid of [0, -0, 1, -1, -300, NaN, Infinity, 2.5, Number.MAX_SAFE_INTEGER + 1]) {
      expect(isOneProcess(pid)).toBe(false)
    }
  })

  it('keeps a group number that is none from reaching kill(2)', () => {
    // Signal 0 only asks: unguarded, kill(0, 0) and kill(-1, 0) would both answer yes.
    for (const pgid of [0, 1, NaN]) expect(groupMayBeAlive(pgid)).toBe(false)
  })
})
