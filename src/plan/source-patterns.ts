import { isAbsolute, relative, sep } from 'node:path'
import { Inputs } from '../action/action-yml.js'
import { type ExecutionSettings } from '../inputs/settings.js'
import { type Item } from '../model/item.js'
import { cut, itemLabel } from '../model/labels.js'
import { literalPrefix, rootedPattern } from '../system/glob.js'
import { PatternTemplate } from '../template/pattern-template.js'
import { PlaceholderError, TemplateError } from '../template/template.js'

/**
 * Renders the `sources` lines for each item before anything runs, rooted at the working
 * directory: absolute, values escaped, `!` only where the line as written has it. A line that
 * names a path outside the workspace, a placeholder that names nothing or a value no path can
 * hold is an error naming `sources` (or, for a value, the input that gave the items).
 */
export function itemSourcesRenderer(
  lines: readonly string[],
  execution: Pick<ExecutionSettings, 'workingDirectory'>,
  itemsInput: string
): (item: Item, index: number) => string[] {
  const patterns = parsePatterns(lines)
  const cwd = execution.workingDirectory
  const workspace = sourcesWorkspace(cwd)
  return (item, index) =>
    patterns.map(({ line, exclude, template }) => {
      let rendered: string
      try {
        rendered = template.render(item, index + 1)
      } catch (error) {
        if (!(error instanceof PlaceholderError)) throw error
        const input = error.namesNothing ? `${Inputs.Sources} '${cut(line, 80)}'` : itemsInput
        throw new Error(`Invalid ${input}: ${error.message}`, { cause: error })
      }
      const rooted = rootedPattern(rendered, cwd)
      if (!exclude && !isInside(literalPrefix(rooted), workspace)) {
        throw new Error(
          `Invalid ${Inputs.Sources} '${cut(line, 80)}': item ${index + 1} ` +
            `(${itemLabel(item, 40)}) gives '${cut(rendered, 80)}', ${outside(workspace)}`
        )
      }
      return exclude ? `!${rooted}` : rooted
    })
}

/**
 * A task's `sources:` lines, rooted at its working directory: globs as written, no placeholders.
 * `where` names the task; a line outside the workspace is an error.
 */
export function taskSources(
  lines: readonly string[],
  cwd: string,
  stepDirectory: string,
  where: string
): string[] {
  const workspace = sourcesWorkspace(stepDirectory)
  return lines.map(line => {
    const exclude = line.startsWith('!')
    const rooted = rootedPattern(exclude ? line.slice(1) : line, cwd)
    if (!exclude && !isInside(literalPrefix(rooted), workspace)) {
      throw new Error(`${where} has sources '${cut(line, 80)}', ${outside(workspace)}`)
    }
    return exclude ? `!${rooted}` : rooted
  })
}

/** The end of the error for a line outside the workspace. */
function outside(workspace: string): string {
  return (
    `outside the workspace '${workspace}'. Expected a glob relative to ` +
    `${Inputs.WorkingDirectory}, inside the workspace.`
  )
}

/** Parses the lines (`!` read from the line as written), naming `sources` for `{%}`. */
function parsePatterns(lines: readonly string[]) {
  return lines.map(line => {
    const exclude = line.startsWith('!')
    try {
      return { line, exclude, template: PatternTemplate.parse(exclude ? line.slice(1) : line) }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      throw new Error(`Invalid ${Inputs.Sources} '${cut(line, 80)}': ${error.message}`, {
        cause: error
      })
    }
  })
}

/**
 * The folder a step's source globs must stay in: GITHUB_WORKSPACE when the working directory
 * is in it, else the working directory itself (a run outside the checkout checks nothing more).
 */
export function sourcesWorkspace(workingDirectory: string, env = process.env): string {
  const workspace = env.GITHUB_WORKSPACE
  if (workspace && isAbsolute(workspace) && isInside(workingDirectory, workspace)) return workspace
  return workingDirectory
}

/** Whether `path` is `folder` or below it. */
export function isInside(path: string, folder: string): boolean {
  const away = relative(folder, path)
  return away === '' || (!isAbsolute(away) && away !== '..' && !away.startsWith(`..${sep}`))
}
