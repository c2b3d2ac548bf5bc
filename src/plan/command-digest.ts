import { createHash, type Hash } from 'node:crypto'
import { relative, sep } from 'node:path'
import { type PreparedItem } from '../exec/command-task.js'
import { type Shell } from '../model/shell.js'

/**
 * SHA-256 (hex) of what an item runs: the shell, the program and its arguments as rendered
 * before the run (slot 1 for {%}), and for a named task its own env (by name) and working
 * directory relative to the step's. Each field is length-prefixed, so no two commands share a
 * digest by moving text from one field to the next. The step's environment, the tools installed
 * and time limits are not part of it.
 */
export function commandDigest(prepared: PreparedItem, shell: Shell, stepDirectory: string): string {
  const hash = createHash('sha256')
  field(hash, 'shell', shell)
  field(hash, 'file', prepared.command.file)
  field(hash, 'args', String(prepared.command.args.length))
  for (const arg of prepared.command.args) field(hash, 'arg', arg)
  const env = Object.entries(prepared.overrides?.env ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0
  )
  field(hash, 'env', String(env.length))
  for (const [name, value] of env) {
    field(hash, 'name', name)
    field(hash, 'value', value)
  }
  const cwd = prepared.overrides?.cwd
  field(hash, 'cwd', cwd === undefined ? '' : relative(stepDirectory, cwd).split(sep).join('/'))
  return hash.digest('hex')
}

/** Adds a named field as `name`, its UTF-8 length, `:`, its bytes. */
function field(hash: Hash, name: string, value: string): void {
  const bytes = Buffer.from(value, 'utf8')
  hash.update(`${name}${bytes.length}:`)
  hash.update(bytes)
}
