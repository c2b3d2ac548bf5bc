/**
 * Which variables a bash template may make arrays, found in its whole text (code strings for eval
 * or trap included): declare, typeset and local read a value that starts with `(` as an array
 * assignment, and expand it again, only when the variable already is an array.
 */

/**
 * Arrays bash sets up or fills itself (bash 5.2 manual, Shell Variables), and the default names of
 * mapfile and coproc.
 */
const BUILTIN_ARRAYS = new Set([
  'BASH_ALIASES',
  'BASH_ARGC',
  'BASH_ARGV',
  'BASH_CMDS',
  'BASH_LINENO',
  'BASH_REMATCH',
  'BASH_SOURCE',
  'BASH_VERSINFO',
  'COMP_WORDS',
  'COMPREPLY',
  'COPROC',
  'DIRSTACK',
  'FUNCNAME',
  'GROUPS',
  'MAPFILE',
  'PIPESTATUS'
])

/** The names a template may make arrays, or 'any' when it makes one whose name is not fixed. */
export type ArrayNames = Set<string> | 'any'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const NAME_CHAR = /[A-Za-z0-9_]/

// Commands that make arrays of the names they are given: declare, typeset and local with -a or
// -A, read with -a, and mapfile or readarray always; up to the end of the command.
const ARRAY_COMMAND =
  /(?<![A-Za-z0-9_-])(declare|typeset|local|read|mapfile|readarray|coproc)(?![A-Za-z0-9_-])([^;&|\n<>(){}]*)/g

/** Whether `name` may be an array where the template declares it: see ArrayNames. */
export function mayBeArray(name: string, arrays: ArrayNames): boolean {
  return arrays === 'any' || arrays.has(name) || BUILTIN_ARRAYS.has(name)
}

/** The names `source` may make arrays: name=(…), name+=(…), name[…], and the commands above. */
export function findArrayNames(source: string): ArrayNames {
  const names = new Set<string>()
  // name=( and name+=( : the word before, up to a blank or an operator.
  for (const match of source.matchAll(/\+?=\(/g)) {
    const before = /[^\s;&|()<>]*$/.exec(source.slice(0, match.index))?.[0] ?? ''
    const name = before.replace(/\[.*$/, '')
    if (!NAME.test(name)) return 'any'
    names.add(name)
  }
  // name[ : a subscript, in an assignment, a declaration, read, printf -v or an expansion.
  for (const match of source.matchAll(/\[/g)) {
    const index = match.index
    const previous = source[index - 1] ?? ''
    if ('}"\'`'.includes(previous) && previous !== '') return 'any'
    if (!NAME_CHAR.test(previous)) continue
    const name = /[A-Za-z_][A-Za-z0-9_]*$/.exec(source.slice(0, index))?.[0]
    if (name === undefined) continue
    // $n[0] names no variable the template spells.
    if (source[index - name.length - 1] === '$') return 'any'
    names.add(name)
  }
  for (const match of source.matchAll(ARRAY_COMMAND)) {
    const [, command, rest] = match
    const words = (rest ?? '')
      .trim()
      .split(/[ \t]+/)
      .filter(Boolean)
    const options = words.filter(word => word.startsWith('-') || word.startsWith('+'))
    const makesArrays =
      command === 'mapfile' ||
      command === 'readarray' ||
      command === 'coproc' ||
      options.some(option =>
        (command === 'read' ? /^-[A-Za-z]*a/ : /^[-+][A-Za-z]*[aA]/).test(option)
      )
    if (!makesArrays) continue
    for (const word of words) {
      if (word.startsWith('-') || word.startsWith('+')) continue
      const name = word.replace(/(?:\[.*)?(?:\+?=.*)?$/, '')
      if (NAME.test(name)) names.add(name)
      else if (/[$`"'\\]/.test(word)) return 'any'
    }
  }
  return names
}
