import { describe, expect, it } from '@jest/globals'
import { EventEmitter } from 'node:events'
import { failIfUnsettled } from '../../src/action/exit-guard.js'

/** A stand-in for `process`: its 'exit' event is emitted by the test. */
function exitEvents(): EventEmitter & {
  once(event: 'exit', listener: (code: number) => void): unknown
} {
  return new EventEmitter()
}

describe('failIfUnsettled', () => {
  it('fails once when the process exits while the work still waits', () => {
    const events = exitEvents()
    const messages: string[] = []
    failIfUnsettled(new Promise(() => {}), message => messages.push(message), events)
    events.emit('exit', 0)
    events.emit('exit', 0)
    expect(messages).toEqual([expect.stringContaining('ended before its run finished')])
  })

  it('blames itself only when nothing else ended the process', () => {
    const messages: string[] = []
    for (const code of [0, 1]) {
      const events = exitEvents()
      failIfUnsettled(new Promise(() => {}), message => messages.push(message), events)
      events.emit('exit', code)
    }
    expect(messages[0]).toContain('This is a bug in parallel-exec')
    expect(messages[1]).toContain('the process is exiting with code 1')
    expect(messages[1]).not.toContain('bug')
  })

  it('says nothing once the work is done', async () => {
    const events = exitEvents()
    const messages: string[] = []
    const work = Promise.resolve()
    failIfUnsettled(work, message => messages.push(message), events)
    await work
    await new Promise(resolve => setImmediate(resolve))
    events.emit('exit', 0)
    expect(messages).toEqual([])
  })
})
