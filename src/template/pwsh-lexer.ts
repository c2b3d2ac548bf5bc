/**
 * Just enough PowerShell 7 (pwsh) syntax to put untrusted values into a command template safely:
 * a lexer that finds each placeholder's quoting context (the quoting for each context and the
 * -EncodedCommand invocation are in pwsh-syntax.ts).
 *
 * pwsh cannot be run where this is developed and tested, so every rule here is taken from the
 * PowerShell source (PowerShell/PowerShell, src/System.Management.Automation/engine/parser/:
 * tokenizer.cs, CharTraits.cs, Parser.cs) and cited where it is used. As for bash and sh, the
 * lexer never guesses: where PowerShell's reading depends on something it does not model (notably
 * whether the parser is in command or expression mode), it refuses the template.
 *
 * Rules relied on (tokenizer.cs unless said otherwise):
 * - Single quotes are ' and U+2018–U+201B, double quotes " and U+201C–U+201E (CharTraits.cs
 *   IsSingleQuote, IsDoubleQuote); every scanner uses those sets.
 * - '…' (ScanStringLiteral): nothing is special but a single quote; two single quotes in a row
 *   (of any of the five kinds) stand for the second one.
 * - "…" (ScanStringExpandable): a double quote ends it unless another follows (then it stands for
 *   the second); ` escapes the next character (Backtick: `0 `a `b `e `f `n `r `t `v and `u{hex}
 *   are special, any other character stands for itself); $( $name ${…} expand; nothing else is
 *   special.
 * - $( inside "…", inside a bare word or inside a here-string (ScanSubExpression) is not lexed: its
 *   end is found by counting ( and ) alone, ignoring quotes, and outside here-strings a ` or double
 *   quote followed by a double quote is first merged into that double quote. The text is parsed
 *   only afterwards. So inside such a $(…) a value can carry no parentheses or double quotes.
 * - A bare word (ScanGenericToken) runs to the next character that ForceStartNewToken lists
 *   (CharTraits.cs: whitespace, newlines, NUL, & ( ) , ; { | }), taking in '…' and "…" parts; but a
 *   token that starts with a quote is a string token of its own, so 'a'b is two arguments
 *   (PowerShell/PowerShell#6467). Within a word that also expands $…, the text of '…' parts goes
 *   into a .NET format string without its braces doubled, unlike "…" parts.
 * - Comments: # and <# … #> where a token starts. Here-strings: @' or @" ending its line, up to a
 *   line starting with '@ or "@ (ScanHereStringLiteral, ScanHereStringExpandable).
 * - A [ that starts a token may begin a type literal (Parser.cs), whose name ScanTypeName reads with
 *   ` and # as name characters, and after a comma an assembly name (ScanAssemblyNameSpecToken)
 *   that runs to whitespace , = or ] with quotes as plain characters.
 * - --% (Parser.cs, CommandRule): a command argument whose value is --% makes the rest of the line,
 *   up to | or && outside double quotes, one verbatim argument (GetVerbatimCommandArgument).
 *   The check is on the token's value, so a word or string that becomes --% once values are filled
 *   in counts too.
 */
import {
  type PlaceholderMatch,
  type PlaceholderMatcher,
  describePosition,
  ShellSyntaxError
} from './shell-words.js'
import {
  STOP_PARSING,
  type PwshScript,
  type PwshPart,
  type PwshQuotingContext
} from './pwsh-syntax.js'
import {
  isSingleQuote,
  isDoubleQuote,
  isQuote,
  isDash,
  isWhitespace,
  isDotnetWhitespace,
  isNewline,
  forcesNewToken,
  isLetterOrDigit,
  isVariableStart
} from './pwsh-chars.js'

/** Why a placeholder may not stand somewhere; gets the placeholder's spelling. */
type Forbidden = (source: string) => string

const AFTER_BACKTICK: Forbidden = () =>
  'directly follows a backtick, which would escape the quote put around its value. ' +
  'Remove the backtick.'
const IN_NESTED_SUBEXPRESSION: Forbidden = source =>
  'is inside a $(…) that is itself inside a "…" string or a word. PowerShell finds the end of ' +
  'such a $(…) by counting parentheses, quotes or not, so a value there is only safe inside "…". ' +
  `Write "${source}" there.`
const IN_HERE_STRING =
  (spelling: string): Forbidden =>
  () =>
    `is inside the here-string ${spelling}, which a line of the value could end. ` +
    'Use a "…" string instead (it may span lines), or $env:PARALLEL_ITEM.'
const IN_BRACED_VARIABLE: Forbidden = () =>
  'is inside ${…}, a variable name, which cannot depend on an item.'
const afterVariable =
  (name: string): Forbidden =>
  source =>
    name.endsWith(':')
      ? `directly follows $${name}, so its value would name the variable, which cannot depend ` +
        'on an item.'
      : `directly follows the variable $${name}, so its value could become part of the ` +
        `variable's name. Write \${${name}}${source} instead.`
const AFTER_STOP_PARSING: Forbidden = () =>
  'follows the stop-parsing token --% on its line, after which PowerShell passes the text on ' +
  'as it is, unquoted.'
const AFTER_MEMBER_DOT: Forbidden = source =>
  'directly follows `.`, where PowerShell reads a member name or a separate argument. ' +
  `Write (${source}) to use the value in an expression, or quote the whole word.`
const adjacentTo =
  (what: string): Forbidden =>
  () =>
    `directly follows ${what}; PowerShell would pass them as separate arguments. Put the whole ` +
    'word in one "…" string, or separate them with a space.'
const followedBy =
  (next: string): Forbidden =>
  source =>
    `is directly followed by ${next}; PowerShell would read the quoted value and what follows as ` +
    `separate arguments or as a member access. Quote the whole word ("${source}…"), use ` +
    `(${source}) in an expression, or separate them with a space.`
const MERGES_WITH_QUOTE: Forbidden = () =>
  'is directly next to a "…" part of the same word, which its quoted value would merge with. ' +
  'Put the whole word in one "…" string.'
const AFTER_AT: Forbidden = () =>
  'directly follows `@`, with which PowerShell reads a hashtable or script block, not a ' +
  'placeholder. Put the whole word in "…".'
const IN_TYPE_BRACKETS: Forbidden = () =>
  'is inside […] at the start of a word, which PowerShell may read as a type name, where quotes ' +
  'are plain characters. Assign the value to a variable first, or move it out of the brackets.'
const IN_EXPANDABLE_WORD: Forbidden = source =>
  "is inside '…' in a word that PowerShell also expands ($…), where braces in its value would " +
  `be read as format items. Write "${source}" for that part instead.`

const DOUBLED_QUOTES =
  'Doubled quotes ("" or `") inside a $(…) that is inside a "…" string or a word are merged by ' +
  'PowerShell before the $(…) is read; write the inner string with single quotes, or assign it ' +
  'to a variable first'

interface Guard {
  literal: string
  pieces: (string | { at: number })[]
  viable: boolean
}

interface Word {
  kind: 'generic' | 'parameter' | 'variable'
  start: number
  /** Why placeholders may not stand anywhere in the rest of this word. */
  ban: Forbidden | undefined
  /** The word began with a variable and nothing followed it yet: a . or :: is member access. */
  afterVariable: boolean
  /** The word ends, so far, with an unbraced variable name, which digits would extend. */
  afterName: string | undefined
  lastDoubleQuoted: boolean
  lastPlaceholder: boolean
  expandable: boolean
  /** Text placeholders inside '…' parts, by index. */
  singles: number[]
  guard: Guard
}

type TokenState = { kind: 'none' } | { kind: 'closed'; what: string } | { kind: 'word'; word: Word }

const NONE: TokenState = { kind: 'none' }

interface Found {
  index: number
  length: number
  context: PwshQuotingContext
}

/**
 * Lexes a command template for pwsh into literal text and placeholders, each with the quoting
 * context its value needs. Throws ShellSyntaxError for text it cannot classify with certainty and
 * for placeholders in contexts where no quoting is safe.
 */
export function lexPwshScript(template: string, matchPlaceholder: PlaceholderMatcher): PwshScript {
  const nul = template.indexOf('\0')
  if (nul !== -1) {
    throw new ShellSyntaxError(
      `The template contains a NUL character (${describePosition(template, nul)}).`
    )
  }
  const lexer = new PwshLexer(template, matchPlaceholder, 0, template.length)
  lexer.lexScript()
  return lexer.result()
}

export class PwshLexer {
  private index: number
  /** Unscanned $(…) subexpressions around the current position (see the file comment). */
  private depth = 0
  /** The here-string around the current position, if any. */
  private hereString: string | undefined
  /**
   * Unclosed [ in this statement list since a [ that started a token: a possible type literal,
   * read without quotes (see the file comment).
   */
  private typeBrackets = 0
  private readonly found: Found[] = []
  private readonly guards: (string | { at: number })[][] = []

  constructor(
    private readonly source: string,
    private readonly matchPlaceholder: PlaceholderMatcher,
    start: number,
    private end: number
  ) {
    this.index = start
  }

  /**
   * Called with each span of literal string content read (the inside of '…', and of "…" between
   * its expansions): a subclass that wants the spans overrides it.
   */
  protected literalContent(_start: number, _end: number): void {}

  lexScript(): void {
    this.lexStatements(undefined, this.index)
  }

  result(): PwshScript {
    const found = [...this.found].sort((a, b) => a.index - b.index)
    const parts: PwshPart[] = []
    const partOf = new Map<number, number>()
    let at = 0
    for (const placeholder of found) {
      if (placeholder.index > at) {
        parts.push({ kind: 'text', text: this.source.slice(at, placeholder.index) })
      }
      partOf.set(placeholder.index, parts.length)
      parts.push({
        kind: 'placeholder',
        source: this.source.slice(placeholder.index, placeholder.index + placeholder.length),
        index: placeholder.index,
        context: placeholder.context
      })
      at = placeholder.index + placeholder.length
    }
    if (at < this.source.length) parts.push({ kind: 'text', text: this.source.slice(at) })
    const guards = this.guards.map(pieces => ({
      pieces: pieces.map(piece =>
        typeof piece === 'string' ? piece : (partOf.get(piece.at) ?? -1)
      )
    }))
    return { parts, guards }
  }

  // Reading

  private peek(offset = 0): string | undefined {
    const at = this.index + offset
    return at < this.end ? this.source[at] : undefined
  }

  private take(length = 1): void {
    this.index += length
  }

  // Errors

  private fail(index: number, message: string): never {
    throw new ShellSyntaxError(`${message} (${describePosition(this.source, index)}).`)
  }

  private failPlaceholder(index: number, match: PlaceholderMatch, reason: Forbidden): never {
    const source = this.source.slice(index, index + match.length)
    throw new ShellSyntaxError(
      `Placeholder ${source} (${describePosition(this.source, index)}) ${reason(source)}`
    )
  }

  // Placeholders

  private placeholderAt(index: number): PlaceholderMatch | undefined {
    // `${` is always a variable and `@{` always a hashtable, as `${…}` is in bash.
    if (index >= this.end || this.source[index] !== '{') return undefined
    const before = this.source[index - 1]
    if (before === '$' || before === '@') return undefined
    const match = this.matchPlaceholder(this.source, index)
    if (match === undefined || index + match.length > this.end) return undefined
    return match
  }

  private record(match: PlaceholderMatch, context: PwshQuotingContext): void {
    this.found.push({ index: this.index, length: match.length, context })
    this.take(match.length)
  }

  /** A placeholder inside '…', "…" or a here-string. */
  private quotedPlaceholder(
    match: PlaceholderMatch,
    context: 'single' | 'double',
    guard: Guard
  ): void {
    if (match.numeric) {
      killGuard(guard)
      this.record(match, 'raw')
      return
    }
    if (this.hereString !== undefined) {
      this.failPlaceholder(this.index, match, IN_HERE_STRING(this.hereString))
    }
    if (this.depth > 0 && context === 'single') {
      this.failPlaceholder(this.index, match, IN_NESTED_SUBEXPRESSION)
    }
    guard.pieces.push({ at: this.index })
    this.record(match, context === 'double' && this.depth > 0 ? 'nestedDouble' : context)
  }

  /** A placeholder outside quotes; returns the token state after it. */
  private barePlaceholder(state: TokenState, match: PlaceholderMatch): TokenState {
    const start = this.index
    const after = start + match.length
    const next = after < this.end ? this.source[after] : undefined
    const nextPlaceholder = this.placeholderAt(after) !== undefined
    if (state.kind === 'closed') this.failPlaceholder(start, match, adjacentTo(state.what))
    if (match.numeric) {
      if (state.kind === 'word') {
        const word = state.word
        if (word.ban !== undefined) this.failPlaceholder(start, match, word.ban)
        if (word.afterName !== undefined) {
          this.failPlaceholder(start, match, afterVariable(word.afterName))
        }
        killGuard(word.guard)
        word.afterVariable = false
        word.lastDoubleQuoted = false
        word.lastPlaceholder = false
        this.record(match, 'raw')
        return state
      }
      // At the start of a token digits before > or < would become a stream number (2>file):
      // quote them, so the value's meaning does not depend on which number it is.
      if (next === '>' || next === '<') {
        this.record(match, 'bare')
        return { kind: 'closed', what: 'a quoted number' }
      }
      this.record(match, 'raw')
      return { kind: 'word', word: newWord('generic', start, deadGuard()) }
    }
    if (this.hereString !== undefined) {
      this.failPlaceholder(start, match, IN_HERE_STRING(this.hereString))
    }
    if (this.depth > 0) this.failPlaceholder(start, match, IN_NESTED_SUBEXPRESSION)
    if (this.typeBrackets > 0) this.failPlaceholder(start, match, IN_TYPE_BRACKETS)
    if (state.kind === 'none') {
      if (nextPlaceholder) this.failPlaceholder(start, match, followedBy('another placeholder'))
      if (!this.endsStandaloneToken(after)) {
        this.failPlaceholder(start, match, followedBy(`\`${next as string}\``))
      }
      this.guards.push([{ at: start }])
      this.record(match, 'bare')
      return { kind: 'closed', what: 'a quoted value' }
    }
    const word = state.word
    if (word.ban !== undefined) this.failPlaceholder(start, match, word.ban)
    if (word.lastPlaceholder || nextPlaceholder) {
      this.failPlaceholder(start, match, followedBy('another placeholder'))
    }
    if (word.lastDoubleQuoted || isDoubleQuote(next)) {
      this.failPlaceholder(start, match, MERGES_WITH_QUOTE)
    }
    word.guard.pieces.push({ at: start })
    // The quote put around the value makes a parameter token a bare word (ScanParameter).
    if (word.kind === 'parameter') word.kind = 'generic'
    word.afterVariable = false
    word.afterName = undefined
    word.lastPlaceholder = true
    this.record(match, 'word')
    return state
  }

  /** After a '…' token standing alone, whether the character at `at` ends it cleanly. */
  private endsStandaloneToken(at: number): boolean {
    if (at >= this.end) return true
    const char = this.source[at] as string
    if (isWhitespace(char) || isNewline(char) || ';)}|&,]<>#'.includes(char)) return true
    if (char === '`') {
      // A line continuation, or a backtick before whitespace, which is skipped.
      const after = at + 1 < this.end ? this.source[at + 1] : undefined
      return isDotnetWhitespace(after)
    }
    return false
  }

  // Statements and tokens

  /** Lexes a statement list up to and including its closer (or to the end when there is none). */
  private lexStatements(closer: ')' | '}' | undefined, openIndex: number): void {
    // Inside (…), {…} and $(…) PowerShell parses expressions and commands again, even within a
    // type literal's brackets (attribute arguments).
    const typeBrackets = this.typeBrackets
    this.typeBrackets = 0
    let state: TokenState = NONE
    for (;;) {
      if (this.index >= this.end) {
        if (state.kind === 'word') this.endWordAt(state.word)
        if (closer !== undefined) {
          this.fail(openIndex, closer === ')' ? 'Unterminated (…)' : 'Unterminated {…}')
        }
        this.typeBrackets = typeBrackets
        return
      }
      const match = this.placeholderAt(this.index)
      if (match !== undefined) {
        state = this.barePlaceholder(state, match)
        continue
      }
      if (state.kind === 'word') {
        if (this.continueWord(state.word)) continue
        state = NONE
        continue
      }
      const next = this.startToken(state, closer)
      if (next === 'end') {
        this.typeBrackets = typeBrackets
        return
      }
      state = next
    }
  }

  /** Refuses what a type name or assembly name would read differently from a command. */
  private checkTypeBrackets(char: string, next: string | undefined): void {
    if (this.typeBrackets === 0) return
    const quote = isQuote(char) || (char === '@' && isQuote(next))
    if (quote || char === '`' || char === '#' || (char === '<' && next === '#')) {
      this.fail(
        this.index,
        `\`${quote ? 'A quote' : char === '`' ? 'A backtick' : '#'}\` inside […] at the start of a word: ` +
          'PowerShell may read the brackets as a type name, where quotes, backticks and # are ' +
          'plain characters; move it out of the brackets'
      )
    }
  }

  /** Counts [ and ] while inside a possible type literal, or from a [ that starts a token. */
  private countBracket(char: string, startsToken: boolean): void {
    if (char === '[' && (startsToken || this.typeBrackets > 0)) this.typeBrackets++
    else if (char === ']' && this.typeBrackets > 0) this.typeBrackets--
  }

  /** At a word's character: consumes it and returns true, or ends the word and returns false. */
  private continueWord(word: Word): boolean {
    const char = this.peek() as string
    const next = this.peek(1)
    if (forcesNewToken(char)) {
      this.endWordAt(word)
      return false
    }
    this.checkTypeBrackets(char, next)
    if (word.kind === 'parameter' && this.endsParameter(word, char)) return false
    this.refuseAmbiguousInWord(char, next)
    if (word.kind === 'parameter') {
      // Every other character, $ included, is part of the parameter's name.
      appendGuard(word.guard, char)
      this.take()
      return true
    }
    if (char === '`') {
      this.escapedInWord(word)
      this.continued(word)
    } else if (isSingleQuote(char)) {
      this.lexSingleQuotes(word.guard, word)
      this.continued(word)
    } else if (isDoubleQuote(char)) {
      this.doubleQuotedInWord(word)
    } else if (char === '$') {
      const name = this.lexDollarInWord(word)
      this.continued(word)
      word.afterName = name
    } else {
      this.plainInWord(word, char, next)
    }
    return true
  }

  /**
   * ScanParameter: `:` ends a parameter and its argument follows; `.` and `[` end it; a quote
   * turns it into a bare word. True when the parameter ended.
   */
  private endsParameter(word: Word, char: string): boolean {
    if (char === ':') {
      this.take()
      this.endWordAt(word)
      return true
    }
    if (char === '.' || char === '[') {
      this.endWordAt(word)
      return true
    }
    if (char === '`') {
      // In a command a backtick is part of a parameter's name; in an expression it escapes
      // the next character.
      this.fail(
        this.index,
        'A backtick inside a parameter name is read differently in commands and expressions; ' +
          'quote the word'
      )
    }
    if (isQuote(char)) word.kind = 'generic'
    return false
  }

  /** Refuses what PowerShell reads differently inside a word depending on the parser's mode. */
  private refuseAmbiguousInWord(char: string, next: string | undefined): void {
    if (char === '#' || (char === '<' && next === '#')) {
      // In a command, # inside a word is text; in an expression it starts a comment.
      this.fail(
        this.index,
        `\`${char === '#' ? '#' : '<#'}\` directly after other text is a comment in some PowerShell ` +
          'contexts and part of the word in others; put a space before a comment, or quote the text'
      )
    }
    if (char === '@' && isQuote(next)) {
      this.fail(
        this.index,
        '`@` followed by a quote inside a word starts a here-string in some PowerShell contexts; ' +
          'quote the whole word'
      )
    }
    if (char === '@' && next === '{') {
      // placeholderAt never sees a placeholder after @: @{ is a hashtable or script block.
      const match = this.matchPlaceholder(this.source, this.index + 1)
      if (match !== undefined) this.failPlaceholder(this.index + 1, match, AFTER_AT)
    }
  }

  /** A backtick escape inside a word; a placeholder right after it is refused. */
  private escapedInWord(word: Word): void {
    const placeholder = this.placeholderAt(this.index + 1)
    if (placeholder !== undefined) {
      this.failPlaceholder(this.index + 1, placeholder, AFTER_BACKTICK)
    }
    const escape = this.escapeAt(this.index)
    if (escape === undefined) {
      this.fail(this.index, 'The template ends with a backtick that escapes nothing')
    }
    appendGuard(word.guard, escape.text)
    this.take(escape.length)
  }

  /** A "…" part of a word. */
  private doubleQuotedInWord(word: Word): void {
    if (word.lastPlaceholder) {
      // Unreachable: barePlaceholder refuses a placeholder before a double quote.
      this.fail(this.index, 'A quoted value would merge with this "…"')
    }
    if (this.lexDoubleQuotes(word.guard)) word.expandable = true
    this.continued(word)
    word.lastDoubleQuoted = true
  }

  /** Any other character of a word; after a variable, `[` starts an index and `.` a member. */
  private plainInWord(word: Word, char: string, next: string | undefined): void {
    if (word.afterVariable && char === '[') {
      // ScanVariable ends a variable at [, in commands too: an index follows ($a['k']), which is
      // not part of an expanded word. Start a new word with it.
      this.endWordAt(word)
      Object.assign(word, newWord('generic', this.index, deadGuard()))
    }
    if (word.afterVariable && (char === '.' || (char === ':' && next === ':'))) {
      // Member access on the variable ($x.Name, $x::Name).
      word.ban = AFTER_MEMBER_DOT
    }
    this.countBracket(char, false)
    appendGuard(word.guard, char)
    this.take()
    this.continued(word)
  }

  private continued(word: Word): void {
    word.afterVariable = false
    word.afterName = undefined
    word.lastDoubleQuoted = false
    word.lastPlaceholder = false
  }

  /** A $ inside a bare word (ScanDollarInStringExpandable); returns the variable name it read. */
  private lexDollarInWord(word: Word): string | undefined {
    const next = this.peek(1)
    if (next === '(') {
      this.lexUnscannedSubexpression(false)
    } else if (next === '{') {
      this.lexBracedVariable(true)
    } else if (isVariableStart(next)) {
      const name = this.lexVariableName()
      word.expandable = true
      killGuard(word.guard)
      return name
    } else {
      appendGuard(word.guard, '$')
      this.take()
      return undefined
    }
    word.expandable = true
    killGuard(word.guard)
    return undefined
  }

  /** Ends a word at the current index; handles a --% it turns out to be. */
  private endWordAt(word: Word): void {
    if (word.expandable) {
      const [single] = word.singles
      if (single !== undefined) {
        this.failPlaceholder(
          single,
          this.matchPlaceholder(this.source, single) as PlaceholderMatch,
          IN_EXPANDABLE_WORD
        )
      }
      return
    }
    if (this.finishGuard(word.guard, word.start, word.kind === 'generic')) this.lexStopParsing()
  }

  /**
   * Files a token's guard; returns true when the token is the plain stop-parsing token --%.
   * Other spellings of --% in the template itself ('--%', -`-%, --'%') are refused: whether
   * PowerShell stops parsing after them depends on what follows (Parser.cs, CommandRule).
   */
  private finishGuard(guard: Guard, start: number, canBePlain: boolean): boolean {
    if (!guard.viable) return false
    if (guard.pieces.some(piece => typeof piece !== 'string')) {
      this.guards.push(guard.pieces)
      return false
    }
    if (guard.literal !== STOP_PARSING) return false
    if (canBePlain && this.source.slice(start, this.index) === STOP_PARSING) {
      if (this.depth > 0 || this.hereString !== undefined) {
        this.fail(
          start,
          'The stop-parsing token --% is not supported inside $(…) within a string or word'
        )
      }
      return true
    }
    this.fail(
      start,
      'Write the stop-parsing token as a plain --%; quoted or escaped forms of it are read inconsistently'
    )
  }

  /**
   * After --%: the rest of the line, up to | or && outside double quotes, is passed on verbatim
   * (Tokenizer.GetVerbatimCommandArgument). No placeholder may stand anywhere on that line, and the
   * line must read the same, ending with nothing left open, whether or not PowerShell stops
   * parsing there (it does not in an expression), so that what follows is read the same either way.
   */
  private lexStopParsing(): void {
    const source = this.source
    const stopIndex = this.index - STOP_PARSING.length
    let lineEnd = this.index
    while (lineEnd < this.end && !isNewline(source[lineEnd])) lineEnd++
    for (let at = this.index; at < lineEnd; at++) {
      const match = this.placeholderAt(at)
      if (match !== undefined) this.failPlaceholder(at, match, AFTER_STOP_PARSING)
    }
    let verbatimEnd = this.index
    while (verbatimEnd < lineEnd && isWhitespace(source[verbatimEnd])) verbatimEnd++
    let inQuotes = false
    for (; verbatimEnd < lineEnd; verbatimEnd++) {
      const char = source[verbatimEnd]
      if (isDoubleQuote(char)) inQuotes = !inQuotes
      else if (!inQuotes && (char === '|' || (char === '&' && source[verbatimEnd + 1] === '&'))) {
        break
      }
    }
    for (const start of new Set([this.index, verbatimEnd])) {
      try {
        new PwshLexer(source, this.matchPlaceholder, start, lineEnd).lexScript()
      } catch (error) {
        if (!(error instanceof ShellSyntaxError)) throw error
        this.fail(
          stopIndex,
          'Cannot tell how PowerShell reads the rest of the line after --%: it must read the same ' +
            'with or without stop-parsing, leaving no string, bracket or comment open'
        )
      }
    }
    this.index = verbatimEnd
  }

  /** At the start of a token (state none or closed); returns the next state, or 'end' at the closer. */
  private startToken(state: TokenState, closer: ')' | '}' | undefined): TokenState | 'end' {
    const start = this.index
    const char = this.peek() as string
    const next = this.peek(1)
    if (isWhitespace(char) || isNewline(char)) {
      this.take()
      return NONE
    }
    if (char === ')' || char === '}') {
      if (char !== closer) this.fail(start, `Unmatched \`${char}\``)
      this.take()
      return 'end'
    }
    this.checkTypeBrackets(char, next)
    return (
      this.punctuationToken(char, next, start) ??
      this.stringToken(char, start) ??
      (char === '@' ? this.atToken(next, start) : undefined) ??
      (char === '$' ? this.dollarToken(next, start) : undefined) ??
      (char === '`' ? this.backtickToken(next, start) : undefined) ??
      this.memberOrBracketToken(state, char, next, start) ??
      this.wordToken(char, next, start)
    )
  }

  /** Comments, ( … ) and { … }, separators and redirections; undefined for anything else. */
  private punctuationToken(
    char: string,
    next: string | undefined,
    start: number
  ): TokenState | undefined {
    const source = this.source
    if (char === '#') {
      // A comment: placeholders in it stay as they are, inert.
      while (this.index < this.end && !isNewline(source[this.index])) this.take()
      return NONE
    }
    if (char === '<' && next === '#') {
      const close = source.indexOf('#>', start + 2)
      if (close === -1 || close + 2 > this.end) this.fail(start, 'Unterminated <# … #> comment')
      this.index = close + 2
      return NONE
    }
    if (char === '(' || char === '{') {
      this.take()
      this.lexStatements(char === '(' ? ')' : '}', start)
      return { kind: 'closed', what: char === '(' ? '`)`' : '`}`' }
    }
    if (char === ';' || char === ',' || char === '|' || char === '&') {
      this.take((char === '|' || char === '&') && next === char ? 2 : 1)
      return NONE
    }
    if (char === '>' || char === '<') {
      this.take(char === '>' && next === '>' ? 2 : 1)
      return NONE
    }
    if (/^[1-6*]$/.test(char) && next === '>') {
      // A redirection such as 2>, 2>>, 2>&1 or *>.
      this.take(2)
      if (this.peek() === '>') this.take()
      else if (this.peek() === '&' && /^[12]$/.test(this.peek(1) ?? '')) this.take(2)
      return NONE
    }
    return undefined
  }

  /** A '…' or "…" string standing at the start of a token; undefined for anything else. */
  private stringToken(char: string, start: number): TokenState | undefined {
    if (isSingleQuote(char)) {
      const guard = newGuard()
      this.lexSingleQuotes(guard, undefined)
      this.finishStringGuard(guard, start)
      return { kind: 'closed', what: 'a quoted string' }
    }
    if (isDoubleQuote(char)) {
      const guard = newGuard()
      if (this.lexDoubleQuotes(guard)) killGuard(guard)
      this.finishStringGuard(guard, start)
      return { kind: 'closed', what: 'a quoted string' }
    }
    return undefined
  }

  /** After `@`: @( … ), @{ … }, a here-string or a splatted variable; undefined otherwise. */
  private atToken(next: string | undefined, start: number): TokenState | undefined {
    if (next === '(' || next === '{') {
      this.take(2)
      this.lexStatements(next === '(' ? ')' : '}', start)
      return { kind: 'closed', what: next === '(' ? '`)`' : '`}`' }
    }
    if (isQuote(next)) {
      this.lexHereString()
      return { kind: 'closed', what: 'a here-string' }
    }
    if (isVariableStart(next)) {
      const word = newWord('variable', start, deadGuard())
      word.expandable = true
      word.afterName = this.lexVariableName()
      word.afterVariable = true
      return { kind: 'word', word }
    }
    return undefined
  }

  /** After `$`: a subexpression or a variable; undefined otherwise. */
  private dollarToken(next: string | undefined, start: number): TokenState | undefined {
    if (next === '(') {
      // At the start of a token $( is parsed at once, like ( (Tokenizer.NextToken).
      this.take(2)
      this.lexStatements(')', start)
      return { kind: 'closed', what: '`)`' }
    }
    if (next === '{' || isVariableStart(next)) {
      const word = newWord('variable', start, deadGuard())
      word.expandable = true
      if (next === '{') this.lexBracedVariable(false)
      else word.afterName = this.lexVariableName()
      word.afterVariable = true
      return { kind: 'word', word }
    }
    return undefined
  }

  /** After a backtick: a line continuation, escaped white space, or a word that starts escaped. */
  private backtickToken(next: string | undefined, start: number): TokenState {
    if (isNewline(next)) {
      // A line continuation.
      this.take(next === '\r' && this.peek(2) === '\n' ? 3 : 2)
      return NONE
    }
    if (isDotnetWhitespace(next)) {
      this.take()
      return NONE
    }
    const word = newWord('generic', start, newGuard())
    this.continueWord(word)
    return { kind: 'word', word }
  }

  /** Member access on what came before, or a bracket; undefined for anything else. */
  private memberOrBracketToken(
    state: TokenState,
    char: string,
    next: string | undefined,
    start: number
  ): TokenState | undefined {
    if (state.kind === 'closed' && (char === '.' || (char === ':' && next === ':'))) {
      // Member access on what came before: ('a').Length, (Get-Date)::Now.
      const word = newWord('generic', start, deadGuard())
      word.ban = AFTER_MEMBER_DOT
      appendGuard(word.guard, char)
      this.take()
      return { kind: 'word', word }
    }
    if (char === '.') {
      const match = this.placeholderAt(start + 1)
      if (match !== undefined) this.failPlaceholder(start + 1, match, AFTER_MEMBER_DOT)
    }
    if (char === '[' || char === ']') {
      // A [ after a closed token indexes it ('ab'[0], (x)[0]); one that starts a token may
      // start a type literal.
      this.countBracket(char, state.kind === 'none')
      const word = newWord('generic', start, newGuard())
      appendGuard(word.guard, char)
      this.take()
      return { kind: 'word', word }
    }
    return undefined
  }

  /** A parameter (-Name) or a bare word. */
  private wordToken(char: string, next: string | undefined, start: number): TokenState {
    const kind =
      isDash(char) && next !== undefined && /^[\p{L}_?]$/u.test(next) ? 'parameter' : 'generic'
    const word = newWord(kind, start, newGuard())
    if (kind === 'parameter') {
      appendGuard(word.guard, char)
      this.take()
      return { kind: 'word', word }
    }
    this.continueWord(word)
    return { kind: 'word', word }
  }

  /** Files the guard of a string token standing alone. */
  private finishStringGuard(guard: Guard, start: number): void {
    this.finishGuard(guard, start, false)
  }

  // Quotes, variables and subexpressions

  /** '…' (ScanStringLiteral); placeholders inside go to the word's list when in a word. */
  private lexSingleQuotes(guard: Guard, word: Word | undefined): void {
    const open = this.index
    this.take()
    for (;;) {
      const char = this.peek()
      if (char === undefined) this.fail(open, "Unterminated '…' string")
      const match = this.placeholderAt(this.index)
      if (match !== undefined) {
        if (!match.numeric) word?.singles.push(this.index)
        this.quotedPlaceholder(match, 'single', guard)
        continue
      }
      if (isSingleQuote(char)) {
        const next = this.peek(1)
        if (!isSingleQuote(next)) {
          this.literalContent(open + 1, this.index)
          this.take()
          return
        }
        appendGuard(guard, next as string)
        this.take(2)
        continue
      }
      appendGuard(guard, char)
      this.take()
    }
  }

  /** "…" (ScanStringExpandable); returns whether it expands anything. */
  private lexDoubleQuotes(guard: Guard): boolean {
    const open = this.index
    let expands = false
    let segment = open + 1
    this.take()
    for (;;) {
      const char = this.peek()
      if (char === undefined) this.fail(open, 'Unterminated "…" string')
      const match = this.placeholderAt(this.index)
      if (match !== undefined) {
        this.quotedPlaceholder(match, 'double', guard)
        continue
      }
      if (isDoubleQuote(char)) {
        const next = this.peek(1)
        if (!isDoubleQuote(next)) {
          this.literalContent(segment, this.index)
          this.take()
          return expands
        }
        appendGuard(guard, next as string)
        this.take(2)
      } else if (char === '`') {
        const escape = this.escapeInString(open, 'Unterminated "…" string')
        appendGuard(guard, escape)
      } else if (char === '$') {
        const dollar = this.index
        if (this.lexDollarInString(false)) {
          this.literalContent(segment, dollar)
          segment = this.index
          expands = true
          killGuard(guard)
        } else {
          appendGuard(guard, '$')
        }
      } else {
        appendGuard(guard, char)
        this.take()
      }
    }
  }

  /** A backtick escape inside "…" or @"…"@; returns what it stands for. */
  private escapeInString(open: number, unterminated: string): string {
    const match = this.placeholderAt(this.index + 1)
    if (match !== undefined) this.failPlaceholder(this.index + 1, match, AFTER_BACKTICK)
    const escape = this.escapeAt(this.index)
    if (escape === undefined) this.fail(open, unterminated)
    this.take(escape.length)
    return escape.text
  }

  /**
   * A $ inside "…" or a here-string (ScanDollarInStringExpandable); returns whether it expands.
   * A placeholder may not follow a variable name there: its value would extend the name.
   */
  private lexDollarInString(hereString: boolean): boolean {
    const next = this.peek(1)
    if (next === '(') {
      this.lexUnscannedSubexpression(hereString)
      return true
    }
    if (next === '{') {
      this.lexBracedVariable(true)
      return true
    }
    if (isVariableStart(next)) {
      const name = this.lexVariableName()
      const match = this.placeholderAt(this.index)
      if (match !== undefined && name !== undefined) {
        this.failPlaceholder(this.index, match, afterVariable(name))
      }
      return true
    }
    this.take()
    return false
  }

  /**
   * An unbraced variable name after $ or @ (ScanVariable); returns the name, or undefined for the
   * one-character variables $$, $? and $^, which nothing can extend.
   */
  private lexVariableName(): string | undefined {
    this.take()
    const first = this.peek() as string
    if (first === '$' || first === '?' || first === '^') {
      this.take()
      return undefined
    }
    const start = this.index
    for (;;) {
      const char = this.peek()
      if (char === undefined) break
      if (char === ':') {
        if (this.peek(1) === ':') break // $a::b is static member access
      } else if (
        !/^[A-Za-z0-9_?]$/.test(char) &&
        !(char.charCodeAt(0) >= 128 && isLetterOrDigit(char))
      ) {
        break
      }
      this.take()
    }
    return this.source.slice(start, this.index)
  }

  /** ${…}: a variable name up to the first `}`; only ` escapes (ScanVariable). */
  private lexBracedVariable(inString: boolean): void {
    const open = this.index
    this.take(2)
    for (;;) {
      const char = this.peek()
      if (char === undefined) this.fail(open, 'Unterminated ${…} variable name')
      if (char === '}') {
        this.take()
        return
      }
      if (char === '{' || char === '`') {
        const at = char === '{' ? this.index : this.index + 1
        const match = at < this.end ? this.matchPlaceholder(this.source, at) : undefined
        if (match !== undefined) this.failPlaceholder(at, match, IN_BRACED_VARIABLE)
        if (char === '{') this.fail(this.index, 'A `{` inside ${…} must be escaped with a backtick')
        if (this.peek(1) === undefined) this.fail(open, 'Unterminated ${…} variable name')
        this.take(2)
        continue
      }
      // Inside a string, two double quotes stand for one; neither ends the string (ScanVariable).
      this.take(inString && isDoubleQuote(char) && isDoubleQuote(this.peek(1)) ? 2 : 1)
    }
  }

  /**
   * $( inside a string, a word or a here-string (ScanSubExpression): its end is the parenthesis
   * that balances it, quotes or not; then its text is lexed as statements. Doubled quotes, which
   * PowerShell merges first outside here-strings, are refused, so the text lexed is the text read.
   */
  private lexUnscannedSubexpression(hereString: boolean): void {
    const source = this.source
    const open = this.index
    let parentheses = 1
    let close = open + 2
    for (; ; close++) {
      if (close >= this.end) this.fail(open, 'Unterminated $(…) subexpression')
      const char = source[close]
      if (char === '(') {
        parentheses++
      } else if (char === ')') {
        if (--parentheses === 0) break
      } else if (
        !hereString &&
        (char === '`' || isDoubleQuote(char)) &&
        close + 1 < this.end &&
        isDoubleQuote(source[close + 1])
      ) {
        this.fail(close, DOUBLED_QUOTES)
      }
    }
    const end = this.end
    this.end = close
    this.depth++
    this.index = open + 2
    this.lexStatements(undefined, open)
    this.depth--
    this.end = end
    this.index = close + 1
  }

  /**
   * @'…'@ and @"…"@: the opening must end its line; the string ends at a line that starts with
   * the matching quote and @ (ScanHereStringLiteral, ScanHereStringExpandable).
   */
  private lexHereString(): void {
    const open = this.index
    const expandable = isDoubleQuote(this.source[open + 1])
    const spelling = expandable ? '@"…"@' : "@'…'@"
    const quote = expandable ? '"' : "'"
    const neverClosed = `The here-string ${spelling} is never closed by a line starting with ${quote}@`
    this.take(2)
    while (isWhitespace(this.peek())) this.take()
    const char = this.peek()
    if (!isNewline(char)) this.fail(open, `The here-string opening @${quote} must end its line`)
    this.take(char === '\r' && this.peek(1) === '\n' ? 2 : 1)
    const closes = expandable ? isDoubleQuote : isSingleQuote
    const outer = this.hereString
    this.hereString = spelling
    // Its value, as far as needed to tell whether it is --%; the line break before the closing
    // line is not part of it.
    const guard = newGuard()
    for (let firstLine = true; ; firstLine = false) {
      // Only the start of a line can close it.
      if (closes(this.peek()) && this.peek(1) === '@') break
      if (!firstLine) appendGuard(guard, '\n')
      for (;;) {
        const current = this.peek()
        if (current === undefined) this.fail(open, neverClosed)
        if (isNewline(current)) {
          this.take(current === '\r' && this.peek(1) === '\n' ? 2 : 1)
          break
        }
        const match = this.placeholderAt(this.index)
        if (match !== undefined) {
          this.quotedPlaceholder(match, 'double', guard)
        } else if (expandable && current === '`') {
          // An escaped line break does not start a line that could close the string.
          appendGuard(guard, this.escapeInString(open, neverClosed))
        } else if (expandable && current === '$') {
          if (this.lexDollarInString(true)) killGuard(guard)
          else appendGuard(guard, '$')
        } else {
          appendGuard(guard, current)
          this.take()
        }
      }
    }
    this.take(2)
    this.hereString = outer
    this.finishGuard(guard, open, false)
  }

  /**
   * The backtick escape at `at` (Tokenizer.Backtick, ScanUnicodeEscape): its length and what it
   * stands for, or undefined when nothing follows the backtick.
   */
  private escapeAt(at: number): { length: number; text: string } | undefined {
    if (at + 1 >= this.end) return undefined
    const char = this.source[at + 1] as string
    if (char === 'u') {
      const escape = /^\{([0-9A-Fa-f]{1,6})\}/.exec(
        this.source.slice(at + 2, Math.min(this.end, at + 10))
      )
      const code = escape === null ? Number.NaN : Number.parseInt(escape[1] as string, 16)
      if (escape === null || code > 0x10ffff) this.fail(at, 'Invalid `u{…} escape')
      return {
        length: 2 + escape[0].length,
        text: code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code)
      }
    }
    const special: Record<string, string> = {
      '0': '\0',
      a: '\x07',
      b: '\b',
      e: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v'
    }
    return { length: 2, text: special[char] ?? char }
  }
}

// Tokens that could become --%

function newGuard(): Guard {
  return { literal: '', pieces: [], viable: true }
}

function deadGuard(): Guard {
  return { literal: '', pieces: [], viable: false }
}

function killGuard(guard: Guard): void {
  guard.viable = false
}

function appendGuard(guard: Guard, text: string): void {
  if (!guard.viable) return
  guard.literal += text
  if (guard.literal.length > STOP_PARSING.length || /[^-%]/.test(text)) {
    guard.viable = false
    return
  }
  guard.pieces.push(text)
}

function newWord(kind: Word['kind'], start: number, guard: Guard): Word {
  return {
    kind,
    start,
    ban: undefined,
    afterVariable: false,
    afterName: undefined,
    lastDoubleQuoted: false,
    lastPlaceholder: false,
    expandable: false,
    singles: [],
    guard
  }
}
