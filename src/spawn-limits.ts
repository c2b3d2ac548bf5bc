import { unsendableCharacter } from './unsendable.js'

/**
 * Linux's MAX_ARG_STRLEN: the most bytes one argument or one `NAME=value` environment string may
 * have, its terminating NUL included. Past it, spawn fails with E2BIG only when the task starts.
 */
export const MAX_ARG_STRLEN = 128 * 1024

/**
 * Why a command cannot be started with these arguments and this extra environment, or undefined
 * when it can: a NUL byte (no argument or variable can carry one), a lone surrogate (see
 * unsendableCharacter) or a string over MAX_ARG_STRLEN.
 */
export function spawnProblem(
  args: readonly string[],
  env: Readonly<Record<string, string>>
): string | undefined {
  const strings: [string, string][] = [
    ...args.map((arg, index): [string, string] => [`argument ${index + 1} of its command`, arg]),
    ...Object.entries(env).map(([name, value]): [string, string] => [
      `environment variable ${name}`,
      `${name}=${value}`
    ])
  ]
  for (const [what, text] of strings) {
    const unsendable = unsendableCharacter(text)
    if (unsendable !== undefined) {
      const character = unsendable === 'a NUL character' ? 'a NUL byte' : unsendable
      return `${what} would contain ${character}, which no argument or environment variable can carry`
    }
    // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (text.length * 3 + 1 > MAX_ARG_STRLEN) {
      const bytes = Buffer.byteLength(text) + 1
      if (bytes > MAX_ARG_STRLEN) {
        return (
          `${what} would be ${bytes.toLocaleString('en-US')} bytes, over Linux's limit of ` +
          `${MAX_ARG_STRLEN.toLocaleString('en-US')} bytes (128 KiB) per string; ` +
          'pass large data through a file instead'
        )
      }
    }
  }
  return undefined
}
