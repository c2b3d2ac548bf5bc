import { Shell } from '../model/shell.js'
import { unsendableCharacter } from '../model/unsendable.js'
import { type Item, itemText } from '../model/item.js'
import { lexPwshScript } from './pwsh-lexer.js'
import { type PwshScript, PwshValueError, pwshArguments, renderPwshBatch } from './pwsh-syntax.js'
import { checkBatchPwsh, checkBatchScript, checkBatchWords } from './batch-checks.js'
import { lexScript } from './shell-syntax.js'
import {
  type PlaceholderMatch,
  type ScriptPart,
  type WordPart,
  quoteInContext,
  shellJoin,
  ShellSyntaxError,
  splitWords
} from './shell-words.js'

/** The command template is unusable: bad syntax, or a placeholder where it cannot be safe. */
export class TemplateError extends Error {
  override name = 'TemplateError'
}

/** A placeholder names nothing for a given item (or the item cannot be used as asked). */
export class PlaceholderError extends Error {
  override name = 'PlaceholderError'

  /** namesNothing: the template asks for what the item lacks (else the item's value is unusable). */
  constructor(
    message: string,
    readonly namesNothing = false
  ) {
    super(message)
  }
}

/** A command ready to spawn. */
export interface RenderedCommand {
  /** Program to spawn. */
  file: string
  /** Its arguments. */
  args: string[]
  /** The command as a person reads it (the shell script, or for shell none the words joined with shell-style quoting). */
  display: string
}

/** GNU parallel's path forms: {.} {/} {//} {/.}, also after a position as in {1/}. */
type PathForm = '.' | '/' | '//' | '/.'

/** What a placeholder stands for, parsed from its source such as `{1/.}` or `{a.b}`. */
export type Placeholder =
  | { kind: 'sequence' }
  | { kind: 'slot' }
  | { kind: 'item'; pathForm: PathForm | undefined }
  | { kind: 'position'; position: number; pathForm: PathForm | undefined }
  | { kind: 'field'; path: string[] }

// {#} {%} | {} {.} {/} {//} {/.} | {1} {1.} {1/} {1//} {1/.} | {name} {a.b}
const PLACEHOLDER =
  /\{(?:([#%])|([0-9]+)?(\/\/|\/\.|\/|\.)?|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))\}/y

/** The placeholder starting at `index` of `text`, if one does. */
export function matchPlaceholder(text: string, index: number): PlaceholderMatch | undefined {
  PLACEHOLDER.lastIndex = index
  const match = PLACEHOLDER.exec(text)
  if (match === null) return undefined
  return { length: match[0].length, numeric: match[1] !== undefined }
}

/** Parses one placeholder's source, such as `{}`, `{2//}` or `{a.b}`. */
export function parsePlaceholder(source: string): Placeholder {
  PLACEHOLDER.lastIndex = 0
  const match = PLACEHOLDER.exec(source)
  if (match === null) throw new Error(`Not a placeholder: ${source}`)
  const [, numeric, position, pathForm, fieldPath] = match
  if (numeric !== undefined) return { kind: numeric === '#' ? 'sequence' : 'slot' }
  if (fieldPath !== undefined) return { kind: 'field', path: fieldPath.split('.') }
  const form = pathForm as PathForm | undefined
  if (position !== undefined)
    return { kind: 'position', position: Number(position), pathForm: form }
  return { kind: 'item', pathForm: form }
}

/**
 * GNU parallel's {/}: everything after the last slash (so "a/" gives ""). GNU parallel's own
 * s:.*\/:: stops at a newline ("a/b\nc/d" gives "b\nc/d"); this takes the real last slash.
 */
function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * GNU parallel's {.}: drops the last dot and what follows it within the last path component,
 * s:\.[^/.]*$:: (so ".bashrc" gives "", "x." gives "x", "x/." gives "x/").
 */
function withoutExtension(path: string): string {
  return path.replace(/\.[^/.]*$/, '')
}

/**
 * GNU parallel's {//}, Perl's File::Basename::dirname: "a" gives ".", "/a" gives "/", "a/b/"
 * gives "a" (GNU parallel's test suite checks `parallel echo {//} ::: a` prints ".").
 */
function dirname(path: string): string {
  const split = (text: string): [string, string] => {
    const slash = text.lastIndexOf('/')
    return slash === -1 ? ['./', text] : [text.slice(0, slash + 1), text.slice(slash + 1)]
  }
  const stripTrailingSlashes = (directory: string): string => directory.replace(/(.)\/*$/s, '$1')
  const [directory, base] = split(path)
  if (base !== '') return stripTrailingSlashes(directory)
  return stripTrailingSlashes(split(stripTrailingSlashes(directory))[0])
}

function applyPathForm(text: string, form: PathForm | undefined): string {
  switch (form) {
    case undefined:
      return text
    case '.':
      return withoutExtension(text)
    case '/':
      return basename(text)
    case '//':
      return dirname(text)
    case '/.':
      return withoutExtension(basename(text))
  }
}

const MAX_ITEM_TEXT_IN_MESSAGES = 40

/** `item 3 ("foo")`, with long items cut short. */
export function describeItem(item: Item, seq: number): string {
  const characters = [...JSON.stringify(item)]
  const text =
    characters.length > MAX_ITEM_TEXT_IN_MESSAGES
      ? `${characters.slice(0, MAX_ITEM_TEXT_IN_MESSAGES - 1).join('')}…`
      : characters.join('')
  return `item ${seq} (${text})`
}

function kindOfItem(item: Item): string {
  if (item === null) return 'null'
  if (Array.isArray(item)) return 'a list'
  if (typeof item === 'object') return 'an object'
  return `a ${typeof item}`
}

/** The value of a placeholder for an item, or the reason it names nothing. */
export function valueOf(
  placeholder: Placeholder,
  item: Item,
  seq: number,
  slot: number
): { value: string } | { problem: string } {
  switch (placeholder.kind) {
    case 'sequence':
      return { value: String(seq) }
    case 'slot':
      return { value: String(slot) }
    case 'item':
      return { value: applyPathForm(itemText(item), placeholder.pathForm) }
    case 'position': {
      const { position, pathForm } = placeholder
      if (position === 0) return { problem: 'positions count from 1.' }
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        return { problem: 'the item is an object, not a list; name its fields as in {name}.' }
      }
      const elements = Array.isArray(item) ? item : [item]
      const element = elements[position - 1]
      if (element === undefined) {
        if (!Array.isArray(item))
          return { problem: 'the item is a single value, so only {1} names it.' }
        if (item.length === 0) return { problem: 'the item is an empty list.' }
        return {
          problem: `the item has only ${item.length} element${item.length === 1 ? '' : 's'}.`
        }
      }
      return { value: applyPathForm(itemText(element), pathForm) }
    }
    case 'field': {
      let value: Item = item
      for (const [depth, key] of placeholder.path.entries()) {
        const found =
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.hasOwn(value, key)
            ? value[key]
            : undefined
        if (found === undefined) {
          const field = placeholder.path.slice(0, depth + 1).join('.')
          const hint =
            depth === 0 && kindOfItem(item) !== 'an object' ? ` (it is ${kindOfItem(item)})` : ''
          return { problem: `the item has no field '${field}'${hint}.` }
        }
        value = found
      }
      return { value: itemText(value) }
    }
  }
}

type Plan =
  | { kind: 'itemsAreCommands' }
  | { kind: 'script'; parts: ScriptPart[] }
  | { kind: 'pwsh'; script: PwshScript }
  | { kind: 'words'; words: WordPart[][] }

/** How a template will be rendered, checked when it is parsed. */
export interface TemplateOptions {
  /**
   * Rendered for batches of items (`batch-size` not 1): every item placeholder must be a word of
   * its own, where it can become one word per item; TemplateError otherwise.
   */
  batch?: boolean
}

/** A command template, parsed and checked once, rendered once per item. */
export class CommandTemplate {
  /** True when the template uses {%} (the slot is only known at start time). */
  readonly usesSlot: boolean

  private constructor(
    private readonly shell: Shell,
    private readonly plan: Plan,
    private readonly placeholders: ReadonlyMap<string, Placeholder>,
    /** Checked for batches at parse time: renderBatch may expand item placeholders. */
    private readonly forBatches = false
  ) {
    this.usesSlot = placeholders.has('{%}')
  }

  /** Whether an item reaches the command: {}, a path form, {n} or a field is in it ({#}, {%} are not). */
  get takesItems(): boolean {
    return [...this.placeholders.values()].some(
      placeholder => placeholder.kind !== 'sequence' && placeholder.kind !== 'slot'
    )
  }

  /**
   * Parses and checks the template once; throws TemplateError. An empty/whitespace-only template
   * means "each item is itself the command".
   */
  static parse(template: string, shell: Shell, options: TemplateOptions = {}): CommandTemplate {
    if (template.trim() === '')
      return new CommandTemplate(shell, { kind: 'itemsAreCommands' }, new Map())
    const plan = parsePlan(template, shell, options.batch === true)
    const parts =
      plan.kind === 'script'
        ? plan.parts
        : plan.kind === 'pwsh'
          ? plan.script.parts
          : plan.kind === 'words'
            ? plan.words.flat()
            : []
    const sources = parts.flatMap(part => (part.kind === 'placeholder' ? [part.source] : []))
    const placeholders = new Map(sources.map(source => [source, parsePlaceholder(source)]))
    return new CommandTemplate(shell, plan, placeholders, options.batch === true)
  }

  /**
   * Renders one command for a batch of items (parsed with `batch: true`): each item placeholder
   * becomes one word per item, in order; {#} is `batch`, {%} the slot. Throws PlaceholderError
   * naming the placeholder and the item.
   */
  renderBatch(
    items: readonly Item[],
    batch: number,
    slot: number,
    /** The items' 1-based numbers in the whole input, for error messages. */
    itemNumbers?: readonly number[]
  ): RenderedCommand {
    checkNumbers(batch, slot)
    const [first] = items
    if (first === undefined) throw new RangeError('A batch needs at least one item.')
    if (!this.forBatches || this.plan.kind === 'itemsAreCommands') {
      // Not checked for batches: only a batch of one can be rendered, as that item alone.
      if (items.length === 1) return this.render(first, batch, slot)
      throw new Error('renderBatch needs a command template parsed with batch: true.')
    }
    const describe = (position: number): string => {
      const item = items[position] as Item
      const number = itemNumbers?.[position]
      if (number !== undefined) return describeItem(item, number)
      return `${describeItem(item, position + 1)} of batch ${batch}`
    }
    const valuesOf = this.valuesFor(items, batch, slot, describe)
    return this.renderWith(valuesOf, () => `batch ${batch}`, first, batch)
  }

  /**
   * Renders for one item; seq is 1-based, slot 1..workers. Throws PlaceholderError naming the
   * placeholder and the item.
   */
  render(item: Item, seq: number, slot: number): RenderedCommand {
    checkNumbers(seq, slot)
    const described = (): string => describeItem(item, seq)
    return this.renderWith(this.valuesFor([item], seq, slot, described), described, item, seq)
  }

  /**
   * Each placeholder's values for these items (one value for {#} and {%}), checked and worked out
   * once per placeholder; `describe` names the item at a position in errors.
   */
  private valuesFor(
    items: readonly Item[],
    seq: number,
    slot: number,
    describe: (position: number) => string
  ): (source: string) => string[] {
    const known = new Map<string, string[]>()
    return source => {
      const cached = known.get(source)
      if (cached !== undefined) return cached
      const placeholder = this.placeholders.get(source)
      if (placeholder === undefined) throw new Error(`Unparsed placeholder ${source}`)
      const each =
        placeholder.kind === 'sequence' || placeholder.kind === 'slot' ? items.slice(0, 1) : items
      const values = each.map((item, position) =>
        checkedValue(source, placeholder, item, seq, slot, () => describe(position))
      )
      known.set(source, values)
      return values
    }
  }

  /**
   * The command with each placeholder's values written in: one value for an item, one per item
   * of a batch (as separate words). `subject` names what is rendered in errors (made only for
   * one, as it writes the item out); `first` and `seq` name it when the command has no words.
   */
  private renderWith(
    valuesOf: (source: string) => string[],
    subject: () => string,
    first: Item,
    seq: number
  ): RenderedCommand {
    const plan = this.plan
    switch (plan.kind) {
      case 'itemsAreCommands':
        return this.renderItemAsCommand(first, seq)
      case 'script':
        return this.shellCommand(
          plan.parts
            .map(part =>
              part.kind === 'text'
                ? part.text
                : valuesOf(part.source)
                    .map(value => quoteInContext(value, part.context))
                    .join(' ')
            )
            .join('')
        )
      case 'pwsh': {
        let script: string
        try {
          script = renderPwshBatch(plan.script, valuesOf)
        } catch (error) {
          if (!(error instanceof PwshValueError)) throw error
          throw new PlaceholderError(
            `Placeholder ${error.sources.join(' and ')} cannot be used for ${subject()}: ` +
              error.message
          )
        }
        return this.shellCommand(script)
      }
      case 'words': {
        const words = plan.words.flatMap(parts => {
          const [only] = parts
          if (parts.length === 1 && only?.kind === 'placeholder') return valuesOf(only.source)
          // Checked at parse time: in a batch only {#} and {%} stand inside a longer word.
          return [
            parts
              .map(part => (part.kind === 'text' ? part.text : valuesOf(part.source)[0]))
              .join('')
          ]
        })
        return this.directCommand(words, first, seq)
      }
    }
  }

  private renderItemAsCommand(item: Item, seq: number): RenderedCommand {
    const text = itemText(item)
    const unsendable = unsendableCharacter(text)
    if (unsendable !== undefined) {
      throw new PlaceholderError(
        `${capitalize(describeItem(item, seq))} cannot be run as a command: it contains ` +
          `${unsendable}, which no command line can carry.`
      )
    }
    if (this.shell !== Shell.None) return this.shellCommand(text)
    let words: WordPart[][]
    try {
      words = splitWords(text)
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error
      throw new PlaceholderError(
        `${capitalize(describeItem(item, seq))} cannot be run as a command: ${lowercaseFirst(error.message)}`
      )
    }
    // Without a matcher, splitWords returns text parts only.
    const texts = words.map(parts =>
      parts.map(part => (part.kind === 'text' ? part.text : '')).join('')
    )
    return this.directCommand(texts, item, seq)
  }

  private shellCommand(script: string): RenderedCommand {
    switch (this.shell) {
      case Shell.Bash:
        // As GitHub's `shell: bash`.
        return {
          file: 'bash',
          args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
          display: script
        }
      case Shell.Sh:
        return { file: 'sh', args: ['-e', '-c', script], display: script }
      case Shell.Pwsh:
        // As GitHub's `shell: pwsh` (its prelude and epilogue around the script), but passed with
        // -EncodedCommand: no temporary file and no command-line quoting on any platform. The
        // display leaves the prelude and epilogue out.
        return { file: 'pwsh', args: pwshArguments(script), display: script }
      case Shell.None:
        throw new Error('A shell script cannot run without a shell.')
    }
  }

  private directCommand(words: string[], item: Item, seq: number): RenderedCommand {
    const [file, ...args] = words
    if (file === undefined) {
      throw new PlaceholderError(
        `${capitalize(describeItem(item, seq))} cannot be run as a command: it has no words.`
      )
    }
    if (file === '') {
      throw new PlaceholderError(
        `The command for ${describeItem(item, seq)} has an empty program name.`
      )
    }
    return { file, args, display: shellJoin(words) }
  }
}

/** Throws RangeError unless seq and slot are whole numbers. */
function checkNumbers(seq: number, slot: number): void {
  for (const [name, number] of [
    ['seq', seq],
    ['slot', slot]
  ] as const) {
    if (!Number.isSafeInteger(number) || number < 0) {
      throw new RangeError(`${name} must be a whole number, not ${number}.`)
    }
  }
}

/** A placeholder's value for an item, or PlaceholderError naming the item as `described`. */
function checkedValue(
  source: string,
  placeholder: Placeholder,
  item: Item,
  seq: number,
  slot: number,
  described: () => string
): string {
  const result = valueOf(placeholder, item, seq, slot)
  if ('problem' in result) {
    throw new PlaceholderError(
      `Placeholder ${source} names nothing in ${described()}: ${result.problem}`,
      true
    )
  }
  const unsendable = unsendableCharacter(result.value)
  if (unsendable !== undefined) {
    throw new PlaceholderError(
      `Placeholder ${source} cannot be used for ${described()}: its value ` +
        `contains ${unsendable}, which no command line can carry.`
    )
  }
  return result.value
}

/** Whether a placeholder's value is one number ({#}, {%}), the same for every item of a batch. */
function isNumeric(source: string): boolean {
  return matchPlaceholder(source, 0)?.numeric === true
}

function parsePlan(template: string, shell: Shell, batch: boolean): Plan {
  try {
    if (shell === Shell.None) {
      const words = splitWords(template, matchPlaceholder)
      if (words.length === 0) throw new TemplateError('The command template has no words to run.')
      const [first] = words
      if (first?.length === 0) {
        throw new TemplateError(
          'The command template starts with an empty word, which names no program.'
        )
      }
      if (batch) checkBatchWords(words, isNumeric)
      return { kind: 'words', words }
    }
    if (shell === Shell.Pwsh) {
      const script = lexPwshScript(template, matchPlaceholder)
      if (batch) checkBatchPwsh(template, script.parts, isNumeric)
      return { kind: 'pwsh', script }
    }
    const parts = lexScript(template, shell, matchPlaceholder)
    if (batch) checkBatchScript(template, parts, isNumeric)
    return { kind: 'script', parts }
  } catch (error) {
    if (error instanceof ShellSyntaxError) throw new TemplateError(error.message)
    throw error
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function lowercaseFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
