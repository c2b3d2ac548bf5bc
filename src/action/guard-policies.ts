import { isLineBreak, LF } from './command-syntax.js'
import { GuardOutput } from './guard-output.js'
import { type StopCommands } from './stop-commands.js'

/** What one `workflow-commands` mode does with a stream of task output (see CommandGuard). */
export interface GuardPolicy {
  /** True when everything returned so far ends at a line break (or nothing was returned). */
  readonly atLineStart: boolean
  /** The bytes to print for `chunk`. */
  write(chunk: Buffer): Buffer[]
  /** The bytes that end the stream. */
  end(): Buffer[]
}

/** `all`: every byte passes as it is. */
export class PassAll implements GuardPolicy {
  private lastByte = LF

  get atLineStart(): boolean {
    return isLineBreak(this.lastByte)
  }

  write(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1] as number
    return [chunk]
  }

  end(): Buffer[] {
    return []
  }
}

/** `none`: one stop of the runner's commands from the first byte to end(). */
export class WrapAll implements GuardPolicy {
  private readonly output = new GuardOutput()

  constructor(private readonly wrap: StopCommands) {}

  get atLineStart(): boolean {
    return this.output.atLineStart
  }

  write(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return []
    if (!this.wrap.isOpen) this.output.emit(this.wrap.open())
    this.output.emit(chunk)
    return this.output.take()
  }

  end(): Buffer[] {
    if (this.wrap.isOpen) this.output.emit(this.wrap.close(!this.output.atLineStart))
    return this.output.take()
  }
}
