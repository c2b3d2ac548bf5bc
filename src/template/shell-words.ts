/**
 * What every analysis of a shell template shares: the quoting contexts and the quoting for each,
 * the placeholder matcher's types, and the shell-like word splitting used when no shell runs at
 * all (`shell: none`).
 */

/** Which shell reads the script: bash, or a POSIX sh that may be dash or bash in POSIX mode. */
export type ShellDialect = 'bash' | 'sh'

/**
 * How a value is written where its placeholder stands:
 * - `bare`: outside any quotes; the value becomes one single-quoted string.
 * - `single`: inside '…'.
 * - `double`: inside "…".
 * - `ansiC`: inside bash's $'…'.
 * - `raw`: as it is; only for numbers, where their digits cannot run into the text around them
 *   (a `$name` before them, a `>` after them, …): there a number is quoted like text, or refused
 *   where quotes cannot go.
 */
export type QuotingContext = 'bare' | 'single' | 'double' | 'ansiC' | 'raw'

/** A placeholder found at some index: how long it is and whether its value is always digits. */
export interface PlaceholderMatch {
  length: number
  numeric: boolean
}

/** Recognizes a placeholder starting at `index` (which holds a `{`), or returns undefined. */
export type PlaceholderMatcher = (text: string, index: number) => PlaceholderMatch | undefined

/**
 * What the word a text placeholder stands in is in the shell's grammar, which decides whether the
 * placeholder can stand for several words (the items of a batch): as the whole word, `argument`
 * (an ordinary argument of a simple command) and `loopList` (a word of `for … in`) can; the
 * others cannot. `partOfWord`: an argument or loop word the placeholder is only part of;
 * `runArgument`: an argument of a builtin that runs or binds its arguments (exec, source), where
 * the first item could become the command or an option's value and the next ones its arguments.
 */
export type WordRole =
  | 'argument'
  | 'runArgument'
  | 'loopList'
  | 'partOfWord'
  | 'assignment'
  | 'redirection'
  | 'commandName'
  | 'caseWord'
  | 'conditional'
  | 'testOperand'
  | 'parenthesized'
  | 'other'

/** A piece of a lexed script: literal text, or a placeholder and how to quote its value. */
export type ScriptPart =
  | { kind: 'text'; text: string }
  | {
      kind: 'placeholder'
      source: string
      index: number
      context: QuotingContext
      /** For a text placeholder in a word of a command list: its role in the grammar. */
      role?: WordRole
      /** And that word as the template writes it. */
      word?: string
    }

/** A piece of a word split without a shell: literal text, or a placeholder put in verbatim. */
export type WordPart = { kind: 'text'; text: string } | { kind: 'placeholder'; source: string }

/** The template cannot be lexed with certainty, or puts a placeholder where it cannot be safe. */
export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

/** "line 2, column 5" for a 0-based index into text. */
export function describePosition(text: string, index: number): string {
  const before = text.slice(0, index)
  const line = before.split('\n').length
  const column = index - before.lastIndexOf('\n')
  return `line ${line}, column ${column}`
}

/** Writes value so the shell reads back exactly its characters in the given context. */
export function quoteInContext(value: string, context: QuotingContext): string {
  const singleQuoted = value.replaceAll("'", `'\\''`)
  switch (context) {
    case 'raw':
      if (!/^[0-9]+$/.test(value)) throw new Error(`Refusing to write ${value} unquoted.`)
      return value
    case 'single':
      return singleQuoted
    case 'bare':
      return `'${singleQuoted}'`
    case 'double':
      // Close the "…", add the value single-quoted, reopen. Escaping inside "…" would have to get
      // $, `, \, " and ! right, and bash and dash disagree on some backslash escapes; single quotes
      // mean the same to both, and adjacent quoted strings still make one word.
      return `"'${singleQuoted}'"`
    case 'ansiC':
      // Close the $'…' and reopen it after the value, so no backslash escape can touch the value.
      return `''${singleQuoted}'$'`
  }
}

export const RESERVED_WORDS = new Set([
  '!',
  '{',
  '}',
  '[[',
  ']]',
  'case',
  'coproc',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'in',
  'select',
  'then',
  'time',
  'until',
  'while'
])

/** Quotes one word for a POSIX shell, only when it needs it, so a command can be copy-pasted. */
export function shellQuote(word: string, { isCommandName = false } = {}): string {
  const safe = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
  // As the first word, NAME=value would be an assignment and `if` a reserved word.
  const misreadAsCommandName = isCommandName && (word.includes('=') || RESERVED_WORDS.has(word))
  if (safe && !misreadAsCommandName) return word
  return `'${word.replaceAll("'", `'\\''`)}'`
}

/** Joins words into a command line a POSIX shell reads back as the same words. */
export function shellJoin(words: readonly string[]): string {
  return words.map((word, index) => shellQuote(word, { isCommandName: index === 0 })).join(' ')
}

/** The characters a POSIX shell separates words with: blanks (space, tab) and newline. */
const WORD_SEPARATORS = new Set([' ', '\t', '\n'])

/**
 * Splits text into words the way a shell would, without running one: spaces, tabs and newlines
 * separate words (as in a POSIX shell, other whitespace such as a carriage return, U+00A0 or U+2028
 * is part of a word), '…' and "…" group without expanding anything (inside "…" a backslash escapes
 * only " and \), and a bare backslash escapes the next character (backslash-newline joins lines).
 * `#` is an ordinary character: there are no comments without a shell. With a matcher,
 * placeholders become parts of their words, also after a `$` (which means nothing without a
 * shell); their values are later put in verbatim.
 */
export function splitWords(text: string, matchPlaceholder?: PlaceholderMatcher): WordPart[][] {
  const words: WordPart[][] = []
  let word: WordPart[] | undefined
  let literal = ''
  const flushLiteral = (): void => {
    if (literal !== '') word?.push({ kind: 'text', text: literal })
    literal = ''
  }
  const startWord = (): WordPart[] => (word ??= [])
  const placeholderAt = (index: number): PlaceholderMatch | undefined =>
    matchPlaceholder !== undefined && text[index] === '{'
      ? matchPlaceholder(text, index)
      : undefined
  // Returns the index after the placeholder at index, or undefined when there is none.
  const takePlaceholder = (index: number): number | undefined => {
    const match = placeholderAt(index)
    if (match === undefined) return undefined
    startWord()
    flushLiteral()
    word?.push({ kind: 'placeholder', source: text.slice(index, index + match.length) })
    return index + match.length
  }

  let index = 0
  while (index < text.length) {
    const char = text[index] as string
    if (WORD_SEPARATORS.has(char)) {
      flushLiteral()
      if (word !== undefined) words.push(word)
      word = undefined
      index++
    } else if (char === '\\') {
      const next = text[index + 1]
      if (next === undefined) {
        throw new ShellSyntaxError(
          `The command ends with a backslash that escapes nothing (${describePosition(text, index)}).`
        )
      }
      if (next !== '\n') {
        startWord()
        literal += next
      }
      index += 2
    } else if (char === "'" || char === '"') {
      startWord()
      const close = char
      const open = index
      index++
      for (;;) {
        const inner = text[index]
        if (inner === undefined) {
          throw new ShellSyntaxError(
            `The command has an unterminated ${close}…${close} quote starting at ${describePosition(text, open)}.`
          )
        }
        if (inner === close) {
          index++
          break
        }
        const next = text[index + 1]
        if (close === '"' && inner === '\\' && (next === '"' || next === '\\')) {
          literal += next
          index += 2
          continue
        }
        const after = takePlaceholder(index)
        if (after !== undefined) {
          index = after
          continue
        }
        literal += inner
        index++
      }
    } else {
      const after = takePlaceholder(index)
      if (after !== undefined) {
        index = after
        continue
      }
      startWord()
      literal += char
      index++
    }
  }
  flushLiteral()
  if (word !== undefined) words.push(word)
  return words
}
