// Ends every jest run with one plain line, `tests: N passed, N failed`, which CI systems and
// people can read without parsing jest's own report. With JEST_COUNT_FILE set, the line is also
// written to that file so a wrapper script can repeat it as its own last line.
import { writeFileSync } from 'node:fs'

export default class CountReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const line =
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed` +
      (skipped > 0 ? `, ${skipped} skipped` : '')
    process.stdout.write(`${line}\n`)
    if (process.env.JEST_COUNT_FILE) writeFileSync(process.env.JEST_COUNT_FILE, `${line}\n`)
  }
}
