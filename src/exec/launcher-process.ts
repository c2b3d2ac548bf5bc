import { spawn, type ChildProcess } from 'node:child_process'
import { launcherArguments, launcherProgram } from './launcher-program.js'
import {
  CLOSE_REQUEST,
  FRAME_HEADER_BYTES,
  Frame,
  type LaunchRequest,
  type OutputFile
} from './launcher-protocol.js'

/** How much of what perl prints (its own errors: the tasks have pipes of their own) is kept. */
const PERL_ERROR_CHARS = 2000

/** What a launcher reports about the task it runs. */
export interface TaskEvents {
  onOutput?: LaunchRequest['onOutput']
  appended?: OutputFile['appended']
  /** Forked: the pid of what may now be running. */
  forked: (pid: number) => void
  /** Exec succeeded. */
  started: () => void
  /** Not started: errno and the FailedStep. */
  failed: (errno: number, step: number) => void
  /** The wait status, or null when the launcher died first. */
  exited: (status: number | null) => void
  /** Both pipes closed; `leftovers`: the launcher still has a child, and waits for release. */
  done: (leftovers: boolean) => void
  /** Set once its output is of no use any more (closeStdio). */
  discard: boolean
}

/** One launcher process (launcher.pl run by perl); runs one task at a time. */
export class Launcher {
  private readonly child: ChildProcess
  private buffered: Buffer = Buffer.alloc(0)
  private running: TaskEvents | undefined
  private paused = false
  /** Counts pauses, so that a pause's late end cannot resume a later one (or a later task). */
  private pauses = 0
  private ready = false
  /** Waits for release() after a task that left processes behind. */
  private held = false
  /** Whether the launcher adopts its tasks' orphans (it said so when ready). */
  subreaper = false
  private readonly readyTimer: NodeJS.Timeout
  private readyTimedOut = false
  /** What perl printed, e.g. why it refused the program. */
  private errors = ''
  /** Says how the launcher ended, once it has. */
  private readonly ending: Promise<string>
  private ended = false
  /** Bytes of the current output frame still to come, and whose they are. */
  private dataLeft = 0
  private dataStream: 'stdout' | 'stderr' = 'stdout'
  dead = false

  /**
   * `onIdle` is called once it is ready and after each task; `onLost` if it dies before it was
   * ready, which means perl cannot run it here (with why, once known). Throws what spawn throws.
   */
  constructor(
    perl: string,
    readyTimeoutMs: number,
    killGraceMs: number,
    private readonly onIdle: (launcher: Launcher) => void,
    private readonly onLost: (why: Promise<string>) => void
  ) {
    this.child = spawn(perl, ['-e', launcherProgram(), ...launcherArguments(killGraceMs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Nothing of the tasks' environment may change how perl itself behaves (PERL5OPT, ...).
      env: {}
    })
    this.ending = new Promise(resolve => {
      this.child.once('error', error => resolve(`${perl}: ${error.message}`))
      this.child.once('close', (code, signal) => resolve(this.describeEnd(perl, code, signal)))
    })
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (text: string) => {
      if (this.errors.length < PERL_ERROR_CHARS) this.errors += text.slice(0, PERL_ERROR_CHARS)
    })
    this.child.on('error', () => this.die())
    this.child.stdin?.on('error', () => this.die())
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk))
    // Only once all it wrote is read: 'exit' can come before the last frames.
    this.child.stdout?.on('close', () => {
      this.ended = true
      this.parse()
    })
    // A task may be waiting for it: one that never gets ready is given up (the task is spawned).
    this.readyTimer = setTimeout(() => {
      this.readyTimedOut = true
      this.child.kill('SIGKILL')
    }, readyTimeoutMs)
    this.readyTimer.unref()
    this.setRef(false)
  }

  /** Sends an encoded Run request; `running` hears what becomes of it. */
  launch(encoded: Buffer, running: TaskEvents): void {
    this.running = running
    this.setRef(true)
    this.child.stdin?.write(encoded)
  }

  /** Closes the output pipes of `running`, if it is still this launcher's task. */
  closeStdio(running: TaskEvents): void {
    if (this.running !== running || running.discard) return
    running.discard = true
    this.child.stdin?.write(CLOSE_REQUEST)
    // What was paused for its output is of no use now; the launcher must be read on.
    if (this.paused) this.resume(this.pauses)
  }

  /** The perl process's pid. */
  get pid(): number | undefined {
    return this.child.pid
  }

  /** Takes the next task once the last one's leftovers are dealt with, or ends. */
  release(reuse: boolean): void {
    if (!this.held) return
    this.held = false
    if (reuse) this.idle()
    else this.close()
  }

  /** Ends the launcher: it exits once its stdin closes. */
  close(): void {
    this.dead = true
    this.child.stdin?.end()
    this.setRef(false)
  }

  /** Adds what the launcher wrote to what is left of the last read, and handles it. */
  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    this.parse()
  }

  /** Handles the frames received so far, until output waits for a pause to end. */
  private parse(): void {
    while (!this.paused && this.buffered.length > 0) {
      const buffer = this.buffered
      if (this.dataLeft > 0) {
        // Output is handed on as it arrives, in slices of what was read: never copied here.
        const length = Math.min(this.dataLeft, buffer.length)
        this.dataLeft -= length
        this.buffered = buffer.subarray(length)
        this.deliver(buffer.subarray(0, length))
        continue
      }
      if (buffer.length < FRAME_HEADER_BYTES) break
      const type = buffer[0]
      // A Failed frame has one more byte: the step that failed.
      const size = type === Frame.Failed ? FRAME_HEADER_BYTES + 1 : FRAME_HEADER_BYTES
      if (buffer.length < size) break
      this.buffered = buffer.subarray(size)
      this.handle(type, buffer.readUInt32BE(1), buffer[FRAME_HEADER_BYTES])
    }
    // Gone, and every frame it sent before going has been handled.
    if (this.ended && !this.paused) this.die()
  }

  /** Acts on one frame; an output frame's bytes follow it. */
  private handle(type: number | undefined, value: number, step: number | undefined): void {
    const running = this.running
    switch (type) {
      case Frame.Stdout:
      case Frame.Stderr:
        this.dataLeft = value
        this.dataStream = type === Frame.Stdout ? 'stdout' : 'stderr'
        return
      case Frame.Failed:
        this.running = undefined
        running?.failed(value, step as number)
        this.idle()
        return
      case Frame.Ready:
        this.ready = true
        this.subreaper = value === 1
        clearTimeout(this.readyTimer)
        // Launched on demand, its first task may already be waiting.
        if (!running) this.idle()
        return
      case Frame.Forked:
        return running?.forked(value)
      case Frame.Started:
        return running?.started()
      case Frame.Written:
        // Counted even once discarded, as the bytes are in the file.
        return running?.appended?.(value)
      case Frame.Exited:
        return running?.exited(value)
      case Frame.Done:
        this.running = undefined
        running?.done(value === 1)
        // Its leftovers are its children: no other task may start until they are stopped.
        if (value === 1 && running) this.held = true
        else this.idle()
    }
  }

  /** Hands output to the task; a promise it returns pauses reading until it settles. */
  private deliver(data: Buffer): void {
    const running = this.running
    if (!running || running.discard || !running.onOutput) return
    const wait = running.onOutput(data, this.dataStream)
    if (wait) {
      this.paused = true
      const pause = ++this.pauses
      this.child.stdout?.pause()
      void wait.finally(() => this.resume(pause))
    }
  }

  /** Ends the pause `pause` (not a later one) and reads on. */
  private resume(pause: number): void {
    if (!this.paused || pause !== this.pauses) return
    this.pauses++
    this.paused = false
    this.child.stdout?.resume()
    this.parse()
  }

  /** Offers the launcher for the next task. */
  private idle(): void {
    if (this.dead) return
    this.setRef(false)
    this.onIdle(this)
  }

  /** The launcher is gone: its task, if any, is told it ended without a status. */
  private die(): void {
    if (this.dead && !this.running) return
    this.dead = true
    this.setRef(false)
    if (!this.ready) this.onLost(this.ending)
    const running = this.running
    this.running = undefined
    running?.exited(null)
    running?.done(false)
  }

  /** Why a launcher that never got ready ended: perl's own words when it printed any. */
  private describeEnd(perl: string, code: number | null, signal: NodeJS.Signals | null): string {
    const how = this.readyTimedOut
      ? 'was not ready in time'
      : signal !== null
        ? `was killed by ${signal}`
        : `exited with code ${code}`
    const errors = this.errors.trim()
    return `${perl} ${how} before the launcher was ready${errors ? `: ${errors}` : ''}`
  }

  /** An idle launcher must not keep the action alive: it ends when our end of its stdin closes. */
  private setRef(ref: boolean): void {
    const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as (
      { ref?: () => void; unref?: () => void } | null | undefined
    )[]
    for (const handle of handles) {
      if (ref) handle?.ref?.()
      else handle?.unref?.()
    }
  }
}
