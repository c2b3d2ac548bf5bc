import { Inputs } from '../action/action-yml.js'
import { itemLabel } from '../model/labels.js'

/** The summary's title when the step has no id of its own. */
export const DEFAULT_SUMMARY_TITLE = 'parallel-exec'

/** Longest `summary-title` accepted: a title, not a paragraph. */
export const MAX_SUMMARY_TITLE_CHARS = 100

/** Line breaks in any of their spellings: a title is one line. */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/
const LINE_BREAKS = new RegExp(LINE_BREAK.source, 'g')

/**
 * The summary's title: `summary-title` when given, else the step's id. The runner gives the step
 * id as GITHUB_ACTION; a step without an id gets a generated name that starts with `__` (`__run`,
 * `__owner_repo`), which user ids cannot, and that name says nothing to a reader.
 */
export function parseSummaryTitle(value: string, stepId: string | undefined): string {
  if (value === '') return titleFromStepId(stepId)
  // Shown on one line in the error, whatever line breaks it holds.
  const shown = itemLabel(value.replace(LINE_BREAKS, '\n'), 60)
  const title = value.trim()
  if (title === '') {
    throw new Error(
      `Invalid ${Inputs.SummaryTitle} '${shown}'. Expected a title with some text, or none for the step's id.`
    )
  }
  if (LINE_BREAK.test(title)) {
    throw new Error(
      `Invalid ${Inputs.SummaryTitle} '${shown}'. Expected one line: the title of the job summary.`
    )
  }
  if ([...title].length > MAX_SUMMARY_TITLE_CHARS) {
    throw new Error(
      `Invalid ${Inputs.SummaryTitle} '${shown}'. Expected at most ${MAX_SUMMARY_TITLE_CHARS} characters.`
    )
  }
  return title
}

/** The step's id when the runner gives one the workflow's author wrote, else the default title. */
function titleFromStepId(stepId: string | undefined): string {
  const written = stepId !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(stepId)
  return written && !stepId.startsWith('__') ? stepId : DEFAULT_SUMMARY_TITLE
}
