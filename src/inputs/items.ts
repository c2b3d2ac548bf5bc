import { readFile } from 'node:fs/promises'
import { type Item } from '../model/item.js'
import { analyzeJson, lineAndColumn, MAX_JSON_DEPTH } from './json-position.js'

/** Where items came from, for error messages: the input's name, or a file's path. */
export interface ItemsSource {
  /** The input that named them: `items` or `items-file`. */
  input: string
  /** The file they were read from, for `items-file`. */
  path?: string
}

/** The format the items are in, detected from the text (and a file's extension). */
export enum ItemsFormat {
  /** One item per line; lines are trimmed and blank lines skipped. */
  Lines = 'lines',
  /** A JSON array whose elements are the items. */
  JsonArray = 'json-array',
  /** One JSON value per line (JSON Lines / NDJSON). */
  JsonLines = 'json-lines'
}

/**
 * Detects the format: a `.json` file is a JSON array, a `.jsonl`/`.ndjson` file is JSON Lines;
 * otherwise text starting with `[` is a JSON array, text starting with `{` is JSON Lines, and
 * anything else is one item per line.
 */
export function detectFormat(text: string, path?: string): ItemsFormat {
  const extension = path?.toLowerCase().match(/\.[a-z]+$/)?.[0]
  if (extension === '.json') return ItemsFormat.JsonArray
  if (extension === '.jsonl' || extension === '.ndjson') return ItemsFormat.JsonLines
  const first = text.trimStart()[0]
  if (first === '[') return ItemsFormat.JsonArray
  if (first === '{') return ItemsFormat.JsonLines
  return ItemsFormat.Lines
}

/** Parses items from text in the detected format; throws an Error naming the input and the position. */
export function parseItems(text: string, source: ItemsSource): Item[] {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  switch (detectFormat(content, source.path)) {
    case ItemsFormat.JsonArray:
      return parseJsonArray(content, source)
    case ItemsFormat.JsonLines:
      return parseJsonLines(content, source)
    case ItemsFormat.Lines:
      return content
        .split('\n')
        .map(line => line.trim())
        .filter(line => line.length > 0)
  }
}

/** Reads and parses an items file. */
export async function readItemsFile(path: string, input: string): Promise<Item[]> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
    throw new Error(
      `Invalid ${input} '${path}': ${reason}. Expected the path of a file of items.`,
      {
        cause: error
      }
    )
  }
  return parseItems(decodeUtf8(bytes, `${input} '${path}'`), { input, path })
}

/**
 * Decodes UTF-8 strictly: an item with a byte that is not UTF-8 (a Latin-1 file name, say) would
 * otherwise reach the command with U+FFFD in its place, naming a file that does not exist.
 */
function decodeUtf8(bytes: Buffer, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    let line = 1
    let start = 0
    for (let newline = bytes.indexOf(10); ; newline = bytes.indexOf(10, start)) {
      const end = newline === -1 ? bytes.length : newline
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end))
      } catch {
        break
      }
      if (newline === -1) break
      line++
      start = newline + 1
    }
    throw new Error(
      `Invalid ${source}: line ${line} is not valid UTF-8. Expected UTF-8 text ` +
        '(names that are not UTF-8 cannot be passed to a command exactly).'
    )
  }
}

function describe(source: ItemsSource): string {
  return source.path === undefined ? `input '${source.input}'` : `${source.input} '${source.path}'`
}

/**
 * Checks one JSON text (the array, or one line of JSON Lines) before JSON.parse: a syntax error,
 * nesting deeper than MAX_JSON_DEPTH, or a number that would not reach the command as written
 * (see JsonAnalysis.inexact) is an error naming the input and the position.
 */
function checkJson(text: string, source: ItemsSource, expected: string, lineIndex?: number): void {
  const { error, inexact } = analyzeJson(text)
  const at = (offset: number): string => {
    const position = lineAndColumn(text, offset)
    const line = lineIndex === undefined ? position.line : lineIndex + 1
    return `at line ${line}, column ${position.column}`
  }
  const kind = lineIndex === undefined ? 'JSON' : 'JSON Lines'
  if (error?.tooDeep) {
    throw new Error(
      `Invalid ${kind} in ${describe(source)} ${at(error.offset)}: arrays and objects nest ` +
        `deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels. Expected JSON nested at most ` +
        `${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep.`
    )
  }
  if (error)
    throw new Error(`Invalid ${kind} in ${describe(source)} ${at(error.offset)}. ${expected}`)
  if (inexact) {
    throw new Error(
      `Invalid JSON in ${describe(source)} ${at(inexact.offset)}: the number ` +
        `${inexact.literal} cannot be kept exactly. Expected it as a string: "${inexact.literal}".`
    )
  }
}

function parseJsonArray(text: string, source: ItemsSource): Item[] {
  checkJson(text, source, 'Expected a JSON array of items, or one item per line.')
  const parsed: unknown = JSON.parse(text)
  if (!Array.isArray(parsed)) {
    throw new Error(
      `Invalid ${describe(source)}: the JSON is not an array. Expected a JSON array of items.`
    )
  }
  return parsed as Item[]
}

function parseJsonLines(text: string, source: ItemsSource): Item[] {
  const items: Item[] = []
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string
    if (line.trim().length === 0) continue
    checkJson(line, source, 'Expected one JSON value per line.', index)
    items.push(JSON.parse(line) as Item)
  }
  return items
}
