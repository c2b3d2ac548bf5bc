import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type RunReport } from '../model/run-report.js'
import { createAfresh } from '../system/plain-files.js'
import { FieldError } from './field-formats.js'
import { checkConsistency } from './report-checks.js'
import { RESULTS_FILE_FORMAT } from './report-format.js'

/** Name of the results file a run writes. */
const RESULTS_FILE = 'results.json'

/** The JSON text of a report's results file. */
export function resultsFileText(report: RunReport): string {
  return JSON.stringify(RESULTS_FILE_FORMAT.write(report), null, 2) + '\n'
}

/**
 * Writes the results file: every record with its start and end times, worker slot, error and
 * output tail, and how the run went. Returns its path.
 */
export async function writeResultsFile(directory: string, report: RunReport): Promise<string> {
  await mkdir(directory, { recursive: true })
  const path = join(directory, RESULTS_FILE)
  // The directory holds the tasks' own files: a link a task put at the path is replaced.
  createAfresh(path, resultsFileText(report))
  return path
}

/**
 * Reads a results file, refusing one that is not exactly what writeResultsFile writes; errors
 * call it `name`.
 */
export async function readResultsFile(path: string, name = path): Promise<RunReport> {
  let content: string
  try {
    content = await readFile(path, 'utf8')
  } catch (error) {
    throw invalid(name, `it cannot be read (${String(error)}). Expected a results-file`)
  }
  return parseResultsFile(content, name)
}

/** A report from a results file's text; `path` names it in errors. */
export function parseResultsFile(content: string, path: string): RunReport {
  let json: unknown
  try {
    json = JSON.parse(content)
  } catch {
    throw invalid(path, 'it is not JSON. Expected a results-file written by parallel-exec')
  }
  try {
    const report = RESULTS_FILE_FORMAT.read(json)
    checkConsistency(report)
    return report
  } catch (error) {
    if (!(error instanceof FieldError)) throw error
    throw invalid(path, error.at === '' ? `it ${error.problem}` : error.message)
  }
}

/** The error that refuses the results file at `path`. */
function invalid(path: string, problem: string): Error {
  return new Error(`Invalid results file '${path}': ${problem}.`)
}
