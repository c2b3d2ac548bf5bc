import { describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { Semaphore, SharedPause, Spacing } from '../../src/github/pacing.js'

describe('Semaphore', () => {
  it('runs at most its limit at once, the others in call order', async () => {
    const slots = new Semaphore(2)
    let running = 0
    let most = 0
    const order: number[] = []
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        slots.run(async () => {
          running++
          most = Math.max(most, running)
          order.push(i)
          await sleep(5)
          running--
        })
      )
    )
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
  })
})

describe('SharedPause', () => {
  it('lengthens only, and says when it did', async () => {
    const waits: number[] = []
    const pause = new SharedPause(async ms => {
      waits.push(ms)
      await sleep(ms)
    })
    expect(pause.extend(30)).toBe(true)
    expect(pause.extend(10)).toBe(false)
    const started = Date.now()
    await pause.waitOut()
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    const count = waits.length
    await pause.waitOut() // over: nothing more to wait
    expect(waits).toHaveLength(count)
  })
})

describe('Spacing', () => {
  it('starts each function at least intervalMs after the previous one ended', async () => {
    const spacing = new Spacing(40, ms => sleep(ms))
    let end = 0
    await spacing.run(async () => {
      end = Date.now()
    })
    await spacing.run(async () => {
      expect(Date.now() - end).toBeGreaterThanOrEqual(38)
    })
  })
})
