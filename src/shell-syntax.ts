/**
 * Just enough bash and POSIX sh (dash) syntax to put untrusted values into a command template
 * safely: a lexer that finds each placeholder's quoting context, the quoting for each context, and
 * the shell-like word splitting used when no shell runs at all.
 *
 * The lexer never guesses. A wrong guess about a context is an injection, so whatever it cannot
 * classify with certainty for both bash (4 or later) and dash is a ShellSyntaxError.
 */

/** Which shell reads the script: bash, or a POSIX sh that may be dash or bash in POSIX mode. */
export type ShellDialect = 'bash' | 'sh'

/**
 * How a value is written where its placeholder stands:
 * - `bare`: outside any quotes; the value becomes one single-quoted string.
 * - `single`: inside '…'.
 * - `double`: inside "…".
 * - `ansiC`: inside bash's $'…'.
 * - `raw`: as it is; only for numbers, which are digits and safe everywhere.
 */
export type QuotingContext = 'bare' | 'single' | 'double' | 'ansiC' | 'raw'

/** A placeholder found at some index: how long it is and whether its value is always digits. */
export interface PlaceholderMatch {
  length: number
  numeric: boolean
}

/** Recognizes a placeholder starting at `index` (which holds a `{`), or returns undefined. */
export type PlaceholderMatcher = (text: string, index: number) => PlaceholderMatch | undefined

/** A piece of a lexed script: literal text, or a placeholder and how to quote its value. */
export type ScriptPart =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; source: string; index: number; context: QuotingContext }

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

const RESERVED_WORDS = new Set([
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

/**
 * Splits text into words the way a shell would, without running one: whitespace separates words,
 * '…' and "…" group without expanding anything (inside "…" a backslash escapes only " and \), and
 * a bare backslash escapes the next character (backslash-newline joins lines). With a matcher,
 * placeholders become parts of their words; their values are later put in verbatim.
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
    matchPlaceholder !== undefined && text[index] === '{' && text[index - 1] !== '$'
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
    if (/\s/.test(char)) {
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

/** Why a text placeholder may not stand somewhere; gets the placeholder's spelling. */
type Forbidden = (source: string) => string

const IN_BACKTICKS: Forbidden = () =>
  'is inside backticks, where its value cannot be quoted safely. Use $(…) instead of backticks.'
const IN_PARAMETER_EXPANSION: Forbidden = source =>
  'is inside a parameter expansion ${…}, where its value cannot be quoted safely. ' +
  `Assign it to a variable first (value=${source}) and expand that.`
const inArithmetic =
  (spelling: string): Forbidden =>
  source =>
    `is inside arithmetic ${spelling}, where its value would be evaluated as code. ` +
    `Assign it to a variable first (n=${source}), check that it is a number, and use the variable.`
const IN_SUBSCRIPT: Forbidden = source =>
  'is inside an array subscript name[…], which bash evaluates as arithmetic, so its value could ' +
  `run as code. Assign it to a variable first (key=${source}) and check it before using it.`
const IN_LET: Forbidden = source =>
  'is an argument of let, which evaluates it as arithmetic, so its value could run as code. ' +
  `Assign it to a variable first (n=${source}) and check that it is a number.`
const AFTER_BACKSLASH: Forbidden = () =>
  'directly follows a backslash, which would escape the quote put around its value. ' +
  'Remove the backslash.'
const inHereDocument =
  (operator: string): Forbidden =>
  source =>
    `is inside the here-document ${operator}, where its value cannot be quoted safely. ` +
    `Pipe the value in instead (printf '%s\\n' ${source} | …) or use $PARALLEL_ITEM.`
const IN_HERE_DOCUMENT_DELIMITER: Forbidden = () =>
  'is in a here-document delimiter, which cannot depend on an item. Use a fixed word such as EOF.'
const inConditional =
  (operator: string): Forbidden =>
  () =>
    `is inside [[ … ]] with ${operator}, which makes bash evaluate operands as arithmetic, so its ` +
    'value could run as code. Use [ … ] or test instead, which only accept plain numbers.'

// [[ … ]] operators whose operands bash evaluates as arithmetic or as variable names with subscripts.
const ARITHMETIC_CONDITIONAL_OPERATORS = new Set([
  '-eq',
  '-ne',
  '-lt',
  '-le',
  '-gt',
  '-ge',
  '-v',
  '-R'
])

// Reserved words after which the next word is again the first word of a command.
const KEEP_COMMAND_POSITION = new Set([
  '!',
  '{',
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until'
])

/**
 * A list of commands, or the inside of a parenthesized word (`group`: an array assignment, an
 * extended glob, the parentheses of a function definition or of [[ ( … ) ]]), where no commands
 * start and no reserved words are recognized.
 */
type FrameKind = 'script' | 'subshell' | 'commandSubstitution' | 'processSubstitution' | 'group'

interface CaseStatement {
  // subject: `case WORD`; in: expecting `in`; patternStart: before a pattern or `esac`;
  // pattern: inside a pattern list up to `)`; body: the commands of a clause.
  state: 'subject' | 'in' | 'patternStart' | 'pattern' | 'body'
}

interface Conditional {
  arithmeticOperator: string | undefined
  placeholders: { source: string; index: number }[]
}

interface Frame {
  kind: FrameKind
  forbidden: Forbidden | undefined
  /** The next word would be the first word of a command (where reserved words count). */
  commandPosition: boolean
  inWord: boolean
  /** The current word's characters while it is plain text (no quotes, expansions, escapes). */
  plainWord: string | undefined
  /** Depth of [ … ] inside a word that started as `name[` (an array subscript). */
  subscriptDepth: number
  /** Inside the arguments of `let`. */
  inLet: boolean
  /** The last word was a command name, so `()` after it defines a function. */
  afterCommandName: boolean
  /** The last word was bash's `function`, so the next is a function name. */
  afterFunctionKeyword: boolean
  /** The last word was `time` (or `time -p`), a reserved word in bash but a command in dash. */
  afterTime: boolean
  cases: CaseStatement[]
  conditional: Conditional | undefined
}

interface PendingHereDocument {
  delimiter: string
  stripTabs: boolean
  quoted: boolean
  /** The operator and delimiter as written, e.g. <<'EOF'. */
  spelling: string
  index: number
  frame: Frame
}

/**
 * Lexes a command template for bash or POSIX sh into literal text and placeholders, each with the
 * quoting context its value needs. Throws ShellSyntaxError for text it cannot classify with
 * certainty and for placeholders in contexts where no quoting is safe.
 */
export function lexScript(
  template: string,
  dialect: ShellDialect,
  matchPlaceholder: PlaceholderMatcher
): ScriptPart[] {
  return new ScriptLexer(template, dialect, matchPlaceholder).lex()
}

class ScriptLexer {
  private index = 0
  private literal = ''
  private readonly parts: ScriptPart[] = []
  private readonly frames: Frame[] = []
  private pendingHereDocuments: PendingHereDocument[] = []

  constructor(
    private readonly source: string,
    private readonly dialect: ShellDialect,
    private readonly matchPlaceholder: PlaceholderMatcher
  ) {}

  lex(): ScriptPart[] {
    this.lexFrame('script', undefined, 0)
    this.flushLiteral()
    return this.parts
  }

  // Output

  private emit(text: string): void {
    this.literal += text
  }

  /** Emits the next `length` characters as literal text. */
  private take(length = 1): void {
    this.literal += this.source.slice(this.index, this.index + length)
    this.index += length
  }

  private flushLiteral(): void {
    if (this.literal !== '') this.parts.push({ kind: 'text', text: this.literal })
    this.literal = ''
  }

  // Errors

  private fail(index: number, message: string): never {
    throw new ShellSyntaxError(`${message} (${describePosition(this.source, index)}).`)
  }

  private failPlaceholder(index: number, source: string, reason: string): never {
    throw new ShellSyntaxError(
      `Placeholder ${source} (${describePosition(this.source, index)}) ${reason}`
    )
  }

  // Placeholders

  private placeholderAt(index: number): PlaceholderMatch | undefined {
    // `${` is always the shell's own parameter expansion.
    if (this.source[index] !== '{' || this.source[index - 1] === '$') return undefined
    return this.matchPlaceholder(this.source, index)
  }

  /** Takes a placeholder at the current index if there is one; returns whether it did. */
  private takePlaceholder(
    context: Exclude<QuotingContext, 'raw'>,
    forbidden: Forbidden | undefined
  ): boolean {
    const start = this.index
    const match = this.placeholderAt(start)
    if (match === undefined) return false
    const source = this.source.slice(start, start + match.length)
    this.index += match.length
    let quoting: QuotingContext = context
    if (match.numeric) {
      // Digits are safe anywhere, and raw they also work in arithmetic and backticks. In $'…' they
      // could extend an escape such as \1, and bare before < or > they would become a descriptor.
      const next = this.source[this.index]
      const redirection =
        context === 'bare' && forbidden === undefined && (next === '<' || next === '>')
      if (context !== 'ansiC' && !redirection) quoting = 'raw'
    } else {
      if (forbidden !== undefined) this.failPlaceholder(start, source, forbidden(source))
      for (const frame of this.frames)
        frame.conditional?.placeholders.push({ source, index: start })
    }
    this.flushLiteral()
    this.parts.push({ kind: 'placeholder', source, index: start, context: quoting })
    return true
  }

  private failIfPlaceholderFollowsBackslash(backslashIndex: number): void {
    const match = this.placeholderAt(backslashIndex + 1)
    if (match === undefined) return
    const start = backslashIndex + 1
    const source = this.source.slice(start, start + match.length)
    this.failPlaceholder(start, source, AFTER_BACKSLASH(source))
  }

  // Here-documents

  /** A newline that is not a command separator must not come before pending here-document bodies. */
  private checkQuotedNewline(): void {
    const pending = this.pendingHereDocuments[0]
    if (pending !== undefined) {
      this.fail(
        pending.index,
        `The body of here-document ${pending.spelling} would start inside a quoted string or ` +
          'substitution that continues on the next line; finish that line first'
      )
    }
  }

  private readHereDocumentBodies(frame: Frame): void {
    const pending = this.pendingHereDocuments
    this.pendingHereDocuments = []
    for (const hereDocument of pending) {
      if (hereDocument.frame !== frame) {
        this.fail(
          hereDocument.index,
          `The body of here-document ${hereDocument.spelling} would start inside a different ` +
            'substitution or subshell than its command; keep them together'
        )
      }
      this.readHereDocumentBody(hereDocument)
    }
  }

  private readHereDocumentBody(hereDocument: PendingHereDocument): void {
    const source = this.source
    for (;;) {
      if (this.index >= source.length) {
        this.fail(
          hereDocument.index,
          `Here-document ${hereDocument.spelling} is never closed by a line ${hereDocument.delimiter}`
        )
      }
      // The shells compare the delimiter with the logical line: leading tabs removed for <<-, and
      // (when the delimiter is unquoted) lines ending in a backslash joined with the next.
      const lineStart = this.index
      let logicalLine = ''
      let end = lineStart
      for (let firstLine = true; ; firstLine = false) {
        const newline = source.indexOf('\n', end)
        const lineEnd = newline === -1 ? source.length : newline
        let line = source.slice(end, lineEnd)
        if (firstLine && hereDocument.stripTabs) line = line.replace(/^\t+/, '')
        const continues =
          !hereDocument.quoted && newline !== -1 && /(?:^|[^\\])(?:\\\\)*\\$/.test(line)
        end = continues ? lineEnd + 1 : lineEnd
        logicalLine += continues ? line.slice(0, -1) : line
        if (!continues) break
      }
      if (logicalLine === hereDocument.delimiter) {
        this.take(end - lineStart)
        if (source[this.index] === '\n') this.take()
        return
      }
      this.checkHereDocumentLine(hereDocument, logicalLine, lineStart)
      while (this.index < end) {
        if (!this.takePlaceholder('bare', inHereDocument(hereDocument.spelling))) this.take()
      }
      if (source[this.index] === '\n') this.take()
    }
  }

  /** Rejects a body line whose numbers could, once filled in, make it the delimiter line. */
  private checkHereDocumentLine(
    hereDocument: PendingHereDocument,
    logicalLine: string,
    lineStart: number
  ): void {
    let pattern = ''
    let hasNumber = false
    for (let index = 0; index < logicalLine.length;) {
      const match =
        logicalLine[index] === '{' && logicalLine[index - 1] !== '$'
          ? this.matchPlaceholder(logicalLine, index)
          : undefined
      if (match === undefined) {
        pattern += (logicalLine[index] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        index++
        continue
      }
      const placeholder = logicalLine.slice(index, index + match.length)
      if (!match.numeric) {
        const sourceIndex = this.source.indexOf(placeholder, lineStart)
        this.failPlaceholder(
          sourceIndex === -1 ? lineStart : sourceIndex,
          placeholder,
          inHereDocument(hereDocument.spelling)(placeholder)
        )
      }
      pattern += '[0-9]+'
      hasNumber = true
      index += match.length
    }
    if (hasNumber && new RegExp(`^${pattern}$`).test(hereDocument.delimiter)) {
      this.fail(
        lineStart,
        `A line of here-document ${hereDocument.spelling} could become its delimiter once its ` +
          'numbers are filled in; choose a delimiter made of letters'
      )
    }
  }

  private lexHereDocumentOperator(frame: Frame): void {
    const source = this.source
    const operatorIndex = this.index
    const stripTabs = source[this.index + 2] === '-'
    this.take(stripTabs ? 3 : 2)
    while (source[this.index] === ' ' || source[this.index] === '\t') this.take()
    const wordStart = this.index
    let delimiter = ''
    let quoted = false
    const failUnsupported = (): never =>
      this.fail(
        operatorIndex,
        'Here-document delimiters can only be plain or quoted words without $, ` or line continuations'
      )
    const checkPlaceholder = (index: number): void => {
      const match = this.placeholderAt(index)
      if (match === undefined) return
      const placeholder = source.slice(index, index + match.length)
      this.failPlaceholder(index, placeholder, IN_HERE_DOCUMENT_DELIMITER(placeholder))
    }
    for (;;) {
      const char = source[this.index]
      if (char === undefined || /[ \t\n;&|<>()]/.test(char)) break
      checkPlaceholder(this.index)
      if (char === '\\') {
        const next = source[this.index + 1]
        if (next === undefined || next === '\n') failUnsupported()
        checkPlaceholder(this.index + 1)
        delimiter += next
        quoted = true
        this.index += 2
      } else if (char === "'" || char === '"') {
        const close = source.indexOf(char, this.index + 1)
        if (close === -1) this.fail(this.index, `Unterminated ${char}…${char} quote`)
        const content = source.slice(this.index + 1, close)
        for (let index = this.index + 1; index < close; index++) checkPlaceholder(index)
        if (char === '"' && /[\\$`]/.test(content)) failUnsupported()
        delimiter += content
        quoted = true
        this.index = close + 1
      } else if (char === '$' || char === '`') {
        failUnsupported()
      } else {
        delimiter += char
        this.index++
      }
    }
    if (this.index === wordStart) {
      this.fail(operatorIndex, 'A here-document operator must be followed by a delimiter word')
    }
    const spelling = source.slice(operatorIndex, this.index)
    this.emit(source.slice(wordStart, this.index))
    this.pendingHereDocuments.push({
      delimiter,
      stripTabs,
      quoted,
      spelling,
      index: operatorIndex,
      frame
    })
  }

  // Command lists

  private effectiveForbidden(frame: Frame): Forbidden | undefined {
    if (frame.forbidden !== undefined) return frame.forbidden
    if (frame.subscriptDepth > 0) return IN_SUBSCRIPT
    if (frame.inLet) return IN_LET
    return undefined
  }

  /** Marks the start of a word part; plain is its text while the word stays plain. */
  private wordPart(frame: Frame, plain: string | undefined): void {
    if (!frame.inWord) {
      frame.inWord = true
      frame.plainWord = ''
    }
    frame.plainWord = plain === undefined ? undefined : frame.plainWord?.concat(plain)
  }

  private startCommand(frame: Frame): void {
    frame.afterCommandName = false
    if (frame.conditional !== undefined) return
    frame.commandPosition = true
    frame.inLet = false
  }

  private finishWord(frame: Frame): void {
    if (!frame.inWord) return
    frame.inWord = false
    frame.subscriptDepth = 0
    const word = frame.plainWord
    const statement = frame.cases.at(-1)
    switch (statement?.state) {
      case 'subject':
        statement.state = 'in'
        return
      case 'in':
        if (word !== 'in') this.fail(this.index, 'Expected `in` after `case WORD`')
        statement.state = 'patternStart'
        return
      case 'patternStart': {
        if (word === 'esac') {
          // bash and dash both end the statement here, even before `)`.
          frame.cases.pop()
          frame.commandPosition = false
          return
        }
        statement.state = 'pattern'
        return
      }
      case 'pattern':
        return
      case 'body':
      case undefined:
        break
    }
    const conditional = frame.conditional
    if (conditional !== undefined) {
      if (word === ']]') {
        frame.conditional = undefined
        frame.commandPosition = false
        const placeholder = conditional.placeholders[0]
        if (conditional.arithmeticOperator !== undefined && placeholder !== undefined) {
          this.failPlaceholder(
            placeholder.index,
            placeholder.source,
            inConditional(conditional.arithmeticOperator)(placeholder.source)
          )
        }
      } else if (word !== undefined && ARITHMETIC_CONDITIONAL_OPERATORS.has(word)) {
        conditional.arithmeticOperator ??= word
      } else if (word === 'case') {
        this.fail(this.index - word.length, '`case` inside [[ … ]] is not supported')
      }
      return
    }
    if (frame.afterFunctionKeyword) {
      // The name after `function`; the function's body follows.
      frame.afterFunctionKeyword = false
      frame.commandPosition = true
      return
    }
    if (frame.afterTime) {
      frame.afterTime = false
      if (this.dialect === 'sh' && word !== undefined && RESERVED_WORDS.has(word)) {
        this.fail(
          this.index - word.length,
          `\`time ${word}\`: time is a reserved word in bash but a command in dash, so the shells ` +
            'read the rest differently; use shell: bash'
        )
      }
      if (this.dialect === 'bash' && word === '-p') {
        frame.afterTime = true
        return
      }
    }
    frame.afterCommandName = false
    if (!frame.commandPosition) return
    frame.commandPosition = false
    if (word === undefined) return
    if (word === 'case') {
      frame.cases.push({ state: 'subject' })
    } else if (word === 'esac' && statement?.state === 'body') {
      frame.cases.pop()
    } else if (word === '[[') {
      frame.conditional = { arithmeticOperator: undefined, placeholders: [] }
    } else if (word === 'let') {
      frame.inLet = true
    } else if (word === 'alias') {
      this.fail(
        this.index - word.length,
        'Aliases can change how the rest of the command is read; use a function instead'
      )
    } else if (word === 'coproc') {
      this.fail(this.index - word.length, 'coproc is not supported in command templates')
    } else if (word === 'function') {
      if (this.dialect === 'sh') {
        this.fail(
          this.index - word.length,
          '`function` is bash syntax; write name() { …; } instead'
        )
      }
      frame.afterFunctionKeyword = true
    } else if (word === 'time') {
      // bash reads the next word as the start of a command; dash runs the time program.
      frame.afterTime = true
      if (this.dialect === 'bash') frame.commandPosition = true
    } else if (KEEP_COMMAND_POSITION.has(word)) {
      frame.commandPosition = true
    } else if (!RESERVED_WORDS.has(word) && !word.includes('=')) {
      frame.afterCommandName = true
    }
  }

  private closeFrame(frame: Frame, openIndex: number): void {
    const pending = this.pendingHereDocuments.find(hereDocument => hereDocument.frame === frame)
    if (pending !== undefined) {
      this.fail(pending.index, `Here-document ${pending.spelling} has no body`)
    }
    if (frame.cases.length > 0) this.fail(openIndex, '`case` without a matching `esac`')
    if (frame.conditional !== undefined) this.fail(openIndex, '`[[` without a matching `]]`')
  }

  /** Lexes a command list (or a parenthesized word) up to and including its closing `)`. */
  private lexFrame(kind: FrameKind, forbidden: Forbidden | undefined, openIndex: number): void {
    const frame: Frame = {
      kind,
      forbidden,
      commandPosition: kind !== 'group',
      inWord: false,
      plainWord: undefined,
      subscriptDepth: 0,
      inLet: false,
      afterCommandName: false,
      afterFunctionKeyword: false,
      afterTime: false,
      cases: [],
      conditional: undefined
    }
    this.frames.push(frame)
    const source = this.source
    for (;;) {
      const char = source[this.index]
      if (char === undefined) {
        if (kind !== 'script') this.fail(openIndex, `Unterminated ${describeFrame(kind)}`)
        this.finishWord(frame)
        this.closeFrame(frame, openIndex)
        break
      }
      const forbiddenHere = this.effectiveForbidden(frame)
      if (char === ' ' || char === '\t') {
        this.finishWord(frame)
        this.take()
      } else if (char === '\n') {
        this.finishWord(frame)
        this.take()
        this.readHereDocumentBodies(frame)
        const statement = frame.cases.at(-1)
        if (statement === undefined || statement.state === 'body') this.startCommand(frame)
      } else if (char === '\\') {
        const next = source[this.index + 1]
        if (next === '\n') {
          this.take(2) // a line continuation: as if neither character were there
        } else {
          this.failIfPlaceholderFollowsBackslash(this.index)
          this.wordPart(frame, undefined)
          this.take(next === undefined ? 1 : 2)
        }
      } else if (char === '#' && !frame.inWord) {
        if (kind === 'group') {
          this.fail(
            this.index,
            'Quote the `#`: inside (…) here it is unclear whether it starts a comment'
          )
        }
        // A comment: placeholders in it stay as they are, inert.
        const newline = source.indexOf('\n', this.index)
        this.take((newline === -1 ? source.length : newline) - this.index)
      } else if (char === "'") {
        this.wordPart(frame, undefined)
        this.lexSingleQuotes(forbiddenHere)
      } else if (char === '"') {
        this.wordPart(frame, undefined)
        this.lexDoubleQuotes(forbiddenHere)
      } else if (char === '`') {
        this.wordPart(frame, undefined)
        this.lexBackticks()
      } else if (char === '$') {
        this.wordPart(frame, undefined)
        this.lexDollar(false, forbiddenHere)
      } else if (char === '(') {
        this.lexOpeningParenthesis(frame, forbiddenHere)
      } else if (char === ')') {
        this.finishWord(frame)
        const statement = frame.cases.at(-1)
        if (statement?.state === 'pattern') {
          this.take()
          statement.state = 'body'
          this.startCommand(frame)
        } else if (kind === 'script') {
          this.fail(this.index, 'Unmatched `)`')
        } else {
          this.closeFrame(frame, openIndex)
          this.take()
          break
        }
      } else if (char === ';' || char === '&' || char === '|' || char === '<' || char === '>') {
        this.finishWord(frame)
        this.lexOperator(frame, forbiddenHere)
      } else if (char === '{' && this.placeholderAt(this.index) !== undefined) {
        this.wordPart(frame, undefined)
        this.takePlaceholder('bare', forbiddenHere)
      } else {
        this.lexWordCharacter(frame)
      }
    }
    this.frames.pop()
  }

  private lexWordCharacter(frame: Frame): void {
    const char = this.source[this.index] as string
    if (!frame.inWord) {
      // An array subscript is evaluated as arithmetic by bash: name[…]=value, and [key]=value
      // inside an array assignment's parentheses.
      const subscript =
        frame.kind === 'group' && char === '['
          ? '['
          : /^[A-Za-z_][A-Za-z0-9_]*\[/.exec(this.source.slice(this.index, this.index + 256))?.[0]
      if (subscript !== undefined) {
        this.wordPart(frame, undefined)
        this.take(subscript.length)
        frame.subscriptDepth = 1
        return
      }
    }
    if (frame.subscriptDepth > 0) {
      if (char === '[') frame.subscriptDepth++
      if (char === ']') frame.subscriptDepth--
    }
    this.wordPart(frame, char)
    this.take()
  }

  private lexOpeningParenthesis(frame: Frame, forbiddenHere: Forbidden | undefined): void {
    const openIndex = this.index
    const functionParentheses = /^\([ \t]*\)/.exec(
      this.source.slice(openIndex, openIndex + 256)
    )?.[0]
    const plainName = frame.plainWord !== undefined && /^[^=]+$/.test(frame.plainWord)
    const namesFunction = frame.inWord
      ? plainName && (frame.commandPosition || frame.afterFunctionKeyword)
      : frame.afterCommandName || frame.afterFunctionKeyword
    if (functionParentheses !== undefined && namesFunction) {
      // name() or name (): a function definition, whose body starts like a command.
      frame.inWord = false
      frame.subscriptDepth = 0
      frame.afterCommandName = false
      frame.afterFunctionKeyword = false
      this.take(functionParentheses.length)
      frame.commandPosition = true
      return
    }
    if (frame.inWord) {
      // Inside a word: an array assignment a=(…), an extended glob @(…), or f() of a function.
      this.wordPart(frame, undefined)
      this.take()
      this.lexFrame('group', forbiddenHere, openIndex)
      return
    }
    if (this.source[this.index + 1] === '(') {
      // ((…)) is arithmetic in bash but two subshells in dash: treat it as arithmetic for both.
      this.take(2)
      this.lexArithmetic('((…))', openIndex)
      frame.commandPosition = false
      return
    }
    const statement = frame.cases.at(-1)
    if (statement?.state === 'patternStart') {
      this.take() // the optional `(` before a case pattern
      statement.state = 'pattern'
      return
    }
    const subshell =
      frame.commandPosition && frame.kind !== 'group' && frame.conditional === undefined
    this.take()
    this.lexFrame(
      subshell ? 'subshell' : 'group',
      subshell ? frame.forbidden : forbiddenHere,
      openIndex
    )
    frame.commandPosition = false
  }

  private lexOperator(frame: Frame, forbiddenHere: Forbidden | undefined): void {
    const source = this.source
    const rest = source.slice(this.index, this.index + 3)
    const statement = frame.cases.at(-1)
    if (statement !== undefined && (statement.state === 'subject' || statement.state === 'in')) {
      this.fail(this.index, 'Expected `case WORD in`')
    }
    if (rest.startsWith(';;') || rest.startsWith(';&')) {
      if (statement?.state !== 'body') this.fail(this.index, '`;;` outside a case statement')
      this.take(rest === ';;&' ? 3 : 2)
      statement.state = 'patternStart'
      return
    }
    const separator = /^(?:;|&&|&(?!>)|\|\||\|&|\|)/.exec(rest)?.[0]
    if (separator !== undefined) {
      this.take(separator.length)
      // `|` separates the patterns of a case clause; elsewhere these all start a new command.
      if (!(separator === '|' && statement?.state === 'pattern')) this.startCommand(frame)
      return
    }
    if (rest.startsWith('<(') || rest.startsWith('>(')) {
      const openIndex = this.index
      this.wordPart(frame, undefined)
      this.take(2)
      this.lexFrame('processSubstitution', forbiddenHere, openIndex)
      return
    }
    if (frame.conditional !== undefined) {
      this.take() // < and > compare strings inside [[ … ]]
      return
    }
    if (/^<<(?!<)/.test(rest)) {
      if (frame.kind === 'group')
        this.fail(this.index, 'Here-documents inside (…) are not supported')
      this.lexHereDocumentOperator(frame)
      frame.commandPosition = false
      return
    }
    // A redirection; the word after it is its target, and the command's name cannot follow it as a
    // reserved word.
    const redirection = /^(?:<<<|<&|<>|<|>>|>&|>\||>|&>>|&>)/.exec(rest)?.[0] ?? (rest[0] as string)
    this.take(redirection.length)
    frame.commandPosition = false
    frame.afterCommandName = false
  }

  // Quotes and expansions

  private lexSingleQuotes(forbidden: Forbidden | undefined): void {
    const openIndex = this.index
    this.take()
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, "Unterminated '…' quote")
      if (char === "'") {
        this.take()
        return
      }
      if (char === '\n') this.checkQuotedNewline()
      if (!this.takePlaceholder('single', forbidden)) this.take()
    }
  }

  private lexDoubleQuotes(forbidden: Forbidden | undefined): void {
    const openIndex = this.index
    this.take()
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, 'Unterminated "…" quote')
      if (char === '"') {
        this.take()
        return
      }
      if (char === '\\') {
        // Inside "…" a backslash escapes only $ ` " \ and newline; before anything else it is
        // literal, but it would still escape the quote put before a value.
        this.failIfPlaceholderFollowsBackslash(this.index)
        const next = this.source[this.index + 1]
        this.take(next !== undefined && '$`"\\\n'.includes(next) ? 2 : 1)
      } else if (char === '$') {
        this.lexDollar(true, forbidden)
      } else if (char === '`') {
        this.lexBackticks()
      } else {
        if (char === '\n') this.checkQuotedNewline()
        if (!this.takePlaceholder('double', forbidden)) this.take()
      }
    }
  }

  private lexAnsiCQuotes(forbidden: Forbidden | undefined): void {
    const openIndex = this.index
    this.take(2)
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, "Unterminated $'…' quote")
      if (char === "'") {
        this.take()
        return
      }
      if (char === '\\') {
        this.failIfPlaceholderFollowsBackslash(this.index)
        if (this.source[this.index + 1] === '\n') this.checkQuotedNewline()
        this.take(2)
        continue
      }
      if (char === '\n') this.checkQuotedNewline()
      if (!this.takePlaceholder('ansiC', forbidden)) this.take()
    }
  }

  /** Backticks end at the first unescaped backtick, in bash and dash alike. */
  private lexBackticks(): void {
    const openIndex = this.index
    this.take()
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, 'Unterminated `…` command substitution')
      if (char === '`') {
        this.take()
        return
      }
      if (char === '\\') {
        this.failIfPlaceholderFollowsBackslash(this.index)
        if (this.source[this.index + 1] === '\n') this.checkQuotedNewline()
        this.take(2)
        continue
      }
      if (char === '\n') this.checkQuotedNewline()
      if (!this.takePlaceholder('bare', IN_BACKTICKS)) this.take()
    }
  }

  private lexDollar(inDoubleQuotes: boolean, forbidden: Forbidden | undefined): void {
    const source = this.source
    const start = this.index
    const next = source[start + 1]
    if (next === '{') {
      this.lexParameterExpansion(inDoubleQuotes)
    } else if (next === '(' && source[start + 2] === '(') {
      this.take(3)
      this.lexArithmetic('$((…))', start)
    } else if (next === '(') {
      this.take(2)
      this.lexFrame('commandSubstitution', forbidden, start)
    } else if (next === '[') {
      // $[…] is old bash arithmetic; in dash it is text. Treat it as arithmetic for both.
      this.take(2)
      this.lexArithmetic('$[…]', start)
    } else if (next === "'" && !inDoubleQuotes) {
      if (this.dialect === 'sh') {
        this.fail(
          start,
          "$'…' quoting is not POSIX sh (dash reads it differently); use shell: bash"
        )
      }
      this.lexAnsiCQuotes(forbidden)
    } else {
      // $name, $1, $#, $? and friends, or a lone $. ($"…" is $ and then "…" for this purpose.)
      const name = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(
        source.slice(start, start + 256)
      )
      this.take(name?.[0].length ?? 1)
    }
  }

  /** ${…} ends at the first unescaped, unquoted `}` outside nested substitutions. */
  private lexParameterExpansion(inDoubleQuotes: boolean): void {
    const openIndex = this.index
    const forbidden = IN_PARAMETER_EXPANSION
    this.take(2)
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, 'Unterminated ${…} parameter expansion')
      if (char === '}') {
        this.take()
        return
      }
      if (char === '\\') {
        this.failIfPlaceholderFollowsBackslash(this.index)
        if (this.source[this.index + 1] === undefined) this.take()
        else this.take(2)
      } else if (char === "'") {
        if (inDoubleQuotes) {
          this.fail(
            this.index,
            'Single quotes inside "${…}" are read differently by bash and dash; put the text in a variable'
          )
        }
        this.lexSingleQuotes(forbidden)
      } else if (char === '"') {
        this.lexDoubleQuotes(forbidden)
      } else if (char === '`') {
        this.lexBackticks()
      } else if (char === '$') {
        this.lexDollar(inDoubleQuotes, forbidden)
      } else {
        if (char === '\n') this.checkQuotedNewline()
        if (!this.takePlaceholder('bare', forbidden)) this.take()
      }
    }
  }

  /**
   * $((…)), ((…)) and $[…]. Parentheses must balance and the closing `))` must be adjacent:
   * otherwise bash rereads $((…) …) as a command substitution, which this lexer does not guess.
   */
  private lexArithmetic(spelling: '$((…))' | '((…))' | '$[…]', openIndex: number): void {
    const forbidden = inArithmetic(spelling)
    const brackets = spelling === '$[…]'
    let depth = 0
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, `Unterminated arithmetic ${spelling}`)
      if (char === '(' || (brackets && char === '[')) {
        depth++
        this.take()
      } else if (char === ')' || (brackets && char === ']')) {
        if (depth > 0) {
          depth--
          this.take()
        } else if (brackets) {
          if (char === ')') this.fail(this.index, `Unmatched \`)\` inside arithmetic ${spelling}`)
          this.take()
          return
        } else if (this.source[this.index + 1] === ')') {
          this.take(2)
          return
        } else {
          this.fail(
            openIndex,
            `Cannot tell whether ${spelling.slice(0, -3)} starts arithmetic or a nested subshell; ` +
              'write $( ( … ) ) or ( ( … ) ) with spaces for subshells'
          )
        }
      } else if (char === '$') {
        this.lexDollar(false, forbidden)
      } else if (char === "'" || char === '"' || char === '`') {
        this.fail(
          this.index,
          `Quotes and backticks inside arithmetic ${spelling} are not supported`
        )
      } else if (char === '\\') {
        if (this.source[this.index + 1] !== '\n') {
          this.fail(this.index, `Backslashes inside arithmetic ${spelling} are not supported`)
        }
        this.take(2)
      } else {
        if (char === '\n') this.checkQuotedNewline()
        if (!this.takePlaceholder('bare', forbidden)) this.take()
      }
    }
  }
}

function describeFrame(kind: FrameKind): string {
  switch (kind) {
    case 'commandSubstitution':
      return '$(…) command substitution'
    case 'processSubstitution':
      return '<(…) or >(…) process substitution'
    case 'subshell':
      return '(…) subshell'
    case 'group':
    case 'script':
      return '(…)'
  }
}
