/**
 * Just enough bash and POSIX sh (dash) syntax to put untrusted values into a command template
 * safely: a lexer that finds each placeholder's quoting context (the quoting for each context and
 * the word splitting of `shell: none` are in shell-words.ts, the rules of where a value may not
 * stand in shell-hazards.ts).
 *
 * The lexer never guesses. A wrong guess about a context is an injection, so whatever it cannot
 * classify with certainty for both bash (4 or later) and dash is a ShellSyntaxError. It also
 * follows each simple command to its name, however spelled (\let, builtin let, x=1 let), to refuse
 * values where a builtin would evaluate them (let, read, declare -i, printf -v, [ -v, eval, …),
 * and where bash and dash read a template differently it refuses rather than pick one.
 */

import { findArrayNames, mayBeArray, type ArrayNames } from './shell-arrays.js'
import {
  type ShellDialect,
  type QuotingContext,
  type PlaceholderMatch,
  type PlaceholderMatcher,
  type ScriptPart,
  type WordRole,
  ShellSyntaxError,
  describePosition,
  RESERVED_WORDS
} from './shell-words.js'
import {
  type Forbidden,
  IN_BACKTICKS,
  IN_PARAMETER_EXPANSION,
  inArithmetic,
  IN_SUBSCRIPT,
  IN_LET,
  AFTER_BACKSLASH,
  inHereDocument,
  IN_HERE_DOCUMENT_DELIMITER,
  inConditional,
  inDuplication,
  namesVariables,
  runsAsCode,
  declarationFlags,
  inDeclarationName,
  mayBecomeArrayAssignment,
  inDeclarationOptions,
  IN_PRINTF_OPTIONS,
  IN_PRINTF_VARIABLE,
  inTestOperand,
  withAttributes,
  assignsEvaluatingVariable,
  assignsCodeVariable,
  numberHazard,
  ARITHMETIC_CONDITIONAL_OPERATORS,
  EVALUATING_VARIABLES,
  CODE_VARIABLES,
  isGuardedVariable,
  ASSIGNING_COMMANDS,
  DECLARATION_COMMANDS,
  VARIABLE_NAME_COMMANDS,
  CODE_COMMANDS,
  KEEP_COMMAND_POSITION
} from './shell-hazards.js'

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

/** What the arguments of the current simple command may hold, by the command's name. */
type CommandRule =
  | { kind: 'none' }
  /** Every argument is refused (let, read, eval, …); `arithmetic` for let. */
  | { kind: 'forbidden'; forbidden: Forbidden; arithmetic: boolean }
  /** declare and friends: `flags` once an option gives values attributes. */
  | { kind: 'declaration'; command: string; flags: string | undefined; optionsDone: boolean }
  | { kind: 'printf'; optionsDone: boolean; variableNext: boolean }
  /** [ and test: what the previous argument was (-v and -R take a variable name). */
  | { kind: 'test'; command: string; previous: string | undefined }

interface SimpleCommand {
  /**
   * name: the command's name is still to come (after assignments, redirections, reserved words
   * such as `if` or `!`, and `builtin`, `command` or `time`); arguments: after the name; other:
   * words that are not a simple command's (for, case, [[ … ]], an array's elements).
   */
  stage: 'name' | 'arguments' | 'other'
  /** `builtin`, `command` or `time` came before the name: skip their options. */
  wrapper: string | undefined
  /** The command's name, when the template spells it as fixed text. */
  name: string | undefined
  /** The name as written when it is not fixed text ($d, "$(…)", $'declare'): it could be declare. */
  unknownName: string | undefined
  rule: CommandRule
}

/** A placeholder part of the lexed script. */
type PlaceholderPart = Extract<ScriptPart, { kind: 'placeholder' }>

/** The word being lexed is the target of a redirection. */
interface RedirectionTarget {
  forbidden: Forbidden | undefined
}

/** How a number's digits could run into the text around them, by where they stand. */
type NumberRules = 'word' | 'quoted' | 'literal' | 'arithmetic' | 'parameter'

interface Frame {
  kind: FrameKind
  forbidden: Forbidden | undefined
  /** The next word would be the first word of a command (where reserved words count). */
  commandPosition: boolean
  inWord: boolean
  /** Where the current word starts. */
  wordStart: number
  /** The current word's characters while it is plain text (no quotes, expansions, escapes). */
  plainWord: string | undefined
  /** Text placeholders in the current word, also those inside its $(…) and the like. */
  wordPlaceholders: { source: string; index: number }[]
  /** The current word's own text placeholders (not those of its $(…)), to be given their role. */
  wordTextPlaceholders: PlaceholderPart[]
  /** The last word was a loop's variable, so an `in` now starts the loop's list of words. */
  afterLoopVariable: boolean
  /** The words being read are the list of `for … in` or `select … in`. */
  loopList: boolean
  /** Depth of [ … ] inside a word that started as `name[` (an array subscript). */
  subscriptDepth: number
  /**
   * The subscript started where bash reads `name[…]` to its matching `]`, blanks and operators
   * included (before a command's name, or `[…]=` in an array's parentheses).
   */
  subscriptMatched: boolean
  /** Set from a redirection operator until the end of its target word. */
  redirection: RedirectionTarget | undefined
  command: SimpleCommand
  /** The last word was a command name, so `()` after it defines a function. */
  afterCommandName: boolean
  /** The last word was bash's `function`, so the next is a function name. */
  afterFunctionKeyword: boolean
  /**
   * After `time` (a reserved word in bash, a command in dash): `time` right after it, `option`
   * after `time -p`; bash then still takes `--` once, and the word after is a command's first.
   */
  afterTime: 'time' | 'option' | undefined
  /** The last word was `for` or `select`, so the next names the variable the loop assigns. */
  loopKeyword: string | undefined
  cases: CaseStatement[]
  conditional: Conditional | undefined
  /** The [[ … ]] this parenthesized group stands in: ( … ) there groups conditions. */
  enclosingConditional: Conditional | undefined
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

/** A text placeholder the lexer accepted: its spelling and where it stands in the template. */
interface FoundPlaceholder {
  source: string
  index: number
}

/**
 * The fixed characters of a word (after quote removal) up to where it stops being fixed: at an
 * expansion or placeholder (`expansion`: its value depends on variables, commands or the item), or
 * at something this lexer does not work out although the template fixes it (`pattern`: a brace
 * expansion, $'…' or $"…").
 */
interface LiteralText {
  value: string
  complete: boolean
  stop: 'expansion' | 'pattern' | undefined
}

// NAME=, NAME+= or NAME[…]= at the start of a word: an assignment before a command's name.
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/

/**
 * text as the shell reads it: line continuations (backslash-newline outside single quotes) removed,
 * which bash and dash do before they split words or recognize anything in them.
 */
export function withoutLineContinuations(text: string): string {
  let result = ''
  let quote: '"' | "'" | undefined
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string
    if (quote === "'") {
      if (char === "'") quote = undefined
      result += char
    } else if (char === '\\') {
      const next = text[index + 1]
      if (next !== '\n') result += char + (next ?? '')
      index++
    } else {
      if (char === '"') quote = quote === undefined ? '"' : undefined
      else if (char === "'" && quote === undefined) quote = "'"
      result += char
    }
  }
  return result
}

const IN_COMMAND_NAME_SUBSTITUTION: Forbidden = () =>
  "is inside an unquoted substitution that makes the command's name: its output would be split " +
  'into a command and its arguments, so the value could run as a command. Quote the ' +
  'substitution ("$(…)"), or pass the value as an argument.'

const UNKNOWN_COMMAND: Forbidden = () =>
  "is an argument of a command whose name this template spells as a brace expansion, $'…' or " +
  '$"…", so it is not certain which command runs (let, read or eval would run its value as ' +
  'code). Write the command name as a plain word.'

/**
 * Whether a command word certainly names a file to run (it holds a / of its own), though
 * expansions make the rest of it: ~/bin/x, "$dir"/x. An unquoted $… or `…` could split the word
 * and make something else the command (c='eval x'; $c/y), so then false.
 */
function namesFile(spelling: string): boolean {
  let slash = /^~[A-Za-z0-9._-]*\//.test(spelling)
  let quote: '"' | "'" | undefined
  let depth = 0
  for (let index = 0; index < spelling.length; index++) {
    const char = spelling[index] as string
    if (quote === "'") {
      if (char === "'") quote = undefined
      else if (char === '/') slash = true
    } else if (char === '\\') {
      index++
    } else if (char === '$' || char === '`') {
      if (quote === undefined) return false
      const open = spelling[index + 1]
      if (open === '(' || open === '{') depth++
      if (char === '`') return false
    } else if (depth > 0) {
      // Quotes inside an expansion could hide its end: give up.
      if (char === '"' || char === "'") return false
      if (char === ')' || char === '}') depth--
    } else if (char === '"') {
      quote = quote === undefined ? '"' : undefined
    } else if (char === "'" && quote === undefined) {
      quote = "'"
    } else if (char === '/') {
      slash = true
    }
  }
  return slash
}

/**
 * Builtins that run a command or a file their arguments name, or take an option's value there
 * (exec -a NAME): in a batch the first item could become the command and the next its arguments.
 * (eval, trap and the like refuse every value already; command, builtin and time are followed to
 * the name of the command they run.)
 */
const RUNS_ARGUMENTS = new Set(['exec', 'source', '.', 'command', 'builtin', 'eval', 'trap'])

/** Why a value may not be an argument of a command whose name is only known when it runs. */
function expandedCommand(spelling: string): Forbidden {
  const shown = spelling.length > 40 ? `${spelling.slice(0, 40)}…` : spelling
  return source =>
    `is an argument of a command whose name is only known when it runs (${shown}), which could ` +
    'be eval, read, printf -v, declare or another builtin that runs its arguments as code or ' +
    `assigns to them. Write the command's name as a plain word (or a path with a /), or pass ` +
    `${source} in a variable the command reads.`
}

function newCommand(kind: FrameKind): SimpleCommand {
  return {
    stage: kind === 'group' ? 'other' : 'name',
    wrapper: undefined,
    name: undefined,
    unknownName: undefined,
    rule: { kind: 'none' }
  }
}

class ScriptLexer {
  private index = 0
  private literal = ''
  private readonly parts: ScriptPart[] = []
  private readonly frames: Frame[] = []
  private pendingHereDocuments: PendingHereDocument[] = []
  /** The text placeholders accepted so far. */
  private readonly textPlaceholders: FoundPlaceholder[] = []
  /** The first declaration that gives a variable the integer or nameref attribute, if any. */
  private attributes: { spelling: string; index: number } | undefined
  /** The variables the template may make arrays, found once when a declaration needs them. */
  private arrayNames: ArrayNames | undefined
  /** The first assignment of a value that is not fixed text to a guarded variable. */
  private evaluatingAssignment: { variable: string; spelling: string; index: number } | undefined

  constructor(
    private readonly source: string,
    private readonly dialect: ShellDialect,
    private readonly matchPlaceholder: PlaceholderMatcher,
    /** This lexer reads the body of an unquoted here-document, which `source` ends with. */
    private readonly inHereDocumentBody = false
  ) {}

  lex(): ScriptPart[] {
    this.lexFrame('script', undefined, 0)
    this.flushLiteral()
    // Code the lexer does not read as commands (strings for eval, trap, mapfile -C, a here-string
    // for source) can give attributes too: look for them in all the template's text.
    this.attributes ??= findAttributeDeclaration(this.source)
    // Whatever is assigned to an integer or nameref variable is evaluated, and values reach
    // variables in too many ways (name=…, read, for, $(…)) to follow: refuse text placeholders in
    // such a template altogether.
    const attributes = this.attributes
    const placeholder = this.textPlaceholders[0]
    if (attributes !== undefined && placeholder !== undefined) {
      const reason = withAttributes(
        attributes.spelling,
        describePosition(this.source, attributes.index)
      )
      this.failPlaceholder(placeholder.index, placeholder.source, reason(placeholder.source))
    }
    // The same for variables that are integers from the start (OPTIND, RANDOM, …), once the
    // template assigns one of them anything but fixed text.
    const assignment = this.evaluatingAssignment
    if (assignment !== undefined && placeholder !== undefined) {
      const reason = (
        CODE_VARIABLES.has(assignment.variable) ? assignsCodeVariable : assignsEvaluatingVariable
      )(assignment.variable, assignment.spelling, describePosition(this.source, assignment.index))
      this.failPlaceholder(placeholder.index, placeholder.source, reason(placeholder.source))
    }
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

  /**
   * Takes a placeholder at the current index if there is one; returns whether it did. `numbers`
   * says what a number's digits could run into where it stands; `contextStart` is where the
   * ${…} it stands in starts.
   */
  private takePlaceholder(
    context: Exclude<QuotingContext, 'raw'>,
    forbidden: Forbidden | undefined,
    numbers: NumberRules = context === 'single'
      ? 'literal'
      : context === 'double'
        ? 'quoted'
        : 'word',
    contextStart = 0
  ): boolean {
    const start = this.index
    const match = this.placeholderAt(start)
    if (match === undefined) return false
    const source = this.source.slice(start, start + match.length)
    const end = start + match.length
    let quoting: QuotingContext = context
    if (match.numeric) {
      // Digits need no quoting, and raw they also work where quotes cannot go (arithmetic,
      // backticks); but they must not run into the text around them. In $'…' they could extend an
      // escape such as \1, so there they are always quoted.
      if (context !== 'ansiC') {
        const hazard = this.numberHazard(start, end, numbers, contextStart)
        if (hazard === undefined) quoting = 'raw'
        else if (forbidden !== undefined || context === 'single') {
          this.failPlaceholder(start, source, numberHazard(hazard)(source))
        }
      }
    } else {
      if (forbidden !== undefined) this.failPlaceholder(start, source, forbidden(source))
      const found = { source, index: start }
      this.textPlaceholders.push(found)
      for (const frame of this.frames) {
        frame.conditional?.placeholders.push(found)
        if (frame.inWord) frame.wordPlaceholders.push(found)
      }
    }
    this.index = end
    this.flushLiteral()
    const part: PlaceholderPart = { kind: 'placeholder', source, index: start, context: quoting }
    this.parts.push(part)
    // The word it stands in gives it its role once the word ends.
    const innermost = this.frames.at(-1)
    if (!match.numeric && innermost?.inWord === true) innermost.wordTextPlaceholders.push(part)
    return true
  }

  /**
   * Why a number written as bare digits at start…end would not mean the same as the number
   * quoted, or undefined when it would.
   */
  private numberHazard(
    start: number,
    end: number,
    rules: NumberRules,
    contextStart: number
  ): string | undefined {
    if (rules === 'literal') return undefined
    const source = this.source
    const before = source.slice(Math.max(0, start - 256), start)
    const after = source.slice(end, end + 2)
    if (before.endsWith('\\\n') || after === '\\\n') {
      return 'a line continuation next to it would join its digits to the text around them'
    }
    const variable = /\$[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0]
    if (variable !== undefined) {
      return `its digits would become part of the variable name ${variable}`
    }
    const joins =
      /[A-Za-z0-9_]/.test(source[start - 1] ?? '') || /[A-Za-z0-9_]/.test(after[0] ?? '')
    switch (rules) {
      case 'quoted':
        return undefined
      case 'word': {
        const next = after[0]
        if (next === '<' || next === '>') {
          return `its digits before ${next} would be read as the file descriptor of a redirection`
        }
        if (before.endsWith('..') || after === '..') {
          return 'its digits next to .. could make a brace expansion {a..b}'
        }
        const word = /[^\s;&|()<>`]*$/.exec(before)?.[0] ?? ''
        if (word.includes('~')) return 'its digits could become part of a tilde expansion ~…'
        return undefined
      }
      case 'parameter': {
        const inside = source.slice(contextStart + 2, start)
        if (/^[#!]?[A-Za-z0-9_]*$/.test(inside)) {
          return 'its digits would be part of the parameter name in ${…}'
        }
        // A subscript ${name[…]} and an offset ${name:…} are arithmetic; the word after :- and
        // the other operators is text.
        const arithmetic = /^[#!]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?:\[|:(?![-=?+]))/
        if (arithmetic.test(inside) && joins) {
          return 'its digits would join the name or number next to them'
        }
        return undefined
      }
      case 'arithmetic':
        return joins ? 'its digits would join the name or number next to them' : undefined
    }
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
    const { bodyEnd, delimiterEnd } = this.findHereDocumentEnd(hereDocument)
    if (hereDocument.quoted) {
      // Nothing in the body is expanded: numbers stand as they are.
      const forbidden = inHereDocument(hereDocument.spelling)
      while (this.index < bodyEnd) {
        if (!this.takePlaceholder('bare', forbidden, 'literal')) this.take()
      }
    } else {
      this.lexUnquotedHereDocumentBody(hereDocument, bodyEnd)
    }
    this.take(delimiterEnd - this.index)
    if (this.source[this.index] === '\n') this.take()
  }

  /** Where the body ends (the start of the delimiter line) and where the delimiter line ends. */
  private findHereDocumentEnd(hereDocument: PendingHereDocument): {
    bodyEnd: number
    delimiterEnd: number
  } {
    const source = this.source
    const { delimiter, spelling } = hereDocument
    for (let position = this.index; ;) {
      if (position >= source.length) {
        this.fail(
          hereDocument.index,
          `Here-document ${spelling} is never closed by a line ${delimiter}`
        )
      }
      // bash compares the delimiter with the logical line: leading tabs removed for <<-, and
      // (when the delimiter is unquoted) lines ending in a backslash joined with the next.
      const lineStart = position
      const lines: string[] = []
      let logicalLine = ''
      let end = lineStart
      for (;;) {
        const newline = source.indexOf('\n', end)
        const lineEnd = newline === -1 ? source.length : newline
        let line = source.slice(end, lineEnd)
        lines.push(line)
        if (lines.length === 1 && hereDocument.stripTabs) line = line.replace(/^\t+/, '')
        const continues =
          !hereDocument.quoted && newline !== -1 && /(?:^|[^\\])(?:\\\\)*\\$/.test(line)
        end = continues ? lineEnd + 1 : lineEnd
        logicalLine += continues ? line.slice(0, -1) : line
        if (!continues) break
      }
      // dash does not join the lines before comparing (and versions differ in how they treat
      // a backslash-newline there): refuse any line continuation that some reading could take
      // as the delimiter line.
      if (this.dialect === 'sh' && lines.length > 1 && couldBeDelimiter(lines, hereDocument)) {
        this.fail(
          lineStart,
          `A line of here-document ${spelling} ends with a backslash that joins it to the next, ` +
            `and the lines could read as its delimiter ${delimiter}: bash and dash disagree on ` +
            `where the body ends. Remove the backslash, quote the delimiter (<<'${delimiter}') ` +
            'or use shell: bash'
        )
      }
      if (logicalLine === delimiter) return { bodyEnd: lineStart, delimiterEnd: end }
      this.checkHereDocumentLine(hereDocument, logicalLine, lineStart)
      position = source[end] === '\n' ? end + 1 : end
    }
  }

  /**
   * Lexes the body of a here-document with an unquoted delimiter (up to its delimiter line) as the
   * shells expand it: like the inside of "…", where $(…), `…` and ${…} are live. A substitution
   * must close before the delimiter line: bash ends the body there whatever is open, while dash
   * reads a $(…) on past it.
   */
  private lexUnquotedHereDocumentBody(hereDocument: PendingHereDocument, bodyEnd: number): void {
    const body = new ScriptLexer(
      this.source.slice(0, bodyEnd),
      this.dialect,
      this.matchPlaceholder,
      true
    )
    body.index = this.index
    try {
      body.lexHereDocumentText(inHereDocument(hereDocument.spelling))
    } catch (error) {
      if (!(error instanceof ShellSyntaxError) || !error.message.startsWith('Unterminated ')) {
        throw error
      }
      throw new ShellSyntaxError(
        error.message.replace(
          / \((line \d+, column \d+)\)\.$/,
          ` in the body of here-document ${hereDocument.spelling}: close it before the line ` +
            `${hereDocument.delimiter}, where bash ends the body while dash would read on ($1).`
        )
      )
    }
    body.flushLiteral()
    this.flushLiteral()
    this.parts.push(...body.parts)
    this.textPlaceholders.push(...body.textPlaceholders)
    this.attributes ??= body.attributes
    this.evaluatingAssignment ??= body.evaluatingAssignment
    this.index = bodyEnd
  }

  /** The text of an unquoted here-document's body, to the end of the source. */
  private lexHereDocumentText(forbidden: Forbidden): void {
    const source = this.source
    while (this.index < source.length) {
      const char = source[this.index]
      if (char === '\\') {
        // A backslash escapes only $ ` \ and newline in a here-document.
        const next = source[this.index + 1]
        if (next === '\n') this.checkLineContinuation(this.index)
        this.take(next !== undefined && '$`\\\n'.includes(next) ? 2 : 1)
      } else if (char === '$') {
        this.lexDollar(true, forbidden)
      } else if (char === '`') {
        this.lexBackticks()
      } else if (!this.takePlaceholder('double', forbidden)) {
        this.take()
      }
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
    // A redirection's target is not an argument of the command.
    if (frame.redirection !== undefined) return frame.redirection.forbidden
    const rule = frame.command.rule
    if (rule.kind === 'forbidden') return rule.forbidden
    return undefined
  }

  /** How a number's digits could run into what is around them at the frame's current word. */
  private numberRules(frame: Frame): NumberRules {
    const rule = frame.command.rule
    const inLet = frame.redirection === undefined && rule.kind === 'forbidden' && rule.arithmetic
    return frame.subscriptDepth > 0 || inLet ? 'arithmetic' : 'word'
  }

  /** Marks the start of a word part; plain is its text while the word stays plain. */
  private wordPart(frame: Frame, plain: string | undefined): void {
    if (!frame.inWord) {
      frame.inWord = true
      frame.wordStart = this.index
      frame.plainWord = ''
      frame.wordPlaceholders = []
      frame.wordTextPlaceholders = []
    }
    frame.plainWord = plain === undefined ? undefined : frame.plainWord?.concat(plain)
  }

  /**
   * After the end of a compound command (`)`, `}`, `fi`, `done`, `esac`, `]]`, `))`) and after a
   * loop's variable, bash and dash still read a reserved word (`if ( : ) then …`, `for x do …`,
   * `for ((…)) { …; }`): take the next word as a command's first, which is stricter either way.
   */
  private reservedWordMayFollow(frame: Frame): void {
    // Inside a parenthesized word (an array's elements) no command starts.
    frame.commandPosition = frame.kind !== 'group'
    frame.loopList = false
    frame.command = newCommand(frame.kind)
  }

  private startCommand(frame: Frame): void {
    frame.afterCommandName = false
    frame.afterTime = undefined
    frame.loopKeyword = undefined
    frame.redirection = undefined
    frame.afterLoopVariable = false
    frame.loopList = false
    if (frame.conditional !== undefined || frame.enclosingConditional !== undefined) return
    frame.commandPosition = true
    frame.command = newCommand(frame.kind)
  }

  /**
   * The characters the shell makes of source[start, end) after quote removal, up to the first
   * expansion, placeholder or brace expansion.
   */
  private literalText(start: number, end: number): LiteralText {
    const source = this.source
    let value = ''
    let quote: '"' | "'" | undefined
    const stop = (why: 'expansion' | 'pattern'): LiteralText => ({
      value,
      complete: false,
      stop: why
    })
    for (let index = start; index < end;) {
      const char = source[index] as string
      if (quote === "'") {
        if (char === "'") quote = undefined
        else value += char
        index++
        continue
      }
      if (char === '{' && this.placeholderAt(index) !== undefined) return stop('expansion')
      if (char === '\\') {
        const next = source[index + 1]
        if (next === undefined || index + 1 >= end) return stop('expansion')
        // Inside "…" a backslash escapes only $ ` " \ and newline.
        if (next !== '\n') value += quote === '"' && !'$`"\\'.includes(next) ? `\\${next}` : next
        index += 2
        continue
      }
      if (char === '$') {
        const next = source[index + 1]
        return stop(quote === undefined && (next === "'" || next === '"') ? 'pattern' : 'expansion')
      }
      if (char === '`') return stop('expansion')
      if (char === '"') {
        quote = quote === undefined ? '"' : undefined
        index++
        continue
      }
      if (quote === undefined) {
        if (char === "'") {
          quote = "'"
          index++
          continue
        }
        if (char === '{') return stop('pattern')
        if ('*?()'.includes(char) || (char === '~' && index === start)) return stop('expansion')
        if (char === '[' && source.slice(index + 1, end).includes(']')) return stop('expansion')
      }
      value += char
      index++
    }
    return { value, complete: true, stop: undefined }
  }

  /** Notes an assignment to a guarded variable, unless what it assigns is fixed text. */
  private noteAssignment(
    variable: string | undefined,
    fixed: boolean,
    spelling: string,
    index: number
  ): void {
    if (variable === undefined || fixed || !isGuardedVariable(variable)) return
    this.evaluatingAssignment ??= { variable, spelling, index }
  }

  /**
   * Notes an argument whose fixed text (quotes removed) starts NAME= for a guarded NAME, or holds
   * =NAME=, and whose value is not fixed text: env under any path or wrapper (nice, exec, xargs),
   * sudo, systemd-run --setenv= and others put it in the environment of a program they run.
   */
  private noteEnvironmentArgument(
    command: SimpleCommand,
    start: number,
    end: number,
    literal: LiteralText
  ): void {
    const name = command.name ?? command.unknownName ?? 'a command'
    const named = /(?:^|=)([A-Za-z_][A-Za-z0-9_]*)=/.exec(literal.value)
    if (named !== null) {
      const variable = named[1]
      this.noteAssignment(variable, literal.complete, `${name} ${variable}=…`, start)
      return
    }
    // The fixed text stops inside the name (PS$'4'=…, P${s}=…): it could still be a guarded one.
    const partial = /(?:^|=)([A-Za-z_][A-Za-z0-9_]*)$/.exec(literal.value)?.[1]
    if (literal.complete || partial === undefined || !this.source.slice(start, end).includes('=')) {
      return
    }
    const variable = [...EVALUATING_VARIABLES, ...CODE_VARIABLES.keys()].find(guarded =>
      guarded.startsWith(partial)
    )
    this.noteAssignment(variable, false, `${name} ${this.source.slice(start, end)}`, start)
  }

  /** Follows the words of a simple command to its name, and checks the arguments it is given. */
  private commandWord(
    frame: Frame,
    word: string | undefined,
    start: number,
    end: number,
    placeholders: FoundPlaceholder[]
  ): void {
    const command = frame.command
    if (command.stage === 'other') return
    const literal = this.literalText(start, end)
    if (command.stage === 'arguments') {
      if (command.name !== undefined && ASSIGNING_COMMANDS.has(command.name)) {
        // A variable name, or one glued to options (read -aRANDOM): data read in is assigned.
        const variable = literal.value.startsWith('-')
          ? [...EVALUATING_VARIABLES, ...CODE_VARIABLES.keys()].find(name =>
              literal.value.endsWith(name)
            )
          : literal.value
        this.noteAssignment(variable, false, `${command.name} ${literal.value}`, start)
      }
      this.noteEnvironmentArgument(command, start, end, literal)
      if (command.unknownName !== undefined) {
        this.checkUnknownCommandArgument(command.unknownName, start, end, literal, placeholders)
      }
      this.checkArgument(command.rule, start, end, literal, placeholders)
      return
    }
    if (frame.commandPosition && word !== undefined && RESERVED_WORDS.has(word)) {
      if (word === 'time') command.wrapper = word
      else if (!KEEP_COMMAND_POSITION.has(word)) command.stage = 'other'
      return
    }
    const wrapper = command.wrapper
    const text = this.source.slice(start, end)
    // The shell sees x\<newline>=1 as x=1: classify the word without its line continuations.
    const shellWord = withoutLineContinuations(text)
    if ((wrapper === undefined || wrapper === 'time') && ASSIGNMENT.test(shellWord)) {
      const variable = /^[A-Za-z_][A-Za-z0-9_]*/.exec(shellWord)?.[0]
      const spelling = `${/^[^=]*=/.exec(shellWord)?.[0] ?? ''}…`
      this.noteAssignment(variable, literal.complete, spelling, start)
      return
    }
    // Options of builtin, command (-p, -v, --) and time (-p): the name is still to come.
    if (wrapper !== undefined && literal.value.startsWith('-')) return
    if (literal.complete && (literal.value === 'builtin' || literal.value === 'command')) {
      command.wrapper = literal.value
      return
    }
    const placeholder = placeholders[0]
    if (placeholder !== undefined && this.hasUnquotedSubstitution(start, end)) {
      this.failPlaceholder(
        placeholder.index,
        placeholder.source,
        IN_COMMAND_NAME_SUBSTITUTION(placeholder.source)
      )
    }
    command.stage = 'arguments'
    command.name = literal.complete ? literal.value : undefined
    command.unknownName = literal.complete ? undefined : text
    command.rule = this.commandRule(literal, start, end)
  }

  /**
   * Whether source[start, end) has a command or process substitution outside double quotes,
   * whose output would be split into words (when unsure, true).
   */
  private hasUnquotedSubstitution(start: number, end: number): boolean {
    const source = this.source
    let quote: '"' | "'" | undefined
    for (let index = start; index < end; index++) {
      const char = source[index]
      if (quote === "'") {
        if (char === "'") quote = undefined
      } else if (char === '\\') {
        index++
      } else if (char === '"') {
        quote = quote === undefined ? '"' : undefined
      } else if (quote === undefined) {
        if (char === "'") quote = "'"
        else if (
          char === '`' ||
          ((char === '$' || char === '<' || char === '>') && source[index + 1] === '(')
        ) {
          return true
        }
      }
    }
    return false
  }

  private commandRule(name: LiteralText, start: number, end: number): CommandRule {
    if (!name.complete) {
      if (name.stop === 'pattern') {
        return { kind: 'forbidden', forbidden: UNKNOWN_COMMAND, arithmetic: false }
      }
      // A name with a fixed / in it is a file to run, never a builtin; any other name only known
      // when it runs could be eval, read, printf, declare, … and is refused values as they are.
      const spelling = this.source.slice(start, end)
      if (name.value.includes('/') || namesFile(spelling)) return { kind: 'none' }
      return { kind: 'forbidden', forbidden: expandedCommand(spelling), arithmetic: false }
    }
    const command = name.value
    if (command === 'alias') {
      this.fail(
        start,
        'Aliases can change how the rest of the command is read; use a function instead'
      )
    }
    if (command === 'let') return { kind: 'forbidden', forbidden: IN_LET, arithmetic: true }
    const hint = VARIABLE_NAME_COMMANDS.get(command)
    if (hint !== undefined) {
      return { kind: 'forbidden', forbidden: namesVariables(command, hint), arithmetic: false }
    }
    if (CODE_COMMANDS.has(command)) {
      return { kind: 'forbidden', forbidden: runsAsCode(command), arithmetic: false }
    }
    if (DECLARATION_COMMANDS.has(command)) {
      return { kind: 'declaration', command, flags: undefined, optionsDone: false }
    }
    if (command === 'printf') return { kind: 'printf', optionsDone: false, variableNext: false }
    if (command === '[' || command === 'test') {
      return { kind: 'test', command: command === '[' ? '[ … ]' : 'test', previous: '' }
    }
    return { kind: 'none' }
  }

  /**
   * Checks an argument of a command whose name is not fixed text ($d, $(…), $'declare'), which
   * could be declare: an option such as -i or -n counts as a declaration's, and a placeholder at
   * the start of the value of a NAME=… argument is refused as in declare.
   */
  private checkUnknownCommandArgument(
    spelling: string,
    start: number,
    end: number,
    literal: LiteralText,
    placeholders: FoundPlaceholder[]
  ): void {
    if (literal.complete && /^[-+][A-Za-z]*[in]/.test(literal.value)) {
      this.attributes ??= { spelling: `${spelling} ${this.source.slice(start, end)}`, index: start }
      return
    }
    const first = placeholders[0]
    if (first === undefined) return
    const prefix = this.literalText(start, first.index)
    const assignment = /^[A-Za-z_][A-Za-z0-9_]*(?:\[.*\])?\+?=/.test(prefix.value)
    // Its name unknown, the command could be `declare -a`: any variable may be an array.
    if (assignment && this.couldReadAsArrayValue('declare', start, prefix, false)) {
      const forbidden = mayBecomeArrayAssignment(`a command named ${spelling}`, 'declare')
      this.failPlaceholder(first.index, first.source, forbidden(first.source))
    }
  }

  /** Checks a whole argument word of a declaration, printf or test, in order. */
  private checkArgument(
    rule: CommandRule,
    start: number,
    end: number,
    literal: LiteralText,
    placeholders: FoundPlaceholder[]
  ): void {
    const first = placeholders[0]
    const refuse = (forbidden: Forbidden): void => {
      if (first !== undefined)
        this.failPlaceholder(first.index, first.source, forbidden(first.source))
    }
    // The fixed text before the first placeholder: could the word be an option?
    const prefix = first === undefined ? literal : this.literalText(start, first.index)
    const couldBeOption = prefix.value === '' || /^[-+]/.test(prefix.value)
    switch (rule.kind) {
      case 'none':
      case 'forbidden':
        return
      case 'declaration': {
        if (!rule.optionsDone) {
          if (literal.complete && literal.value === '--') {
            rule.optionsDone = true
            return
          }
          // The options, which stop at the first argument that is not one.
          if (/^[-+]/.test(literal.value) || (!literal.complete && literal.value === '')) {
            refuse(inDeclarationOptions(rule.command))
            const known = literal.complete ? literal.value : undefined
            if (known === undefined || /^[-+][A-Za-z]*[inaA]/.test(known)) {
              rule.flags ??= known ?? 'with options from an expansion'
            }
            if (
              rule.command !== 'export' &&
              (known === undefined || /^[-+][A-Za-z]*[in]/.test(known))
            ) {
              this.attributes ??= {
                spelling: `${rule.command} ${this.source.slice(start, end)}`,
                index: start
              }
            }
            return
          }
          rule.optionsDone = true
        }
        if (rule.flags !== undefined) refuse(declarationFlags(rule.command, rule.flags))
        if (!prefix.value.includes('=')) refuse(inDeclarationName(rule.command))
        if (first !== undefined && this.couldReadAsArrayValue(rule.command, start, prefix)) {
          refuse(mayBecomeArrayAssignment(rule.command))
        }
        const variable = /^[A-Za-z_][A-Za-z0-9_]*/.exec(literal.value)?.[0]
        this.noteAssignment(variable, literal.complete, `${rule.command} ${variable}=…`, start)
        return
      }
      case 'printf': {
        if (rule.optionsDone) return
        if (rule.variableNext) {
          rule.variableNext = false
          refuse(IN_PRINTF_VARIABLE)
          this.noteAssignment(literal.value, false, `printf -v ${literal.value}`, start)
          return
        }
        if (couldBeOption) refuse(IN_PRINTF_OPTIONS)
        const glued = /^-v(.+)$/.exec(literal.value)?.[1]
        this.noteAssignment(glued, false, `printf -v${glued}`, start)
        if (literal.complete && literal.value === '--') rule.optionsDone = true
        else if (literal.complete && literal.value === '-v') rule.variableNext = true
        else if (!/^-./.test(literal.value)) rule.optionsDone = true
        return
      }
      case 'test': {
        const previous = rule.previous
        rule.previous = literal.complete ? literal.value : undefined
        if (previous === '-v' || previous === '-R') refuse(inTestOperand(rule.command, previous))
        if (previous === undefined) refuse(inTestOperand(rule.command, undefined))
        return
      }
    }
  }

  /**
   * Whether a declaration's assignment, whose fixed text up to its first placeholder is `prefix`,
   * could hand bash a value that starts with `(` from the item: declare, typeset and local read
   * such a value, even quoted, as an array assignment when the variable already is an array, and
   * expand it again (export and readonly do not, in bash 5.2). An unquoted `name=(` is an array
   * assignment already, whose elements are words.
   */
  private couldReadAsArrayValue(
    command: string,
    start: number,
    prefix: LiteralText,
    commandFixed = true
  ): boolean {
    if (command === 'export' || command === 'readonly') return false
    const text = withoutLineContinuations(this.source.slice(start, start + 256))
    const name = ASSIGNMENT.exec(text)?.[0]
    if (name !== undefined && text[name.length] === '(') return false
    const value = prefix.value.slice(prefix.value.indexOf('=') + 1)
    if (value !== '' && !value.startsWith('(')) return false
    // Only an array reads it so: one the template may make, or one bash makes itself.
    const variable = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[|\+?=)/.exec(prefix.value)?.[1]
    // Names spelled across a line continuation (x\<newline>[1]=…) count as the shell reads them.
    this.arrayNames ??= bothArrayNames(
      findArrayNames(this.source),
      findArrayNames(this.source.replaceAll('\\\n', ''))
    )
    return !commandFixed || variable === undefined || mayBeArray(variable, this.arrayNames)
  }

  /** Ends the current word; `ioNumber` when it is the file descriptor of a redirection (2>…). */
  private finishWord(frame: Frame, ioNumber = false): void {
    if (!frame.inWord) return
    frame.inWord = false
    frame.subscriptDepth = 0
    const word = frame.plainWord
    const wordStart = frame.wordStart
    const placeholders = frame.wordPlaceholders
    const redirectionTarget = frame.redirection !== undefined
    const statement = frame.cases.at(-1)
    this.giveRoles(frame, wordStart, redirectionTarget, statement)
    frame.redirection = undefined
    const startsLoopList = frame.afterLoopVariable && word === 'in'
    frame.afterLoopVariable = false
    if (startsLoopList) frame.loopList = true
    if (this.caseWord(frame, statement, word)) return
    if (this.conditionalWord(frame, word)) return
    if (this.loopVariable(frame, wordStart)) return
    if (frame.afterFunctionKeyword) {
      // The name after `function`; the function's body follows, maybe after `()` (also
      // written apart from the name: `function f () [[ … ]]`).
      frame.afterFunctionKeyword = false
      frame.afterCommandName = true
      frame.commandPosition = true
      frame.command = newCommand(frame.kind)
      return
    }
    if (this.timePrefixWord(frame, word)) return
    if (!redirectionTarget && !ioNumber) {
      this.commandWord(frame, word, wordStart, this.index, placeholders)
    }
    frame.afterCommandName = false
    if (!frame.commandPosition) return
    frame.commandPosition = false
    if (word !== undefined) this.commandPositionWord(frame, word, wordStart, statement)
  }

  /**
   * Gives the word's own placeholders outside quotes their role in the grammar (before the word
   * changes the state it is read in), which decides whether they could stand for several words.
   */
  private giveRoles(
    frame: Frame,
    wordStart: number,
    redirectionTarget: boolean,
    statement: Frame['cases'][number] | undefined
  ): void {
    const parts = frame.wordTextPlaceholders
    if (parts.length === 0) return
    frame.wordTextPlaceholders = []
    const text = this.source.slice(wordStart, this.index)
    const command = frame.command
    const caseWord = statement !== undefined && statement.state !== 'body'
    let role: WordRole
    if (frame.conditional !== undefined || frame.enclosingConditional !== undefined)
      role = 'conditional'
    else if (frame.kind === 'group') role = 'parenthesized'
    else if (redirectionTarget) role = 'redirection'
    else if (caseWord) role = 'caseWord'
    else if (frame.loopKeyword !== undefined || frame.afterFunctionKeyword) role = 'other'
    else if (command.stage === 'other') role = frame.loopList ? 'loopList' : 'other'
    else if (command.stage === 'arguments')
      role =
        command.rule.kind === 'test'
          ? 'testOperand'
          : command.name !== undefined && RUNS_ARGUMENTS.has(command.name)
            ? 'runArgument'
            : 'argument'
    else if (ASSIGNMENT.test(withoutLineContinuations(text))) role = 'assignment'
    else role = 'commandName'
    const [only] = parts
    const whole = parts.length === 1 && only?.index === wordStart && only.source === text
    if (!whole && (role === 'argument' || role === 'loopList')) role = 'partOfWord'
    // A builtin's name says why its arguments cannot take a batch.
    const word = role === 'runArgument' ? `${command.name ?? ''} … ${text}` : text
    for (const part of parts) Object.assign(part, { role, word })
  }

  /** A word of `case WORD in PATTERN)` outside the bodies; true when it was one. */
  private caseWord(
    frame: Frame,
    statement: Frame['cases'][number] | undefined,
    word?: string
  ): boolean {
    switch (statement?.state) {
      case 'subject':
        statement.state = 'in'
        return true
      case 'in':
        if (word !== 'in') this.fail(this.index, 'Expected `in` after `case WORD`')
        statement.state = 'patternStart'
        return true
      case 'patternStart':
        if (word === 'esac') {
          // bash and dash both end the statement here, even before `)`.
          frame.cases.pop()
          this.reservedWordMayFollow(frame)
          return true
        }
        statement.state = 'pattern'
        return true
      case 'pattern':
        return true
      case 'body':
      case undefined:
        return false
    }
  }

  /**
   * A word inside [[ … ]], also inside its ( … ) groups at any depth: && and || and ! there join
   * conditions, so an operator in a group applies to operands just like one outside. True when
   * the word was inside one.
   */
  private conditionalWord(frame: Frame, word?: string): boolean {
    const conditional = frame.conditional ?? frame.enclosingConditional
    if (conditional === undefined) return false
    if (word === ']]' && frame.conditional === undefined) {
      this.fail(this.index - word.length, '`]]` inside ( … ) of [[ … ]]: close the ( first')
    } else if (word === ']]') {
      frame.conditional = undefined
      this.reservedWordMayFollow(frame)
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
    return true
  }

  /** The variable of `for NAME in …` or `select NAME in …`, which each value is assigned to. */
  private loopVariable(frame: Frame, wordStart: number): boolean {
    if (frame.loopKeyword === undefined) return false
    const variable = this.literalText(wordStart, this.index).value
    this.noteAssignment(variable, false, `${frame.loopKeyword} ${variable}`, wordStart)
    frame.loopKeyword = undefined
    // `in`, or `do` at once (`for x do …`), which bash and dash read as reserved words.
    frame.afterCommandName = false
    this.reservedWordMayFollow(frame)
    frame.afterLoopVariable = true
    return true
  }

  /**
   * A word right after `time` (or `time -p`): bash's parser reads `-p` right after `time`, then
   * `--` right after `time` or `time -p`, as part of `time` (parse.y: TIMEOPT, TIMEIGN); the next
   * word still starts the command. Quoted or escaped they are words. For sh, the same words are
   * followed so that a reserved word after them is refused as after `time` itself. True when the
   * word belonged to `time`.
   */
  private timePrefixWord(frame: Frame, word?: string): boolean {
    const afterTime = frame.afterTime
    if (afterTime === undefined) return false
    frame.afterTime = undefined
    if (this.dialect === 'sh' && word !== undefined && RESERVED_WORDS.has(word)) {
      this.fail(
        this.index - word.length,
        `\`time ${word}\`: time is a reserved word in bash but a command in dash, so the shells ` +
          'read the rest differently; use shell: bash'
      )
    }
    if (word === '-p' && afterTime === 'time') {
      frame.afterTime = 'option'
      return true
    }
    if (word === '--') {
      if (this.dialect === 'sh') frame.afterTime = 'option'
      else frame.commandPosition = true
      return true
    }
    return false
  }

  /** A word where a command starts: a reserved word opens or closes a compound command. */
  private commandPositionWord(
    frame: Frame,
    word: string,
    wordStart: number,
    statement: Frame['cases'][number] | undefined
  ): void {
    if (word === 'case') {
      frame.cases.push({ state: 'subject' })
    } else if (word === 'esac' && statement?.state === 'body') {
      frame.cases.pop()
      this.reservedWordMayFollow(frame)
    } else if (word === '}' || word === 'fi' || word === 'done') {
      this.reservedWordMayFollow(frame)
    } else if (word === '[[') {
      if (this.dialect === 'sh') {
        this.fail(
          wordStart,
          '`[[ … ]]` is bash syntax: dash runs `[[` as a command and reads the rest of the line ' +
            'differently (a `<<` there starts a here-document). Use [ … ] or test, or shell: bash'
        )
      }
      frame.conditional = { arithmeticOperator: undefined, placeholders: [] }
    } else if (word === 'for' || word === 'select') {
      frame.loopKeyword = word
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
      frame.afterTime = 'time'
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
    const frame = this.newFrame(kind, forbidden, openIndex)
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
      if (frame.subscriptDepth > 0 && frame.subscriptMatched && ' \t\n;&|<>()'.includes(char)) {
        this.failMatchedSubscript(frame, char)
      }
      if (char === ' ' || char === '\t') {
        this.finishWord(frame)
        this.take()
      } else if (char === '\n') {
        this.lexNewline(frame)
      } else if (char === '\\') {
        this.lexBackslash(frame)
      } else if (char === '#' && !frame.inWord) {
        this.lexComment(frame)
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
        if (this.lexClosingParenthesis(frame, openIndex)) break
      } else if (char === ';' || char === '&' || char === '|' || char === '<' || char === '>') {
        this.lexOperatorCharacter(frame, char, forbiddenHere)
      } else if (char === '{' && this.placeholderAt(this.index) !== undefined) {
        const numbers = this.numberRules(frame)
        this.wordPart(frame, undefined)
        this.takePlaceholder('bare', forbiddenHere, numbers)
      } else {
        this.lexWordCharacter(frame)
      }
    }
    this.frames.pop()
  }

  /**
   * A blank, newline or operator inside `name[` before a command's name: bash reads the subscript
   * to its matching `]` as one word (x[ 1 ]=2 assigns, and its subscript is arithmetic that runs
   * $(…) even from quotes), dash splits the word there. Refused rather than guessed.
   */
  private failMatchedSubscript(frame: Frame, char: string): never {
    const shown =
      char === '\n' ? 'a newline' : char === ' ' || char === '\t' ? 'a blank' : `\`${char}\``
    this.fail(
      frame.wordStart,
      `The array subscript ${this.source.slice(frame.wordStart, this.index)}… holds ${shown}: ` +
        'bash reads such a subscript to its matching ] as one word (an assignment whose ' +
        'subscript is evaluated as arithmetic), while dash splits it. Write the subscript ' +
        'without blanks or operators (x[1]=2)'
    )
  }

  /** A frame of the given kind opened at openIndex; a group inside [[ … ]] knows it is there. */
  private newFrame(kind: FrameKind, forbidden: Forbidden | undefined, openIndex: number): Frame {
    const parent = this.frames.at(-1)
    return {
      kind,
      forbidden,
      commandPosition: kind !== 'group',
      inWord: false,
      wordStart: openIndex,
      plainWord: undefined,
      wordPlaceholders: [],
      wordTextPlaceholders: [],
      afterLoopVariable: false,
      loopList: false,
      subscriptDepth: 0,
      subscriptMatched: false,
      redirection: undefined,
      command: newCommand(kind),
      afterCommandName: false,
      afterFunctionKeyword: false,
      afterTime: undefined,
      loopKeyword: undefined,
      cases: [],
      conditional: undefined,
      enclosingConditional:
        kind === 'group' ? (parent?.conditional ?? parent?.enclosingConditional) : undefined
    }
  }

  /** A newline ends the word and the command, and starts any pending here-document bodies. */
  private lexNewline(frame: Frame): void {
    this.finishWord(frame)
    this.take()
    this.readHereDocumentBodies(frame)
    const statement = frame.cases.at(-1)
    // `for x`, newlines, then `in`: bash and dash still read the loop's list (for NAME
    // newline_list in …).
    const afterLoopVariable = frame.afterLoopVariable
    if (statement === undefined || statement.state === 'body') this.startCommand(frame)
    frame.afterLoopVariable = afterLoopVariable
  }

  /** A backslash: a line continuation, or an escaped character of the word. */
  private lexBackslash(frame: Frame): void {
    const next = this.source[this.index + 1]
    if (next === '\n') {
      this.checkLineContinuation(this.index)
      this.take(2) // a line continuation: as if neither character were there
    } else {
      this.failIfPlaceholderFollowsBackslash(this.index)
      this.wordPart(frame, undefined)
      this.take(next === undefined ? 1 : 2)
    }
  }

  /**
   * A line continuation at `index` that joins characters the shell then reads as one operator or
   * expansion (`<\<newline><EOF` is `<<EOF`, `$\<newline>(` is `$(`): bash and dash remove it
   * before reading anything, and this lexer reads such pairs only unbroken, so it is refused.
   */
  private checkLineContinuation(index: number): void {
    const source = this.source
    let before = index - 1
    while (source[before] === '\n' && source[before - 1] === '\\') before -= 2
    let after = index + 2
    while (source[after] === '\\' && source[after + 1] === '\n') after += 2
    const previous = source[before] ?? ''
    const next = source[after] ?? ''
    const joinsOperator =
      previous !== '' && '<>&|;()'.includes(previous) && next !== '' && '<>&|;()-'.includes(next)
    if (previous === '$' || joinsOperator) {
      this.fail(
        index,
        `A line continuation joins ${previous} and ${next === '\n' ? 'a newline' : next}, which the ` +
          'shell then reads together (as in <<EOF or $(…)); write them without the backslash-newline'
      )
    }
  }

  /** A comment: placeholders in it stay as they are, inert. */
  private lexComment(frame: Frame): void {
    if (frame.kind === 'group') {
      this.fail(
        this.index,
        'Quote the `#`: inside (…) here it is unclear whether it starts a comment'
      )
    }
    const newline = this.source.indexOf('\n', this.index)
    this.take((newline === -1 ? this.source.length : newline) - this.index)
  }

  /** A `)`: the end of a case pattern, or of this frame (true when the frame closed). */
  private lexClosingParenthesis(frame: Frame, openIndex: number): boolean {
    this.finishWord(frame)
    const statement = frame.cases.at(-1)
    if (statement?.state === 'pattern') {
      this.take()
      statement.state = 'body'
      this.startCommand(frame)
      return false
    }
    if (frame.kind === 'script') this.fail(this.index, 'Unmatched `)`')
    this.closeFrame(frame, openIndex)
    this.take()
    return true
  }

  /** An operator character; digits right before < or > are the file descriptor it applies to. */
  private lexOperatorCharacter(
    frame: Frame,
    char: string,
    forbiddenHere: Forbidden | undefined
  ): void {
    const ioNumber =
      (char === '<' || char === '>') &&
      frame.inWord &&
      frame.plainWord !== undefined &&
      /^[0-9]+$/.test(frame.plainWord)
    this.finishWord(frame, ioNumber)
    this.lexOperator(frame, forbiddenHere)
  }

  private lexWordCharacter(frame: Frame): void {
    const char = this.source[this.index] as string
    if (!frame.inWord) {
      // An array subscript is evaluated as arithmetic by bash: name[…]=value, and [key]=value
      // inside an array assignment's parentheses.
      // The name may be spelled across line continuations (x\<newline>[0]=1).
      const subscript =
        frame.kind === 'group' && char === '['
          ? '['
          : /^[A-Za-z_](?:[A-Za-z0-9_]|\\\n)*\[/.exec(
              this.source.slice(this.index, this.index + 256)
            )?.[0]
      if (subscript !== undefined) {
        this.wordPart(frame, undefined)
        this.take(subscript.length)
        frame.subscriptDepth = 1
        frame.subscriptMatched =
          frame.kind === 'group' || frame.commandPosition || frame.command.stage === 'name'
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
    // `(` ends a reserved word (if(…), while(…), !(…), {(…), [[(…), for((…))): what follows is a
    // subshell, arithmetic or a group of conditions, as after a space, not a parenthesized word.
    const word = frame.plainWord
    if (frame.inWord && frame.commandPosition && word !== undefined && RESERVED_WORDS.has(word)) {
      this.finishWord(frame)
    }
    const openIndex = this.index
    const functionParentheses = /^\((?:[ \t]|\\\n)*\)/.exec(
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
      frame.command = newCommand(frame.kind)
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
      // An arithmetic command, or the head of `for ((…))`, which `do` or `{` may follow at once.
      frame.loopKeyword = undefined
      this.reservedWordMayFollow(frame)
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
    if (subshell) this.reservedWordMayFollow(frame)
    else frame.commandPosition = false
  }

  private lexOperator(frame: Frame, forbiddenHere: Forbidden | undefined): void {
    const source = this.source
    const rest = source.slice(this.index, this.index + 3)
    const statement = frame.cases.at(-1)
    if (statement !== undefined && (statement.state === 'subject' || statement.state === 'in')) {
      this.fail(this.index, 'Expected `case WORD in`')
    }
    if (rest.startsWith('<(') || rest.startsWith('>(')) {
      // A word, which may be a redirection's target.
      const openIndex = this.index
      this.wordPart(frame, undefined)
      this.take(2)
      this.lexFrame('processSubstitution', forbiddenHere, openIndex)
      return
    }
    frame.redirection = undefined
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
    if (frame.conditional !== undefined || frame.enclosingConditional !== undefined) {
      if (rest.startsWith('<<')) {
        this.fail(
          this.index,
          '`<<` inside [[ … ]] is not supported: bash stops with a syntax error there, and other ' +
            'shells start a here-document'
        )
      }
      this.take() // < and > compare strings inside [[ … ]]
      return
    }
    if (/^<<(?!<)/.test(rest)) {
      if (frame.kind === 'group')
        this.fail(this.index, 'Here-documents inside (…) are not supported')
      if (this.inHereDocumentBody) {
        this.fail(this.index, 'Here-documents inside the body of a here-document are not supported')
      }
      this.lexHereDocumentOperator(frame)
      frame.commandPosition = false
      return
    }
    if (rest === '<<<' && this.dialect === 'sh') {
      this.fail(
        this.index,
        '`<<<` here-strings are bash syntax, which dash cannot read; pipe the value in instead ' +
          "(printf '%s\\n' … | command) or use shell: bash"
      )
    }
    // A redirection; the word after it is its target, and the command's name cannot follow it as a
    // reserved word. With >& and <& bash reads a target that is not a number a second time.
    const redirection = /^(?:<<<|<&|<>|<|>>|>&|>\||>|&>>|&>)/.exec(rest)?.[0] ?? (rest[0] as string)
    this.take(redirection.length)
    frame.commandPosition = false
    frame.afterCommandName = false
    frame.redirection = {
      forbidden:
        redirection === '>&' || redirection === '<&' ? inDuplication(redirection) : undefined
    }
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
        if (next === '\n') this.checkLineContinuation(this.index)
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
    this.lexEscapedUntil("'", openIndex, "Unterminated $'…' quote", 'ansiC', forbidden)
  }

  /** Backticks end at the first unescaped backtick, in bash and dash alike. */
  private lexBackticks(): void {
    const openIndex = this.index
    this.take()
    this.lexEscapedUntil(
      '`',
      openIndex,
      'Unterminated `…` command substitution',
      'bare',
      IN_BACKTICKS
    )
  }

  /**
   * Reads up to and including the first unescaped `close`, where a backslash escapes the next
   * character (so a placeholder may not follow it), placing placeholders in `context`.
   */
  private lexEscapedUntil(
    close: string,
    openIndex: number,
    unterminated: string,
    context: Exclude<QuotingContext, 'raw'>,
    forbidden: Forbidden | undefined
  ): void {
    for (;;) {
      const char = this.source[this.index]
      if (char === undefined) this.fail(openIndex, unterminated)
      if (char === close) {
        this.take()
        return
      }
      if (char === '\\') {
        this.failIfPlaceholderFollowsBackslash(this.index)
        if (this.source[this.index + 1] === '\n') {
          this.checkQuotedNewline()
          if (close === '`') this.checkLineContinuation(this.index)
        }
        this.take(2)
        continue
      }
      if (char === '\n') this.checkQuotedNewline()
      if (!this.takePlaceholder(context, forbidden)) this.take()
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
    // ${name=word} and ${name:=word} assign word to name.
    const assigned = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?=/.exec(
      withoutLineContinuations(this.source.slice(openIndex, openIndex + 256))
    )
    this.noteAssignment(assigned?.[1], false, `${assigned?.[0] ?? ''}…}`, openIndex)
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
        if (this.source[this.index + 1] === '\n') this.checkLineContinuation(this.index)
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
        if (!this.takePlaceholder('bare', forbidden, 'parameter', openIndex)) this.take()
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
        this.checkLineContinuation(this.index)
        this.take(2)
      } else {
        if (char === '\n') this.checkQuotedNewline()
        if (!this.takePlaceholder('bare', forbidden, 'arithmetic')) this.take()
      }
    }
  }
}

/**
 * The first declare, typeset, local or readonly followed by an option that gives the integer or
 * nameref attribute (or by an expansion, which could be one) anywhere in source, also inside
 * quotes: quotes and backslashes are removed first, so `eval 'de''clare -i x'` counts. Returns
 * its spelling and its index in source.
 */
function findAttributeDeclaration(source: string): { spelling: string; index: number } | undefined {
  let text = ''
  const indexes: number[] = []
  for (let index = 0; index < source.length; index++) {
    const char = source[index] as string
    if (char === "'" || char === '"') continue
    if (char === '\\') {
      if (source[index + 1] === '\n') index++
      continue
    }
    text += char
    indexes.push(index)
  }
  // Options, and words with an expansion ($opt, -$o, `…`), which could be options.
  const declarations =
    /(?<![A-Za-z0-9_])(?:declare|typeset|local|readonly)((?:[ \t]+[-+$`][^\s;&|]*)+)/g
  const attribute = /^(?:[-+][A-Za-z]*[in]|[-+]?[^$`]*[$`])/
  for (const match of text.matchAll(declarations)) {
    const options = (match[1] as string).trim().split(/[ \t]+/)
    if (options.some(option => attribute.test(option))) {
      const start = indexes[match.index] as number
      return { spelling: match[0].replace(/[ \t]+/g, ' '), index: start }
    }
  }
  return undefined
}

/** The names either reading of a template may make arrays. */
function bothArrayNames(first: ArrayNames, second: ArrayNames): ArrayNames {
  if (first === 'any' || second === 'any') return 'any'
  return new Set([...first, ...second])
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

/**
 * Whether lines joined by backslash-newlines (all but the last end with the backslash) could read
 * as the here-document's delimiter line in some shell: a line on its own, with or without its
 * backslash, or joined with the lines after it; for <<- with leading tabs removed from the first
 * line or from each.
 */
function couldBeDelimiter(lines: string[], hereDocument: PendingHereDocument): boolean {
  const strip = (line: string): string => (hereDocument.stripTabs ? line.replace(/^\t+/, '') : line)
  for (let first = 0; first < lines.length; first++) {
    let joined = ''
    let joinedStripped = ''
    for (let last = first; last < lines.length; last++) {
      const line = lines[last] as string
      const withoutBackslash = last < lines.length - 1 ? line.slice(0, -1) : line
      const candidates = [
        strip(joined + line),
        strip(joined + withoutBackslash),
        joinedStripped + strip(line),
        joinedStripped + strip(withoutBackslash)
      ]
      if (candidates.includes(hereDocument.delimiter)) return true
      joined += withoutBackslash
      joinedStripped += strip(withoutBackslash)
    }
  }
  return false
}
