#!/usr/bin/env node
// The bare Node baseline: what any Node runner has to pay at least — p-limit bounding
// child_process.spawn, no shell, each task's stdout and stderr piped through to ours.
//
//   node bench/peers/node-spawn.mjs WORKERS COMMAND [ARG...] < items
//
// Runs COMMAND ARG... ITEM once per line of stdin, as `xargs -P WORKERS -n 1` does.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import pLimit from 'p-limit'

const [workers, command, ...args] = process.argv.slice(2)
const items = readFileSync(0, 'utf8').split('\n').filter(Boolean)
const limit = pLimit(Number(workers))
// Each running pipe adds listeners to our stdout; more than 10 workers is not a leak.
process.stdout.setMaxListeners(0)
process.stderr.setMaxListeners(0)

function run(item) {
  return new Promise(resolve => {
    const child = spawn(command, [...args, item], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.pipe(process.stdout, { end: false })
    child.stderr.pipe(process.stderr, { end: false })
    child.on('error', () => resolve(127))
    child.on('close', code => resolve(code ?? 1))
  })
}

const codes = await Promise.all(items.map(item => limit(() => run(item))))
process.exitCode = codes.every(code => code === 0) ? 0 : 1
