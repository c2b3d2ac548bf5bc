import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { batchEnvironment, itemEnvironment } from '../../src/exec/item-environment.js'
import { TaskFiles } from '../../src/exec/task-files.js'
import type { Item } from '../../src/model/item.js'
import { MAX_ARG_STRLEN } from '../../src/system/spawn-limits.js'

let directory = ''
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'item-environment-'))
})
afterAll(() => {
  rmSync(directory, { recursive: true, force: true })
})

const SHOW =
  'printf "%s|" "${PARALLEL_ITEM-unset}" "$PARALLEL_SEQ" "$PARALLEL_JOBSLOT" "$PARALLEL_SLOTS" ' +
  '"${PARALLEL_BATCH_SIZE-unset}" "${PARALLEL_ITEM_FILE:+file}"; ' +
  'cat "${PARALLEL_ITEM_FILE:-/dev/null}"'

/** What a real process sees of its environment, after the slot's files are written. */
async function seen(
  environment: { env: NodeJS.ProcessEnv; fileText: string | undefined },
  files: TaskFiles
): Promise<string> {
  await files.reset(environment.fileText)
  const result = spawnSync('sh', ['-c', SHOW], { env: environment.env, encoding: 'utf8' })
  expect(result.stderr).toBe('')
  return result.stdout
}

const base = {
  PATH: process.env.PATH,
  PARALLEL_BATCH_SIZE: 'inherited',
  PARALLEL_ITEM: 'inherited',
  PARALLEL_SLOTS: 'inherited'
}

describe('the environment of a batch', () => {
  it('holds the JSON array of the items texts, the batch number, slot and size', async () => {
    const files = new TaskFiles(directory, 3)
    const items: Item[] = ['a.ts', 'it\'s "b".ts', 'new\nline', 42, { os: 'linux' }, '']
    const texts = JSON.stringify(['a.ts', 'it\'s "b".ts', 'new\nline', '42', '{"os":"linux"}', ''])
    const environment = batchEnvironment(
      base,
      undefined,
      { items, batch: 4, slot: 3, slotsHeld: 2 },
      files
    )
    expect(JSON.parse(environment.fileText ?? '')).toEqual(JSON.parse(texts))
    expect(await seen(environment, files)).toBe(`${texts}|4|3|2|6|file|${texts}`)
  })

  it('leaves PARALLEL_ITEM out where it does not fit, the file still holds the array', async () => {
    const files = new TaskFiles(directory, 1)
    const items = ['x'.repeat(MAX_ARG_STRLEN / 2), 'y'.repeat(MAX_ARG_STRLEN / 2)]
    const text = JSON.stringify(items)
    expect(
      await seen(
        batchEnvironment(base, undefined, { items, batch: 1, slot: 1, slotsHeld: 1 }, files),
        files
      )
    ).toBe(`unset|1|1|1|2|file|${text}`)
    // Room for the small array only when the run's other arguments leave it.
    const small = ['a', 'b']
    const room = 'PARALLEL_ITEM=["a","b"]'.length + 9
    const fits = batchEnvironment(
      base,
      undefined,
      { items: small, batch: 2, slot: 1, slotsHeld: 1, spawnRoom: room },
      files
    )
    expect(fits.env.PARALLEL_ITEM).toBe('["a","b"]')
    const tight = batchEnvironment(
      base,
      undefined,
      { items: small, batch: 2, slot: 1, slotsHeld: 1, spawnRoom: room - 1 },
      files
    )
    expect(tight.env.PARALLEL_ITEM).toBeUndefined()
  })

  it('carries a NUL byte of an item, escaped, in the variable', async () => {
    const files = new TaskFiles(directory, 2)
    const environment = batchEnvironment(
      base,
      undefined,
      { items: ['a\0b', 'c'], batch: 1, slot: 2, slotsHeld: 1 },
      files
    )
    expect(await seen(environment, files)).toBe('["a\\u0000b","c"]|1|2|1|2|file|["a\\u0000b","c"]')
  })

  it('leaves a single item as it was', async () => {
    const files = new TaskFiles(directory, 1)
    const environment = itemEnvironment(
      { PATH: process.env.PATH },
      undefined,
      { item: 'a.ts', seq: 5, slot: 1, slotsHeld: 1 },
      files
    )
    expect(await seen(environment, files)).toBe('a.ts|5|1|1|unset||')
  })

  it('leaves out a PARALLEL_BATCH_SIZE inherited by a single item', async () => {
    const files = new TaskFiles(directory, 1)
    const environment = itemEnvironment(
      base,
      undefined,
      { item: 'a.ts', seq: 2, slot: 1, slotsHeld: 1 },
      files
    )
    expect(await seen(environment, files)).toBe('a.ts|2|1|1|unset||')
  })
})

describe('PARALLEL_SLOTS', () => {
  it('says how many slots an item or a batch holds, over an inherited or own value', async () => {
    const files = new TaskFiles(directory, 4)
    const own = { PARALLEL_SLOTS: 'own' }
    const item = itemEnvironment(base, own, { item: 'e2e', seq: 1, slot: 2, slotsHeld: 3 }, files)
    expect(await seen(item, files)).toBe('e2e|1|2|3|unset||')
    const batch = batchEnvironment(
      base,
      own,
      { items: ['a', 'b'], batch: 1, slot: 4, slotsHeld: 4 },
      files
    )
    expect(await seen(batch, files)).toBe('["a","b"]|1|4|4|2|file|["a","b"]')
  })
})
