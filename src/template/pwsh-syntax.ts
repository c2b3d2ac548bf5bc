/**
 * PowerShell 7 (pwsh) quoting for untrusted values: the quoting for each context a placeholder can
 * stand in (found by the lexer in pwsh-lexer.ts, whose comment lists the rules relied on), the
 * rendering of a lexed template, and the -EncodedCommand invocation.
 */
import { Buffer } from 'node:buffer'

/**
 * How a value is written where its placeholder stands:
 * - `bare`: a whole argument on its own; the value becomes one '…' string.
 * - `word`: part of a longer bare word such as pre{}post; the value becomes a "…" part of it.
 * - `single`: inside '…'.
 * - `double`: inside "…".
 * - `nestedDouble`: inside "…" within a $(…) that is itself inside a string or a word (see
 *   pwsh-lexer.ts).
 * - `raw`: as it is; only for numbers.
 */
export type PwshQuotingContext = 'bare' | 'word' | 'single' | 'double' | 'nestedDouble' | 'raw'

/** A piece of a lexed PowerShell template: literal text, or a placeholder and how to quote it. */
export type PwshPart =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; source: string; index: number; context: PwshQuotingContext }

/**
 * A token that filled-in values could turn into the stop-parsing token --%: its literal text and
 * its placeholders (as indexes into the parts), in order.
 */
export interface PwshWordGuard {
  pieces: (string | number)[]
}

/** A template lexed for pwsh. */
export interface PwshScript {
  parts: PwshPart[]
  guards: PwshWordGuard[]
}

/** The values of some placeholders cannot be used together (they would make the token --%). */
export class PwshValueError extends Error {
  override name = 'PwshValueError'
  constructor(
    readonly sources: string[],
    message: string
  ) {
    super(message)
  }
}

/** The value with each single quote, of any of the five kinds, written twice. */
function doubleSingleQuotes(value: string): string {
  // Each single quote, of whichever kind, written twice stands for itself (ScanStringLiteral).
  return value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')
}

/** Writes value so PowerShell reads back exactly its characters in the given context. */
export function quotePwsh(value: string, context: PwshQuotingContext): string {
  switch (context) {
    case 'raw':
      if (!/^[0-9]+$/.test(value)) throw new Error(`Refusing to write ${value} unquoted.`)
      return value
    case 'single':
      return doubleSingleQuotes(value)
    case 'bare':
      return `'${doubleSingleQuotes(value)}'`
    case 'double':
      // ` $ and the double quotes are the only special characters in "…"; a backtick before any
      // of them stands for the character itself (Backtick's default case).
      return value.replace(/[`$"\u201c\u201d\u201e]/g, '`$&')
    case 'word':
      // A "…" part rather than '…': in a word that also expands $…, braces in a '…' part would
      // be read as format items (ScanGenericToken); "…" parts have them doubled.
      return `"${quotePwsh(value, 'double')}"`
    case 'nestedDouble':
      // No ( ) or double quote may appear (ScanSubExpression counts parentheses and merges
      // doubled quotes), and no backtick may end up before a double quote of the template: write
      // those as `u{…} escapes, and an empty value as an empty subexpression so that the
      // template's quotes around it do not become a doubled quote.
      if (value === '') return '$()'
      return value.replace(/[`$()"\u201c\u201d\u201e]/g, char =>
        char === '$' ? '`$' : `\`u{${(char.codePointAt(0) as number).toString(16).toUpperCase()}}`
      )
  }
}

/** The stop-parsing token: the rest of the line is one verbatim argument. */
export const STOP_PARSING = '--%'

/**
 * Renders a lexed template with the values of its placeholders. Throws PwshValueError when the
 * values would turn a token into the stop-parsing token --%.
 */
export function renderPwshScript(script: PwshScript, valueOf: (source: string) => string): string {
  return renderPwshBatch(script, source => [valueOf(source)])
}

/**
 * Renders a template whose placeholders may have several values (the items of a batch; checked
 * by batch-checks.ts to be whole bare arguments then), each written as an argument of its own.
 * Throws PwshValueError when values would turn a token into the stop-parsing token --%.
 */
export function renderPwshBatch(
  script: PwshScript,
  valuesOf: (source: string) => string[]
): string {
  const values = script.parts.map(part =>
    part.kind === 'placeholder' ? valuesOf(part.source) : undefined
  )
  const overrides = new Map<number, string>()
  for (const guard of script.guards) {
    const several = guard.pieces.some(
      piece => typeof piece === 'number' && (values[piece]?.length ?? 0) > 1
    )
    // A placeholder with several values is a whole bare argument: each value is checked below.
    if (several) continue
    const word = guard.pieces
      .map(piece => (typeof piece === 'string' ? piece : (values[piece]?.[0] ?? '')))
      .join('')
    if (word.toLowerCase() !== STOP_PARSING) continue
    const [only] = guard.pieces
    const part = typeof only === 'number' ? script.parts[only] : undefined
    if (guard.pieces.length === 1 && part?.kind === 'placeholder' && part.context === 'bare') {
      // A parenthesized expression is not a string token, so its value is never taken for --%.
      overrides.set(only as number, `(${quotePwsh(word, 'bare')})`)
      continue
    }
    const sources = guard.pieces.flatMap(piece => {
      const found = typeof piece === 'number' ? script.parts[piece] : undefined
      return found?.kind === 'placeholder' ? [found.source] : []
    })
    throw new PwshValueError(
      [...new Set(sources)],
      'the word it stands in would read --%, which PowerShell takes as its stop-parsing token, ' +
        'passing the rest of the line on unquoted.'
    )
  }
  return script.parts
    .map((part, index) => {
      if (part.kind === 'text') return part.text
      const list = values[index] ?? []
      if (list.length === 1) return overrides.get(index) ?? quotePwsh(list[0] ?? '', part.context)
      return list
        .map(value =>
          value.toLowerCase() === STOP_PARSING
            ? `(${quotePwsh(value, 'bare')})`
            : quotePwsh(value, part.context)
        )
        .join(' ')
    })
    .join('')
}

// Invocation

/** Run before the script, as GitHub's `shell: pwsh` does (actions/runner ScriptHandlerHelpers.cs). */
export const PWSH_PRELUDE = "$ErrorActionPreference = 'stop'"
/** Run after the script, as GitHub's `shell: pwsh` does. */
export const PWSH_EPILOGUE =
  'if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }'

/** The whole script pwsh runs: GitHub's prelude, the script, GitHub's epilogue, one per line. */
function pwshScriptWithPrelude(script: string): string {
  return `${PWSH_PRELUDE}\n${script}\n${PWSH_EPILOGUE}`
}

/**
 * The arguments for pwsh that run a script. -EncodedCommand takes base64 of UTF-16LE
 * (StringToBase64Converter.Base64ToString: Encoding.Unicode), so no command-line quoting is
 * involved on any platform. -OutputFormat Text is needed because pwsh otherwise switches to CLIXML
 * when its output is redirected and the command was encoded (PowerShell/PowerShell#5912, fixed in
 * #8115 to honour an explicit -OutputFormat).
 */
export function pwshArguments(script: string): string[] {
  const encoded = Buffer.from(pwshScriptWithPrelude(script), 'utf16le').toString('base64')
  return [
    '-NoLogo',
    '-NoProfile',
    '-NonInteractive',
    '-OutputFormat',
    'Text',
    '-EncodedCommand',
    encoded
  ]
}
