import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { detectFormat, ItemsFormat, parseItems, readItemsFile } from '../../src/inputs/items.js'

const inline = { input: 'items' }

describe('parseItems', () => {
  it('reads one item per line, trimmed, skipping blank lines and CRLF endings', () => {
    expect(parseItems('a.txt\n\n  b c.txt  \r\n\t\nd\n', inline)).toEqual(['a.txt', 'b c.txt', 'd'])
  })

  it('keeps braces, quotes and shell text in line items as they are', () => {
    expect(parseItems("it's $(x)\n{a,b}\n", inline)).toEqual(["it's $(x)", '{a,b}'])
  })

  it('reads a JSON array of strings, numbers, arrays and objects', () => {
    expect(parseItems('[ "a", 2, ["x", 1], {"name": "n", "deep": {"v": true}} ]', inline)).toEqual([
      'a',
      2,
      ['x', 1],
      { name: 'n', deep: { v: true } }
    ])
  })

  it('reads JSON Lines when the text starts with an object', () => {
    expect(parseItems('{"a":1}\n\n{"a":2}\n', inline)).toEqual([{ a: 1 }, { a: 2 }])
  })

  it('names the input, line and column of malformed JSON', () => {
    expect(() => parseItems('[\n  "a",\n  x\n]', inline)).toThrow(
      "Invalid JSON in input 'items' at line 3, column 3. Expected a JSON array of items, or one item per line."
    )
    expect(() => parseItems('["a", "b"', inline)).toThrow('at line 1, column 10')
    expect(() => parseItems('{"a":1}\n{"a":}\n', inline)).toThrow(
      "Invalid JSON Lines in input 'items' at line 2, column 6. Expected one JSON value per line."
    )
  })

  it('rejects JSON that is not an array', () => {
    expect(() => parseItems('{"a":1}', { input: 'items-file', path: 'x.json' })).toThrow(
      "Invalid items-file 'x.json': the JSON is not an array. Expected a JSON array of items."
    )
  })

  it('strips a byte order mark', () => {
    expect(parseItems('\ufeff["a"]', inline)).toEqual(['a'])
  })
})

describe('detectFormat', () => {
  it('goes by the extension first, then by the first character', () => {
    expect(detectFormat('a\nb', 'list.json')).toBe(ItemsFormat.JsonArray)
    expect(detectFormat('[1]\n[2]', 'list.jsonl')).toBe(ItemsFormat.JsonLines)
    expect(detectFormat('{}', 'list.ndjson')).toBe(ItemsFormat.JsonLines)
    expect(detectFormat('  [1]', 'list.txt')).toBe(ItemsFormat.JsonArray)
    expect(detectFormat('{"a":1}')).toBe(ItemsFormat.JsonLines)
    expect(detectFormat('a.txt')).toBe(ItemsFormat.Lines)
  })
})

describe('readItemsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'items-test-'))

  it('reads lines, JSON arrays and JSON Lines files', async () => {
    writeFileSync(join(dir, 'a.txt'), 'x\ny\n')
    writeFileSync(join(dir, 'b.json'), '["x", {"k": 1}]')
    writeFileSync(join(dir, 'c.jsonl'), '"x"\n[1,2]\n')
    expect(await readItemsFile(join(dir, 'a.txt'), 'items-file')).toEqual(['x', 'y'])
    expect(await readItemsFile(join(dir, 'b.json'), 'items-file')).toEqual(['x', { k: 1 }])
    expect(await readItemsFile(join(dir, 'c.jsonl'), 'items-file')).toEqual(['x', [1, 2]])
  })

  it('names a missing file', async () => {
    const missing = join(dir, 'nope.txt')
    await expect(readItemsFile(missing, 'items-file')).rejects.toThrow(
      `Invalid items-file '${missing}': no such file. Expected the path of a file of items.`
    )
  })
})

describe('numbers and encodings that would not reach a command exactly', () => {
  it('refuses integers beyond 2^53 and overflowing numbers, naming where they are', () => {
    expect(() => parseItems('[1, 12345678901234567890]', inline)).toThrow(
      "Invalid JSON in input 'items' at line 1, column 5: the number 12345678901234567890 cannot be kept exactly. " +
        'Expected it as a string: "12345678901234567890".'
    )
    expect(() => parseItems('{"id": 1}\n{"id": 9007199254740993}\n', inline)).toThrow(
      "Invalid JSON in input 'items' at line 2, column 8: the number 9007199254740993"
    )
    expect(() => parseItems('[1e400]', inline)).toThrow('the number 1e400 cannot be kept exactly')
    expect(parseItems('[9007199254740991, 0.1, -2.5e3]', inline)).toEqual([
      9007199254740991, 0.1, -2500
    ])
  })

  it('refuses an items file that is not UTF-8, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-test-'))
    const path = join(dir, 'latin1.txt')
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('ok.txt\ncaf'), Buffer.from([0xe9]), Buffer.from('.txt\n')])
    )
    await expect(readItemsFile(path, 'items-file')).rejects.toThrow(
      `Invalid items-file '${path}': line 2 is not valid UTF-8. Expected UTF-8 text`
    )
  })
})
