import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { spawnProblem } from '../../src/system/spawn-limits.js'
import { unsendableCharacter } from '../../src/model/unsendable.js'

describe('unsendableCharacter', () => {
  it.each([
    ['a\0b', 'a NUL character'],
    ['\ud800', 'a lone surrogate (\\uD800, half of a UTF-16 pair, with no UTF-8 form)'],
    ['x\udbff', 'a lone surrogate (\\uDBFF'],
    ['\udc00x', 'a lone surrogate (\\uDC00'],
    ['😀\ude00', 'a lone surrogate (\\uDE00'],
    ['\ud83d\ud83d\ude00', 'a lone surrogate (\\uD83D']
  ])('finds what no command can be given in %j', (text, found) => {
    expect(unsendableCharacter(text)).toContain(found)
  })

  it.each(['', 'plain', '😀', 'é\u00a0\uffff', '\ud83d\ude00\ud83d\ude00'])('accepts %j', text => {
    expect(unsendableCharacter(text)).toBeUndefined()
  })

  // What this guards against: a lone surrogate reaches a real process as U+FFFD.
  it('is right that a lone surrogate would not reach a process as written', () => {
    const { stdout } = spawnSync('printf', ['%s', 'a\ud800b'], { encoding: 'utf8' })
    expect(stdout).toBe('a\ufffdb')
    expect(spawnProblem(['printf', 'a\ud800b'], {})).toBe(
      'argument 2 of its command would contain a lone surrogate (\\uD800, half of a UTF-16 pair, ' +
        'with no UTF-8 form), which no argument or environment variable can carry'
    )
  })
})
