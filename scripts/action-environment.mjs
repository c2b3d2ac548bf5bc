// The environment the runner gives an action, for running dist/index.js here: the inputs as
// INPUT_* variables (none inherited), and GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP in a
// folder of their own. Used by `npm start` (run-local.mjs) and `npm run preview`.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh folder with empty output and summary files, and the environment that names them. */
export function actionEnvironment(inputs, prefix = 'parallel-exec-') {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  const outputFile = join(folder, 'output.txt')
  const summaryFile = join(folder, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env = {
    ...process.env,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: folder
  }
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_')) delete env[name]
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return { folder, env, outputFile, summaryFile }
}
