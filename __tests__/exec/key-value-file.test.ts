import { describe, expect, it } from '@jest/globals'
import { parseKeyValueFile } from '../../src/exec/key-value-file.js'

describe('parseKeyValueFile', () => {
  // Each text, what the strict reading (GITHUB_ENV) gives, and what the lenient one (GITHUB_OUTPUT) does.
  const CASES: [string, string, object, [string, string][]][] = [
    [
      'CRLF line ends',
      'A=1\r\nB<<E\r\nx\r\nE\r\n',
      {
        entries: [
          ['A', '1\r'],
          ['B', 'x\r']
        ]
      },
      [
        ['A', '1'],
        ['B', 'x']
      ]
    ],
    ['a byte order mark', '\uFEFFA=1\n', { entries: [['A', '1']] }, [['\uFEFFA', '1']]],
    [
      'a block without its delimiter line',
      'A<<EOF\nx\n',
      { problem: 'the value that starts on line 1 has no closing delimiter line' },
      [['A', 'x\n']]
    ],
    [
      'a line of neither form',
      'just text\nA=1\n',
      { problem: 'line 1 is neither NAME=value nor NAME<<DELIMITER' },
      [['A', '1']]
    ],
    [
      'a nameless value',
      '=v\nA=1\n',
      { problem: 'line 1 sets a variable without a name' },
      [['A', '1']]
    ],
    [
      'a nameless block',
      '<<EOF\nx\nEOF\n',
      { problem: "line 1 needs a name before '<<' and a delimiter after it" },
      []
    ],
    [
      'a later value of a name',
      'A=1\nA=2\n',
      {
        entries: [
          ['A', '1'],
          ['A', '2']
        ]
      },
      [
        ['A', '1'],
        ['A', '2']
      ]
    ]
  ]

  it.each(CASES)(
    'reads %s strictly as the runner, leniently keeping what it can',
    (_, text, strict, lenient) => {
      expect(parseKeyValueFile(text, { strict: true })).toEqual(strict)
      expect(parseKeyValueFile(text, { strict: false })).toEqual({ entries: lenient })
    }
  )
})
