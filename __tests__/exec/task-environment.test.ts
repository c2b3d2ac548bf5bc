import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { itemEnvironment } from '../../src/exec/item-environment.js'
import { runMarker } from '../../src/exec/process-tree.js'
import { spawnBudget, taskEnvironment } from '../../src/exec/task-environment.js'
import { TaskFiles } from '../../src/exec/task-files.js'
import { environmentBytes } from '../../src/system/spawn-limits.js'

const directory = mkdtempSync(join(tmpdir(), 'task-environment-'))
afterAll(() => rmSync(directory, { recursive: true, force: true }))

describe('the spawn budget', () => {
  it('counts every variable a task holding every slot gets, PARALLEL_SLOTS among them', () => {
    const slots = 12
    const count = 345
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/home/runner' }
    const budget = spawnBudget(directory, slots, count, env)
    const files = new TaskFiles(directory, slots)
    const place = { item: { os: 'linux' }, seq: count, slot: slots, slotsHeld: slots }
    const task = itemEnvironment(taskEnvironment(env), undefined, place, files).env
    expect(task.PARALLEL_SLOTS).toBe(String(slots))
    // The budget leaves PARALLEL_ITEM out (it is set only where it fits) and counts the marker.
    delete task.PARALLEL_ITEM
    task[runMarker().slice(0, -1)] = String(Number.MAX_SAFE_INTEGER)
    expect(budget.environmentBytes).toBe(environmentBytes(task))
  })
})
