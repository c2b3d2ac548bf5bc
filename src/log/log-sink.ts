import { once } from 'node:events'
import type { Writable } from 'node:stream'

/**
 * Where log text goes: the action's stdout, which the runner shows as the step's log. Returns a
 * promise when the stream is backed up; whoever can wait (a replay, a paused task) waits on it.
 */
export interface LogSink {
  (data: string | Buffer): Promise<void> | void
  /** True when the sink keeps no reference to anything written to it so far. */
  holdsNothing?: () => boolean
}

/**
 * A sink writing to a stream, with one shared promise for its next 'drain'. Node queues writes
 * to a pipe in memory without bound, so a gigabyte of task output must wait for the reader.
 */
export function streamSink(stream: Writable): LogSink {
  let drained: Promise<void> | undefined
  const sink: LogSink = data => {
    if (stream.write(data)) return drained
    drained ??= once(stream, 'drain').then(() => {
      drained = undefined
    })
    return drained
  }
  // Nothing queued: every write went out (stdout to a file or pipe is written synchronously).
  sink.holdsNothing = () => stream.writableLength === 0
  return sink
}
