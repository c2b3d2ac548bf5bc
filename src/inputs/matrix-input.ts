import { Inputs } from '../action/action-yml.js'
import { MAX_JSON_DEPTH, type Item } from '../model/item.js'
import { cut } from '../model/labels.js'
import { type MatrixEntry, type MatrixSpec } from '../model/matrix.js'

/** Where a matrix problem is, as the error says it. */
const INVALID = `Invalid ${Inputs.Matrix}`

/** A key that a placeholder can name: `{os}`, `{node-version}`. */
const PLACEHOLDER_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/

/**
 * Parses the `matrix` input: YAML (JSON included) as `strategy.matrix` is written, a mapping of
 * dimensions to lists with optional `include` and `exclude` lists of mappings. Every problem is an
 * error naming the input, before anything runs.
 */
export async function parseMatrix(text: string): Promise<MatrixSpec> {
  const value = await parseYaml(text)
  if (!isMapping(value)) {
    throw new Error(
      `${INVALID}: the YAML is ${kindOf(value)}. Expected a mapping of dimensions to lists, ` +
        'with optional include and exclude, such as {os: [linux, macos], node: [20, 22]}.'
    )
  }
  const dimensions: [string, Item[]][] = []
  let include: MatrixEntry[] = []
  let exclude: MatrixEntry[] = []
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'include') include = entries(key, entry)
    else if (key === 'exclude') exclude = entries(key, entry)
    else {
      checkKey(key)
      if (!Array.isArray(entry)) {
        throw new Error(
          `${INVALID}: dimension '${key}' is ${kindOf(entry)}. Expected a list of values.`
        )
      }
      dimensions.push([key, entry])
    }
  }
  for (const entry of include) Object.keys(entry).forEach(checkKey)
  return { dimensions, include, exclude }
}

/** The YAML's value, JSON values only; syntax, non-text keys and inexact numbers refused. */
async function parseYaml(text: string): Promise<Item> {
  // The YAML parser is a third of a megabyte: loaded only when there is a matrix to parse.
  const yaml = await import('yaml')
  const lineCounter = new yaml.LineCounter()
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset)
    return `at line ${line}, column ${col}`
  }
  let document: ReturnType<typeof yaml.parseDocument>
  try {
    document = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: true, lineCounter })
  } catch (error) {
    throw new Error(`${INVALID}: ${String(error)}. Expected YAML nested less deeply.`, {
      cause: error
    })
  }
  const problem = document.errors[0]
  if (problem !== undefined) {
    const message = problem.message.split('\n')[0]?.replace(/:$/, '')
    throw new Error(
      `${INVALID}: ${message}. Expected YAML such as {os: [linux, macos], node: [20, 22]}.`
    )
  }
  yaml.visit(document, {
    Pair(_, pair) {
      const key = pair.key
      if (yaml.isScalar(key) && typeof key.value === 'string') return
      const source = yaml.isNode(key) && key.range ? text.slice(key.range[0], key.range[1]) : ''
      const where = yaml.isNode(key) && key.range ? ` ${at(key.range[0])}` : ''
      throw new Error(
        `${INVALID}: the key '${cut(source, 40)}'${where} is not text. Expected keys that are ` +
          "text: quote a key such as '1' or 'true'."
      )
    },
    Scalar(_, scalar) {
      if (typeof scalar.value !== 'number' || !scalar.range) return
      const literal = text.slice(scalar.range[0], scalar.range[1])
      const integer = Number.isInteger(scalar.value) && !/[.eE]/.test(literal)
      if (Number.isFinite(scalar.value) && (!integer || Number.isSafeInteger(scalar.value))) return
      throw new Error(
        `${INVALID}: the number ${cut(literal, 40)} ${at(scalar.range[0])} cannot be kept ` +
          `exactly. Expected it as a string: '${cut(literal, 40)}'.`
      )
    }
  })
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: 1000 })
  } catch (error) {
    throw new Error(`${INVALID}: ${(error as Error).message}. Expected fewer aliases.`, {
      cause: error
    })
  }
  checkJsonValue(value, 0)
  return value as Item
}

/** `include` or `exclude`: a list of mappings. */
function entries(key: string, value: Item): MatrixEntry[] {
  if (!Array.isArray(value)) {
    throw new Error(
      `${INVALID}: ${key} is ${kindOf(value)}. Expected a list of mappings such as ` +
        '[{os: linux, node: 20}].'
    )
  }
  value.forEach((entry, index) => {
    if (!isMapping(entry)) {
      throw new Error(
        `${INVALID}: ${key} item ${index + 1} is ${kindOf(entry)}. Expected a mapping such as ` +
          '{os: linux, node: 20}.'
      )
    }
  })
  return value as MatrixEntry[]
}

/** Refuses a key no placeholder could name: each combination's values are used as `{key}`. */
function checkKey(key: string): void {
  if (PLACEHOLDER_KEY.test(key)) return
  throw new Error(
    `${INVALID}: key '${cut(key, 40)}' cannot be named in a placeholder. Expected letters, ` +
      'digits, _ and -, not starting with a digit.'
  )
}

/** Refuses what YAML can hold but JSON cannot (binary, dates, sets), and too deep a nesting. */
function checkJsonValue(value: unknown, depth: number): void {
  if (depth > MAX_JSON_DEPTH) {
    throw new Error(
      `${INVALID}: lists and mappings nest deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} ` +
        'levels. Expected them nested less deeply.'
    )
  }
  if (value === null || ['string', 'boolean'].includes(typeof value)) return
  if (typeof value === 'number' && Number.isFinite(value)) return
  if (Array.isArray(value)) return value.forEach(member => checkJsonValue(member, depth + 1))
  if (isMapping(value)) {
    return Object.values(value).forEach(member => checkJsonValue(member, depth + 1))
  }
  throw new Error(
    `${INVALID}: a value is ${describeType(value)}, which JSON cannot hold. ` +
      'Expected strings, numbers, booleans, null, lists and mappings only.'
  )
}

/** What a value YAML gave but JSON cannot hold is: `a Buffer` (!!binary), `a Set` (!!set). */
function describeType(value: unknown): string {
  const name = (value as object | undefined)?.constructor?.name
  return name === undefined ? String(value) : `a ${name}`
}

function isMapping(value: unknown): value is { [key: string]: Item } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** How an error names what a value is. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `a ${typeof value}`
}
