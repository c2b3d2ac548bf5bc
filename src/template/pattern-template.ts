import { type Item } from '../model/item.js'
import { unsendableCharacter } from '../model/unsendable.js'
import { globEscape } from '../system/glob.js'
import {
  describeItem,
  matchPlaceholder,
  type Placeholder,
  parsePlaceholder,
  PlaceholderError,
  TemplateError,
  valueOf
} from './template.js'

/** A piece of a pattern line: glob text as written, or a placeholder. */
type PatternPart =
  { kind: 'text'; text: string } | { kind: 'placeholder'; source: string; placeholder: Placeholder }

/**
 * A glob line with the command template's placeholders (`packages/{}/**`, `{//}/*.ts`), parsed
 * once and rendered per item. Each value is put in glob-escaped, so it names exactly its own
 * characters: an item `a*[1]` names the path `a*[1]`, never `a1` or `ab1`.
 */
export class PatternTemplate {
  private constructor(private readonly parts: readonly PatternPart[]) {}

  /** Parses a line; throws TemplateError for `{%}`, which is not known before the run. */
  static parse(line: string): PatternTemplate {
    const parts: PatternPart[] = []
    let text = ''
    for (let index = 0; index < line.length;) {
      const match = line[index] === '{' ? matchPlaceholder(line, index) : undefined
      if (match === undefined) {
        text += line[index]
        index += 1
        continue
      }
      const source = line.slice(index, index + match.length)
      const placeholder = parsePlaceholder(source)
      if (placeholder.kind === 'slot') {
        throw new TemplateError(
          `Placeholder ${source} cannot be used in a path pattern: the worker slot is not known ` +
            'before the run. Expected {}, {#}, {/}, {//}, {.}, {/.}, {1} or {name}.'
        )
      }
      if (text !== '') parts.push({ kind: 'text', text })
      text = ''
      parts.push({ kind: 'placeholder', source, placeholder })
      index += match.length
    }
    if (text !== '') parts.push({ kind: 'text', text })
    return new PatternTemplate(parts)
  }

  /** True when the line has a placeholder, so it renders differently per item. */
  get hasPlaceholders(): boolean {
    return this.parts.some(part => part.kind === 'placeholder')
  }

  /**
   * The line for one item (seq 1-based), values glob-escaped. Throws PlaceholderError naming the
   * placeholder and the item when it names nothing, or when its value holds a character no path
   * pattern line can carry (NUL, a line break, a lone surrogate).
   */
  render(item: Item, seq: number): string {
    return this.parts
      .map(part => {
        if (part.kind === 'text') return part.text
        const result = valueOf(part.placeholder, item, seq, 0)
        if ('problem' in result) {
          throw new PlaceholderError(
            `Placeholder ${part.source} names nothing in ${describeItem(item, seq)}: ${result.problem}`,
            true
          )
        }
        const bad = unpatternable(result.value)
        if (bad !== undefined) {
          throw new PlaceholderError(
            `Placeholder ${part.source} cannot be used in a path pattern for ` +
              `${describeItem(item, seq)}: its value contains ${bad}, which no path pattern line can carry.`
          )
        }
        const unnamed = unnamedPath(result.value, part.placeholder)
        if (unnamed !== undefined) {
          throw new PlaceholderError(
            `Placeholder ${part.source} cannot be used in a path pattern for ` +
              `${describeItem(item, seq)}: its value '${result.value}' ${unnamed}. Expected a value ` +
              'that names a path of its own: not empty, with no . or .. part.'
          )
        }
        return globEscape(result.value)
      })
      .join('')
  }
}

/** Where paths divide: `/`, and on Windows `\` too. */
const SEPARATORS = process.platform === 'win32' ? /[\\/]/ : /\//

/**
 * Why a value would not name exactly its own path in a pattern, or undefined when it does: an
 * empty value (`packages/{}/**` would be `packages/**`) or a `.` or `..` part (folded away). `{//}`
 * of an item without a folder is `.`, the working directory, which is that item's folder.
 */
function unnamedPath(value: string, placeholder: Placeholder): string | undefined {
  if (placeholder.kind === 'sequence' || placeholder.kind === 'slot') return undefined
  const folderForm = 'pathForm' in placeholder && placeholder.pathForm === '//'
  if (folderForm && value === '.') return undefined
  const parts = value.split(SEPARATORS)
  if (parts.every(part => part === '')) {
    return `names no path, so the pattern would name the folder around it`
  }
  const dots = parts.find(part => part === '.' || part === '..')
  if (dots === undefined) return undefined
  return `has the part '${dots}', which is folded away, so the pattern would name another path`
}

/** The first character of a value that a one-line path pattern cannot hold, described. */
function unpatternable(value: string): string | undefined {
  const lineBreak = /[\n\r]/.exec(value)?.[0]
  if (lineBreak !== undefined) return lineBreak === '\n' ? 'a line feed' : 'a carriage return'
  return unsendableCharacter(value)
}
