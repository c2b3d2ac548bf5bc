#!/usr/bin/env node
// @actions/exec bounded by p-limit: how an action would usually run many commands. Used as
// documented, so it resolves the tool on PATH and echoes `[command]…` before each run.
//
//   node bench/peers/actions-exec.mjs WORKERS COMMAND [ARG...] < items
//
// Runs COMMAND ARG... ITEM once per line of stdin, as `xargs -P WORKERS -n 1` does.
import { readFileSync } from 'node:fs'
import { exec } from '@actions/exec'
import pLimit from 'p-limit'

const [workers, command, ...args] = process.argv.slice(2)
const items = readFileSync(0, 'utf8').split('\n').filter(Boolean)
const limit = pLimit(Number(workers))

const codes = await Promise.all(
  items.map(item => limit(() => exec(command, [...args, item], { ignoreReturnCode: true })))
)
process.exitCode = codes.every(code => code === 0) ? 0 : 1
