#!/usr/bin/env node
// Runs the bundled action (dist/index.js) on this machine exactly as a GitHub runner does:
// inputs as INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY as files. Then prints
// the outputs and the job summary the step produced. The log is shown as GitHub shows it (group
// titles, annotations and debug lines readable, masked values as ***); --raw prints the workflow
// commands as the runner receives them.
//
//   npm start                                  the bundled example (examples/)
//   npm start -- --items 'a b' --command 'echo {}' --max-workers 2
//                                              your own inputs: --<input-name> <value>
//   npm start -- --raw …                       the log exactly as the action wrote it
import { spawn } from 'node:child_process'
import { actionEnvironment } from './action-environment.mjs'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createRunnerView } from './runner-view.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const actionYml = readFileSync(join(root, 'action.yml'), 'utf8')
const inputNames = [...actionYml.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)]
  .map(match => match[1])
  .filter(name => actionYml.indexOf(`  ${name}:`) < actionYml.indexOf('\noutputs:'))

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    `Usage: npm start [-- [--raw] --<input> <value> ...]\nInputs: ${inputNames.join(', ')}`
  )
  process.exit(0)
}
const raw = args[0] === '--raw'
if (raw) args.shift()
const inputs = {}
for (let i = 0; i < args.length; i += 2) {
  const name = args[i]?.replace(/^--/, '')
  if (!name || !inputNames.includes(name) || args[i + 1] === undefined) {
    console.error(
      `Unknown or incomplete option '${args[i]}'. Inputs: ${inputNames.map(n => '--' + n).join(', ')}`
    )
    process.exit(2)
  }
  inputs[name] = args[i + 1]
}
const example = Object.keys(inputs).length === 0
if (example) {
  // The bundled example: lint-like checks over a few packages, one of which fails.
  Object.assign(inputs, {
    'items-file': join(root, 'examples', 'packages.txt'),
    command: 'bash examples/check-package.sh {}',
    'max-workers': '3',
    'working-directory': root
  })
}

const { env, outputFile, summaryFile } = actionEnvironment(inputs, 'parallel-exec-local-')

console.log(`── log ${'─'.repeat(60)}`)
const status = await runAction(env)
console.log(`── outputs ${'─'.repeat(56)}`)
console.log(readOutputs(readFileSync(outputFile, 'utf8')))
console.log(`── job summary (${summaryFile}) ${'─'.repeat(20)}`)
console.log(readFileSync(summaryFile, 'utf8'))
const outcome = status === 0 ? 'succeeded' : `failed (exit code ${status})`
const note = example ? ': the example has one failing package on purpose' : ''
console.log(`── the step ${outcome}${note}`)
// The example fails by design; with your own inputs, the exit code is the step's.
process.exitCode = example ? 0 : (status ?? 1)

/** Runs dist/index.js, printing its log as it comes; resolves to its exit code. */
async function runAction(env) {
  const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
    env,
    stdio: ['inherit', raw ? 'inherit' : 'pipe', 'inherit']
  })
  const exited = new Promise(resolve => child.on('close', code => resolve(code)))
  if (!raw) {
    const view = createRunnerView()
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      for (const shown of view.line(line)) console.log(shown)
    }
  }
  return exited
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks into `name = value` lines. */
function readOutputs(text) {
  const lines = []
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const [, name, , value] of text.matchAll(pattern)) {
    lines.push(`${name} = ${value.length > 300 ? value.slice(0, 300) + '…' : value}`)
  }
  return lines.join('\n')
}
