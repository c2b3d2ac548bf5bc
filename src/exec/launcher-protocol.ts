import * as os from 'node:os'

/** A command for a launcher to start, and where its output goes. */
export interface LaunchRequest {
  file: string
  args: readonly string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Every chunk of output; a returned promise pauses the task's output until it settles. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => Promise<void> | void
  /** Where output past its first bytes goes instead of onOutput (stdout and stderr together). */
  outputFile?: OutputFile
  /** A `NAME=value` string added to the environment, last (see process-tree.ts). */
  marker?: string
}

/**
 * A file the launcher appends a task's output to itself, so that the action does not carry bytes
 * it would only write to a file: the first `after` bytes go to onOutput, the rest to the file (or
 * to onOutput again if the file cannot be written).
 */
export interface OutputFile {
  /** A file that must not exist yet: created (mode 0600) once there is output for it. */
  path: string
  /** Bytes handed to onOutput before the file is used. */
  after: number
  /** Called, in order with onOutput, for bytes appended to the file. */
  appended: (bytes: number) => void
}

/** The type byte of a request, after its 4-byte length (REQUEST_* in launcher.pl). */
export const Request = {
  /** Run a task: length-prefixed cwd, output file, bytes framed before it, argc, argv, env. */
  Run: 0x52, // R
  /** Close the running task's output pipes (its background children may hold them). */
  Close: 0x43 // C
} as const

/** The type byte of a frame from the launcher, before its 4-byte value (FRAME_* in launcher.pl). */
export const Frame = {
  /** Once, at start: 1 when the launcher is a child subreaper. */
  Ready: 0x52, // R
  /** Forked: the pid of what may now run. */
  Forked: 0x50, // P
  /** Exec succeeded. */
  Started: 0x53, // S
  /** Not started: errno, then one more byte, the FailedStep. */
  Failed: 0x46, // F
  /** The task's stdout: the length, then the bytes. */
  Stdout: 0x4f, // O
  /** The task's stderr: the length, then the bytes. */
  Stderr: 0x45, // E
  /** Bytes appended to the output file. */
  Written: 0x57, // W
  /** The task's process ended: its wait status. */
  Exited: 0x58, // X
  /** Both pipes closed: 1 when a process the task left is still the launcher's child. */
  Done: 0x44 // D
} as const

/** The step of a start that failed, in a Failed frame (STEP_* in launcher.pl). */
export const FailedStep = {
  /** pipe(2), or making one the task's stdout or stderr. */
  Pipe: 0x70, // p
  Fork: 0x66, // f
  Setsid: 0x73, // s
  /** Opening /dev/null as the task's stdin. */
  DevNull: 0x6e, // n
  Chdir: 0x63, // c
  Exec: 0x65 // e
} as const

/** A frame's type byte and 4-byte value. */
export const FRAME_HEADER_BYTES = 5

/** The request that closes the running task's output pipes. */
export const CLOSE_REQUEST = Buffer.from([0, 0, 0, 1, Request.Close])

/** A Run request: cwd, output file, argument count, argv (file first), NAME=value strings. */
export function encodeRequest(request: LaunchRequest): Buffer | undefined {
  // An empty cwd means ours, as for spawn.
  const file = request.outputFile
  const strings = [
    request.cwd || process.cwd(),
    file?.path ?? '',
    String(file?.after ?? 0),
    String(request.args.length + 1),
    request.file
  ]
  for (const arg of request.args) strings.push(arg)
  for (const [name, value] of Object.entries(request.env ?? process.env)) {
    if (value !== undefined) strings.push(`${name}=${value}`)
  }
  if (request.marker !== undefined) strings.push(request.marker)
  let size = 4 + 1
  const lengths: number[] = []
  for (const text of strings) {
    // No string can carry a NUL byte: spawn refuses it with an error of its own.
    if (text.includes('\0')) return undefined
    const length = Buffer.byteLength(text)
    lengths.push(length)
    size += 4 + length
  }
  const buffer = Buffer.allocUnsafe(size)
  buffer.writeUInt32BE(size - 4, 0)
  buffer[4] = Request.Run
  let offset = 5
  strings.forEach((text, index) => {
    const length = lengths[index] as number
    buffer.writeUInt32BE(length, offset)
    buffer.write(text, offset + 4)
    offset += 4 + length
  })
  return buffer
}

/** The names of `constants` by value; the first name where two share one. */
function firstNames(constants: Readonly<Record<string, number>>): Map<number, string> {
  const names = new Map<number, string>()
  for (const [name, value] of Object.entries(constants))
    if (!names.has(value)) names.set(value, name)
  return names
}

// Where two names share a number (SIGABRT/SIGIOT, EAGAIN/EWOULDBLOCK), Node reports the first.
const ERRNO_NAMES = firstNames(os.constants.errno)
const SIGNAL_NAMES = firstNames(os.constants.signals) as Map<number, NodeJS.Signals>

/** The wait status of waitpid(2) as Node's 'exit' event reports it: [code, null] or [null, signal]. */
export function decodeWaitStatus(status: number | null): [number | null, NodeJS.Signals | null] {
  if (status === null) return [null, null]
  const signal = status & 0x7f
  if (signal === 0) return [(status >> 8) & 0xff, null]
  return [null, SIGNAL_NAMES.get(signal) ?? null]
}

/** The error Node's spawn gives for the same failure, e.g. `spawn nosuch ENOENT`. */
export function startError(file: string, errno: number, step: number): NodeJS.ErrnoException {
  const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`
  const syscall = step === FailedStep.Fork ? 'fork' : step === FailedStep.Pipe ? 'pipe' : 'spawn'
  const message = syscall === 'spawn' ? `spawn ${file} ${code}` : `${syscall} ${code}`
  const error: NodeJS.ErrnoException = new Error(message)
  error.code = code
  error.errno = -errno
  error.syscall = `${syscall} ${file}`
  error.path = file
  return error
}
