import { describe, expect, it } from '@jest/globals'
import { readFileSync, statSync } from 'node:fs'
import { runAction } from '../helpers/action.js'

interface Result {
  index: number
  batch?: number
  command: string
}

/** 1,800 paths of 64 characters: without batches, their `results` fit in its 512 KiB. */
const PATHS = Array.from(
  { length: 1800 },
  (_, index) =>
    `packages/some-package/src/components/deeply/nested/file-${String(index).padStart(5, '0')}.ts`
)
/**
 * What a results file or job log may hold per item, whatever the batch size: a record of a
 * 64-character item is about 620 bytes in the (indented) results file. With each member holding
 * its batch's command, it was about 30 KB here.
 */
const BYTES_PER_ITEM = 1000

describe('results of big batches', () => {
  it('grow with the items, not with their square: the batch command is kept once', async () => {
    const batched = await runAction({
      items: PATHS.join('\n'),
      command: 'true {}',
      shell: 'none',
      'batch-size': 'auto',
      'max-workers': '4'
    })
    expect(batched.code).toBe(0)
    const file = batched.outputs['results-file'] as string
    const jobLog = batched.outputs['job-log'] as string
    expect(statSync(file).size).toBeLessThan(PATHS.length * BYTES_PER_ITEM)
    expect(statSync(jobLog).size).toBeLessThan(PATHS.length * BYTES_PER_ITEM)
    expect(readFileSync(jobLog, 'utf8').trim().split('\n')).toHaveLength(PATHS.length)
    // Every item in the `results` output, its batch's command on its first item only.
    expect(batched.outputs['results-truncated']).toBe('false')
    const results = JSON.parse(batched.outputs.results as string) as Result[]
    expect(results.map(result => result.index)).toEqual(PATHS.map((_, index) => index))
    const commands = results.filter(result => result.command !== '')
    expect(commands.map(result => result.batch)).toEqual([1, 2, 3, 4])
    expect(commands[0]?.command).toContain(PATHS[0])
    expect(commands[0]?.command).toContain(PATHS[449])
  }, 120_000)

  it('fit in the `results` output when the same items without batches do', async () => {
    const items = PATHS.slice(0, 400).join('\n')
    // 400 items alone take about 100 KB; a batch of 100 shown on each member, 2.8 MB.
    const options = { items, command: 'true {}', shell: 'none', 'max-workers': '4' }
    const alone = await runAction(options)
    const batched = await runAction({ ...options, 'batch-size': 'auto' })
    expect(alone.outputs['results-truncated']).toBe('false')
    expect(batched.outputs['results-truncated']).toBe('false')
    // A batch's command is shown once: as big as the items' commands alone, plus each `batch`.
    const size = (text: string | undefined): number => Buffer.byteLength(text as string)
    const batchField = Buffer.byteLength('"batch":1,')
    expect(size(batched.outputs.results)).toBeLessThanOrEqual(
      size(alone.outputs.results) + 400 * batchField
    )
  }, 120_000)
})
