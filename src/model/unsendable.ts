// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * What in a string no command can be given exactly, or undefined: a NUL character (no argument
 * or environment variable can carry one), or a lone surrogate, which JSON's `"\ud800"` escape
 * makes but which has no UTF-8 form, so that it would reach the command as U+FFFD.
 */
export function unsendableCharacter(text: string): string | undefined {
  if (text.includes('\0')) return 'a NUL character'
  const lone = LONE_SURROGATE.exec(text)?.[0]
  if (lone === undefined) return undefined
  const code = lone.charCodeAt(0).toString(16).toUpperCase()
  return `a lone surrogate (\\u${code}, half of a UTF-16 pair, with no UTF-8 form)`
}
