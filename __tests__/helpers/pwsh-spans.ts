import { PwshLexer } from '../../src/template/pwsh-lexer.js'

/** A lexer that keeps the spans of literal string content it reads. */
class SpanLexer extends PwshLexer {
  readonly spans: [number, number][] = []

  protected override literalContent(start: number, end: number): void {
    this.spans.push([start, end])
  }
}

/**
 * The spans of literal string content in a script without placeholders, as the lexer reads it:
 * the inside of '…', and of "…" between the expansions in it.
 */
export function pwshLiteralSpans(script: string): [number, number][] {
  const lexer = new SpanLexer(script, () => undefined, 0, script.length)
  lexer.lexScript()
  return lexer.spans
}
