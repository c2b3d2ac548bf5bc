/**
 * Where a placeholder can stand for the items of a batch (`batch-size` not 1): an item placeholder
 * becomes one word per item, so it must be a word of its own where the shell reads a list of
 * words (an ordinary command argument, or a word of `for … in`). Anywhere else several items
 * would merge into one word, or one item's value would take a role that is not an argument's:
 * those templates are refused here, before anything runs. {#} and {%} are one number each and
 * may stand anywhere.
 */
import { isWhitespace } from './pwsh-chars.js'
import { type PwshPart } from './pwsh-syntax.js'
import {
  type ScriptPart,
  type WordPart,
  type WordRole,
  describePosition,
  ShellSyntaxError
} from './shell-words.js'

/** Whether a placeholder's value is a single number ({#}, {%}) rather than an item's text. */
export type IsNumeric = (source: string) => boolean

const QUOTES: Record<string, string> = {
  single: "single quotes '…'",
  double: 'double quotes "…"',
  ansiC: "$'…' quotes",
  nestedDouble: 'double quotes "…"'
}

const ONE_WORD = 'where the items of a batch would become one word'

/** Why a placeholder in this role cannot stand for several words. */
function roleProblem(role: WordRole | undefined, word: string): string | undefined {
  switch (role) {
    case 'argument':
    case 'loopList':
      return undefined
    case 'runArgument':
      return (
        `is in '${word}', an argument of a builtin that runs a command or file named by its ` +
        'arguments (or takes an option value there): the first item of a batch could become ' +
        'the command, the file or the value and the others its arguments'
      )
    case 'partOfWord':
      return `is part of the word '${word}', which cannot become one word per item of a batch`
    case 'assignment':
      return `is in the value of the assignment '${word}', which is one word`
    case 'redirection':
      return `is the target of a redirection in '${word}', which names one file`
    case 'commandName':
      return (
        `names the command to run in '${word}': the first item of a batch would become the ` +
        'command and the others its arguments'
      )
    case 'caseWord':
      return `is a word of a case statement in '${word}', which is one word`
    case 'conditional':
      return `is an operand of [[ … ]] in '${word}', which is one word`
    case 'testOperand':
      return (
        `is an operand of [ … ] or test in '${word}', where several items would change the ` +
        'expression (an item such as -o or ! would become an operator)'
      )
    case 'parenthesized':
      return `is inside the parentheses of the word '${word}' (an array assignment or a pattern)`
    case 'other':
    case undefined:
      return `stands in '${word}', where the shell reads one word (a loop's variable, a function's name)`
  }
}

/** What works instead, by shell. */
const EXPECTED = {
  script: 'as a word of its own, an argument of a command or a word of for … in,',
  words: 'as a word of its own after the program,',
  pwsh: "as an argument of its own after the command's name,"
}

function refuse(
  source: string,
  position: string,
  problem: string,
  expected: keyof typeof EXPECTED
): never {
  throw new ShellSyntaxError(
    `Placeholder ${source} (${position}) ${problem}. Expected ${source} ${EXPECTED[expected]} ` +
      'when batch-size is not 1.'
  )
}

/** Checks a lexed bash or sh template for batches; throws ShellSyntaxError. */
export function checkBatchScript(
  template: string,
  parts: ScriptPart[],
  isNumeric: IsNumeric
): void {
  for (const part of parts) {
    if (part.kind !== 'placeholder' || isNumeric(part.source)) continue
    const word = part.word ?? part.source
    const position = describePosition(template, part.index)
    const quotes = QUOTES[part.context]
    if (quotes !== undefined)
      refuse(part.source, position, `is inside ${quotes} in '${word}', ${ONE_WORD}`, 'script')
    const problem = roleProblem(part.role, word)
    if (problem !== undefined) refuse(part.source, position, problem, 'script')
  }
}

/** Checks the words of a `shell: none` template for batches; throws ShellSyntaxError. */
export function checkBatchWords(words: WordPart[][], isNumeric: IsNumeric): void {
  for (const [index, parts] of words.entries()) {
    const word = parts.map(part => (part.kind === 'text' ? part.text : part.source)).join('')
    for (const part of parts) {
      if (part.kind !== 'placeholder' || isNumeric(part.source)) continue
      const position = `word ${index + 1}`
      if (parts.length > 1)
        refuse(part.source, position, roleProblem('partOfWord', word) as string, 'words')
      if (index === 0)
        refuse(part.source, position, roleProblem('commandName', word) as string, 'words')
    }
  }
}

/**
 * The character before index that pwsh's tokenizer does not skip: its own whitespace
 * (CharExtensions.IsWhitespace: U+0085, U+00A0, … as well as space and tab) and a backtick's line
 * continuation are skipped; '' at the start of the template.
 */
function previousCharacter(template: string, index: number): string {
  return template[previousIndex(template, index)] ?? ''
}

/** Where previousCharacter's character stands; -1 at the start. */
function previousIndex(template: string, index: number): number {
  let at = index - 1
  for (;;) {
    const char = template[at]
    if (isWhitespace(char)) {
      at--
    } else if (char === '\n' && template[at - 1] === '`') {
      at -= 2
    } else if (char === '\n' && template[at - 1] === '\r' && template[at - 2] === '`') {
      at -= 3
    } else {
      return at
    }
  }
}

const STATEMENT_START = '\n\r;|({=,'

/**
 * Why the statement a placeholder follows the first word of is no command with arguments, or
 * undefined: a keyword or operator that reads one expression (`return {}`, `-not {}`, `! {}`), a
 * type (`[void] {}`), a value (`$x {}`, `1 {}`), or `foreach ($f in {})`; pwsh would fail to parse
 * any batch of more than one item there.
 */
function expressionStatement(template: string, index: number): string | undefined {
  const end = previousIndex(template, index)
  let start = end
  while (
    start >= 0 &&
    !isWhitespace(template[start]) &&
    !'\n\r;|(){},='.includes(template[start] ?? '')
  ) {
    start--
  }
  const word = template.slice(start + 1, end + 1)
  if (word === '') return undefined
  if (/^in$/i.test(word) && /\(\s*\$\S+\s+in$/i.test(template.slice(0, end + 1)))
    return 'foreach (… in …)'
  const atStart = STATEMENT_START.includes(template[previousIndex(template, start + 1)] ?? '\n')
  if (!atStart) return undefined
  if (/^(?:return|throw|exit|break|continue)$/i.test(word)) return word
  if (/^[-\u2013\u2014\u2015!$@'"\u2018-\u201e[0-9]/.test(word)) return word
  return undefined
}

/**
 * Checks a lexed pwsh template for batches: an item placeholder must be a whole bare argument
 * (`bare`) after a word of the same command, never in a string, inside a longer word, where a
 * statement or an expression starts, or after the call operators & and .; throws
 * ShellSyntaxError. (A quoted value never runs as code in any of those places; there several
 * values would only make a parse error or give the first item another role than an argument's.)
 */
export function checkBatchPwsh(template: string, parts: PwshPart[], isNumeric: IsNumeric): void {
  for (const part of parts) {
    if (part.kind !== 'placeholder' || isNumeric(part.source)) continue
    const position = describePosition(template, part.index)
    const start = /[^\s;|(){},]*$/.exec(template.slice(0, part.index))?.index ?? part.index
    const after = part.index + part.source.length
    const end = after + (/^[^\s;|(){},]*/.exec(template.slice(after))?.[0].length ?? 0)
    const word = template.slice(start, end)
    const quotes = QUOTES[part.context]
    if (quotes !== undefined)
      refuse(part.source, position, `is inside ${quotes}, ${ONE_WORD}`, 'pwsh')
    if (part.context !== 'bare') {
      refuse(part.source, position, roleProblem('partOfWord', word) as string, 'pwsh')
    }
    const before = previousCharacter(template, part.index)
    const line = template.slice(0, part.index).split('\n').at(-1)?.trim() ?? ''
    if (before === '&' || before === '.') {
      refuse(
        part.source,
        position,
        roleProblem('commandName', `${line} ${part.source}`) as string,
        'pwsh'
      )
    }
    if (before === '>' || before === '<') {
      refuse(
        part.source,
        position,
        roleProblem('redirection', `${line} ${part.source}`) as string,
        'pwsh'
      )
    }
    if (before === ':') {
      refuse(
        part.source,
        position,
        `is the value of a parameter in '${line}${part.source}' (-Name:value), which takes one ` +
          'value: the first item of a batch would bind to it and the others would be positional',
        'pwsh'
      )
    }
    const expression = expressionStatement(template, part.index)
    if (expression !== undefined) {
      refuse(
        part.source,
        position,
        `follows '${expression}', where PowerShell reads one expression rather than a command's ` +
          'arguments, so a batch of several items would not parse',
        'pwsh'
      )
    }
    if (before === '' || STATEMENT_START.includes(before)) {
      refuse(
        part.source,
        position,
        `stands where PowerShell starts a statement or reads an expression in '${line}${line === '' ? '' : ' '}${part.source}', where the items of a batch would not be arguments`,
        'pwsh'
      )
    }
  }
}
