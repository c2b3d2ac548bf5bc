import { randomBytes } from '../system/crypto.js'

/*
 * How the GitHub Actions runner reads workflow commands from an action's output, as checked in the
 * actions/runner sources (this module must stay in step with them):
 *
 * - src/Runner.Sdk/ProcessInvoker.cs, StartReadStream: stdout and stderr are read with
 *   StreamReader.ReadLine, so "\n", "\r" and "\r\n" each end a line. stdout and stderr are queued
 *   separately, so only output on one stream keeps its order (everything here goes to stdout).
 * - src/Runner.Worker/Handlers/OutputManager.cs, OnDataReceived: every line that contains "##[" or
 *   "::" goes to ActionCommandManager.TryProcessCommand; a line it does not take is written to the
 *   log as it is (secret masking and problem matchers still apply).
 * - src/Runner.Common/ActionCommand.cs:
 *   TryParseV2: message.TrimStart() (.NET white space: \t \v \f and space, NEL, NBSP and the
 *   Unicode space, line and paragraph separators), then it must start with "::"; the command info
 *   runs to the next "::" and the name to its first space; the name must be registered.
 *   TryParse (legacy form): the FIRST "##[" anywhere in the line, info up to the next "]", name up
 *   to its first space, and again the name must be registered.
 * - src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand: TryParseV2 first, TryParse only
 *   when V2 fails. Registered names are matched with OrdinalIgnoreCase ("::ERROR::" is an error).
 *   "::stop-commands::TOKEN" (or "##[stop-commands]TOKEN") stops processing and registers TOKEN as
 *   a command name; while stopped every parsed command except TOKEN returns false, so the line is
 *   logged verbatim, in the V2 and the legacy form alike; "::TOKEN::" (or "##[TOKEN]") resumes.
 *   The stop and the resume lines themselves are echoed to the log (context.Output(input)): they
 *   are not hidden, but newer runners mask the token for the whole run (ActionCommandManagerL0,
 *   StopProcessCommandMasksValidTokenForEntireRun) and refuse an empty token, "pause-logging" or
 *   a registered command name (StopProcessCommand__FailOnInvalidStopTokens).
 *
 * Two .NET details make the checks below conservative rather than exact: String.StartsWith and
 * String.IndexOf(string) compare with the current culture (ICU on Linux), which skips ignorable
 * characters such as controls and zero-width ones; and on Windows the output may be decoded with a
 * legacy code page, where other bytes are white space. Because the command name is always taken
 * at a fixed offset (2 after "::", 3 after "##["), an ignorable character inside or before the
 * prefix shifts the name and it no longer matches, so only a plain "::" at the start (after white
 * space) or a plain "##[" can start a command; but any control byte or byte >= 0x7f before "::"
 * is treated as possible white space.
 */

/** Which workflow commands in task output the runner may act on. */
export enum WorkflowCommands {
  /**
   * ::error, ::warning, ::notice and ::debug lines keep working (linters' GitHub formats still
   * annotate); every other command is neutralised.
   */
  Annotations = 'annotations',
  /** Everything passes through, for trusted commands. */
  All = 'all',
  /** Everything is neutralised. */
  None = 'none'
}

/**
 * How much of one line the guard holds back while it cannot yet tell whether the line has to be
 * neutralised. A longer undecided line is neutralised without waiting for its end.
 */
export const MAX_HELD_BYTES = 64 * 1024

/**
 * Most neutralisations one guard opens in `annotations` mode. Each uses a fresh token, which newer
 * runners add as a secret to mask for the rest of the job, so output alternating forbidden and
 * annotation lines must not register secrets without bound. Past this many, the last one stays
 * open until end(): later annotation lines are then logged but no longer annotate (the runner only
 * shows a handful of annotations per step anyway).
 */
export const MAX_WRAPS = 100

const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const HASH = 0x23
const COLON = 0x3a
const BRACKET = 0x5b
const LEGACY_PREFIX = Buffer.from('##[')
const EMPTY = Buffer.alloc(0)

/** The V2 commands `annotations` mode lets through, lower case. */
const ANNOTATION_NAMES = ['error', 'warning', 'notice', 'debug'].map(name => Buffer.from(name))

/** Command names the runner registers; a stop token must not be one of them. */
const RUNNER_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'internal-set-repo-path',
  'notice',
  'pause-logging',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
])

const TOKEN_PATTERN = /^[0-9A-Za-z_-]{16,256}$/

/** What a byte at the start of a line (before any other character) can be. */
const OTHER = 0
/** White space for .NET in every encoding: \t \v \f and space. */
const BLANK = 1
/**
 * Possibly white space or ignorable for the runner: other controls, DEL and every byte >= 0x80
 * (UTF-8 encodes the Unicode spaces with them; code pages have NBSP, NEL, ideographic space...).
 */
const MAYBE_BLANK = 2
const BREAK = 3
const LEAD_CLASS = new Uint8Array(256)
for (let b = 0; b < 256; b++) {
  if (b === LF || b === CR) LEAD_CLASS[b] = BREAK
  else if (b === 0x09 || b === 0x0b || b === 0x0c || b === SPACE) LEAD_CLASS[b] = BLANK
  else if (b < SPACE || b >= 0x7f) LEAD_CLASS[b] = MAYBE_BLANK
  else LEAD_CLASS[b] = OTHER
}

// Where the current line stands. Lines are classified as they arrive, byte by byte only for their
// first few bytes; the rest is found with indexOf.
/** At the start of a line, nothing of it seen. */
const START = 0
/** Only white space so far. */
const BLANKS = 1
/** White space then one ':'. */
const COLON1 = 2
/** "::" then the first `nameLength` letters of an annotation name. */
const NAME = 3
/** "::" + a whole annotation name + ':'. */
const NAME_COLON = 4
/** "::" + annotation name + ' ': an annotation if "::" follows, else maybe a legacy command. */
const AWAIT_SEPARATOR = 5
/** Not a V2 command; (with no neutralisation open) watching for "##[" until the line ends. */
const ORDINARY = 6
/** Decided: the rest of the line goes out as it is. */
const PASS = 7

/** A line the runner would act on as an annotation (or debug) command. */
const ANNOTATION = 0
/** A line the runner may act on as some other command: it must be inside stop-commands. */
const FORBIDDEN = 1
/** A line the runner does not act on: fine either way. */
const PLAIN = 2

type LineKind = typeof ANNOTATION | typeof FORBIDDEN | typeof PLAIN

/** 128 random bits as hex: a legal stop token that task output cannot guess. */
function randomToken(): string {
  return randomBytes(16).toString('hex')
}

/**
 * Neutralises workflow commands in one stream of task output; one instance per task (it keeps
 * line state across chunks).
 *
 * Lines that must not act are wrapped in the runner's own `::stop-commands::<token>` ...
 * `::<token>::` with a fresh random token per wrap, so every byte of the task's output still
 * reaches the log unchanged. The runner does echo the two wrapping lines (newer runners show the
 * token as ***). In `annotations` mode a wrap opens before the first line that may be a forbidden
 * command and stays open (ordinary lines are unaffected by it) until the next annotation line or
 * end(); in `none` mode one wrap covers the whole stream. The stream is assumed to start at the
 * start of a line, and while a wrap may be open nothing else may be printed between the buffers
 * returned (the runner's stop state is one per step): call end() first.
 *
 * Deciding about a line may need bytes from the next chunk: write() then holds back the undecided
 * start of the line (at most MAX_HELD_BYTES, copied) and returns it with a later write() or end().
 * Everything else is returned as subarrays of the chunks given, never copied.
 */
export class CommandGuard {
  private readonly makeToken: () => string

  private open = false
  private token = ''
  private wraps = 0
  private lastByte = LF

  // The current line.
  private state = START
  private uncertainBlank = false
  private nameIndex = 0
  private nameLength = 0
  private previousColon = false
  private hashRun = 0
  private sawLegacy = false
  private held: Buffer[] = []
  private heldLength = 0

  // The chunk being scanned.
  private chunk: Buffer = EMPTY
  private out: Buffer[] = []
  private emitFrom = 0
  private lineStart = 0
  private lfAt = -2
  private crAt = -2
  private legacyAt = -2

  constructor(
    private readonly mode: WorkflowCommands,
    newToken: () => string = randomToken
  ) {
    if (!Object.values(WorkflowCommands).includes(mode)) {
      throw new Error(`CommandGuard: unknown mode ${String(mode)}`)
    }
    this.makeToken = newToken
  }

  /**
   * True when everything returned so far ends at a line break (or nothing was returned), so that
   * text printed next starts a line of its own.
   */
  get atLineStart(): boolean {
    return this.lastByte === LF || this.lastByte === CR
  }

  /**
   * Transforms a chunk; returns the bytes to print (possibly several buffers, to avoid copying).
   * They are views of `chunk` except the guard's own lines and what it held back (copies), so
   * `chunk` must not be reused before they are printed.
   */
  write(chunk: Buffer): Buffer[] {
    if (chunk.length === 0) return this.mode === WorkflowCommands.All ? [chunk] : []
    if (this.mode === WorkflowCommands.Annotations) return this.scan(chunk)
    this.lastByte = chunk[chunk.length - 1] as number
    if (this.mode === WorkflowCommands.All) return [chunk]
    // None: one wrap from the first byte to end().
    return this.open ? [chunk] : [this.openWrap(), chunk]
  }

  /**
   * Call at the end of the stream: returns whatever must close an open neutralisation (the held
   * end of the last line, then the resume token line), so that the next printed line (our own
   * ::endgroup::) is processed by the runner again. The resume token needs a line of its own, so
   * a line break is added first when, and only when, a neutralisation is open and the output does
   * not already end with one. The output may still end without a line break (when nothing was
   * open): text printed after it must start with one. After end() the guard may be reused for
   * output that starts on a new line.
   */
  end(): Buffer[] {
    if (this.mode === WorkflowCommands.All) return []
    this.out = []
    this.chunk = EMPTY
    this.emitFrom = 0
    this.lineStart = 0
    if (this.isUndecided()) this.decide(this.kindAtLineEnd())
    if (this.open) {
      this.open = false
      this.emit(Buffer.from(`${this.atLineStart ? '' : '\n'}::${this.token}::\n`))
    }
    this.state = START
    this.uncertainBlank = false
    this.hashRun = 0
    const out = this.out
    this.out = []
    return out
  }

  private scan(chunk: Buffer): Buffer[] {
    const n = chunk.length
    this.chunk = chunk
    this.out = []
    this.emitFrom = 0
    this.lineStart = 0
    this.lfAt = -2
    this.crAt = -2
    this.legacyAt = -2

    // A "##[" split between the previous chunk and this one.
    const carriedHashes = this.state === ORDINARY ? this.hashRun : 0
    if (
      carriedHashes > 0 &&
      ((carriedHashes === 2 && chunk[0] === BRACKET) ||
        (n > 1 && chunk[0] === HASH && chunk[1] === BRACKET))
    ) {
      this.decide(FORBIDDEN)
      this.state = PASS
    }

    let i = 0
    while (i < n) {
      const state = this.state
      if (state === PASS) {
        const lineBreak = this.nextBreak(i)
        if (lineBreak < 0) break
        i = lineBreak + 1
        this.startLine(i)
      } else if (state === ORDINARY) {
        const lineBreak = this.nextBreak(i)
        const legacy = this.nextLegacy(i)
        if (legacy >= 0 && (lineBreak < 0 || legacy < lineBreak)) {
          this.decide(FORBIDDEN)
          this.state = PASS
          i = legacy + LEGACY_PREFIX.length
        } else if (lineBreak < 0) {
          break
        } else {
          this.decide(PLAIN)
          i = lineBreak + 1
          this.startLine(i)
        }
      } else {
        const b = chunk[i] as number
        if (b === LF || b === CR) {
          this.decide(this.kindAtLineEnd())
          i++
          this.startLine(i)
        } else {
          i = this.step(b, i)
        }
      }
    }

    if (this.isUndecided()) {
      const part = n - this.lineStart
      if (this.heldLength + part > MAX_HELD_BYTES) {
        // Too long to wait for: neutralise it (when open, simply do not close for it).
        this.decide(FORBIDDEN)
        this.state = PASS
      } else {
        if (this.state === ORDINARY) this.hashRun = this.trailingHashes(carriedHashes)
        this.flushRun(this.lineStart)
        if (part > 0) {
          // Copied: the caller may reuse the chunk once write() returns.
          this.held.push(Buffer.from(chunk.subarray(this.lineStart)))
          this.heldLength += part
        }
        this.emitFrom = n
      }
    }
    this.flushRun(n)
    const out = this.out
    this.out = []
    this.chunk = EMPTY
    return out
  }

  /** One byte at the start of a line; returns where to go on (the same index to re-examine it). */
  private step(b: number, i: number): number {
    switch (this.state) {
      case START:
      case BLANKS: {
        if (!this.open) {
          // A tight loop over the leading white space: text in non-Latin scripts is all bytes
          // >= 0x80, possible white space to the runner, so a whole line can be walked here.
          const chunk = this.chunk
          const n = chunk.length
          let j = i
          let lead = LEAD_CLASS[b] as number
          while (lead === BLANK || lead === MAYBE_BLANK) {
            if (lead === MAYBE_BLANK) this.uncertainBlank = true
            this.state = BLANKS
            if (++j === n) return j
            lead = LEAD_CLASS[chunk[j] as number] as number
          }
          if (j > i) return j
        }
        const lead = LEAD_CLASS[b] as number
        if (lead === BLANK) {
          this.state = BLANKS
          return i + 1
        }
        if (lead === MAYBE_BLANK) {
          // Such a line is never let through as an annotation.
          if (this.open) {
            this.decide(PLAIN)
            this.state = PASS
          } else {
            this.uncertainBlank = true
            this.state = BLANKS
          }
          return i + 1
        }
        if (b === COLON) {
          this.state = COLON1
          return i + 1
        }
        return this.notV2(i)
      }
      case COLON1:
        if (b !== COLON) return this.notV2(i)
        if (this.uncertainBlank) return this.forbid(i)
        this.state = NAME
        this.nameLength = 0
        return i + 1
      case NAME: {
        const lower = b | 0x20
        if (this.nameLength === 0) {
          const index = ANNOTATION_NAMES.findIndex(name => name[0] === lower)
          if (index < 0) return this.forbid(i)
          this.nameIndex = index
        } else {
          const name = ANNOTATION_NAMES[this.nameIndex] as Buffer
          if (this.nameLength === name.length) {
            if (b === SPACE) {
              this.state = AWAIT_SEPARATOR
              this.previousColon = false
              this.hashRun = 0
              this.sawLegacy = false
              return i + 1
            }
            if (b === COLON) {
              this.state = NAME_COLON
              return i + 1
            }
            return this.forbid(i)
          }
          // `b | 0x20` equals a lower-case letter only for that letter and its capital.
          if (name[this.nameLength] !== lower) return this.forbid(i)
        }
        this.nameLength++
        return i + 1
      }
      case NAME_COLON:
        if (b !== COLON) return this.forbid(i)
        this.decide(ANNOTATION)
        this.state = PASS
        return i + 1
      case AWAIT_SEPARATOR:
        if (b === COLON) {
          if (this.previousColon) {
            this.decide(ANNOTATION)
            this.state = PASS
            return i + 1
          }
          this.previousColon = true
          this.hashRun = 0
          return i + 1
        }
        this.previousColon = false
        if (b === HASH) {
          if (this.hashRun < 2) this.hashRun++
        } else {
          if (b === BRACKET && this.hashRun === 2) this.sawLegacy = true
          this.hashRun = 0
        }
        return i + 1
      default:
        throw new Error(`CommandGuard: unexpected state ${this.state}`)
    }
  }

  /** The line cannot be a V2 command (it does not start with "::"). */
  private notV2(i: number): number {
    if (this.open) {
      // Already neutralised, and no annotation: nothing to look for until the line ends.
      this.decide(PLAIN)
      this.state = PASS
    } else {
      this.state = ORDINARY
    }
    return i
  }

  private forbid(i: number): number {
    this.decide(FORBIDDEN)
    this.state = PASS
    return i + 1
  }

  private startLine(i: number): void {
    this.state = START
    this.lineStart = i
    this.uncertainBlank = false
  }

  private isUndecided(): boolean {
    return this.state !== START && this.state !== PASS
  }

  /** What the current, undecided line is if it ends here. */
  private kindAtLineEnd(): LineKind {
    switch (this.state) {
      case NAME:
      case NAME_COLON:
        // "::" and then no annotation: possibly a command, cheap to neutralise.
        return FORBIDDEN
      case AWAIT_SEPARATOR:
        // No "::" after the name, so TryParseV2 fails and the legacy form decides.
        return this.sawLegacy ? FORBIDDEN : PLAIN
      default:
        return PLAIN
    }
  }

  /**
   * The current line (held bytes, then the chunk from lineStart on) is of `kind`: open or close
   * a neutralisation before it if need be, and release what was held of it.
   */
  private decide(kind: LineKind): void {
    const change =
      kind === FORBIDDEN ? !this.open : kind === ANNOTATION && this.open && this.wraps < MAX_WRAPS
    if (!change && this.held.length === 0) return
    this.flushRun(this.lineStart)
    if (change) {
      if (this.open) {
        this.open = false
        this.emit(Buffer.from(`::${this.token}::\n`))
      } else {
        this.emit(this.openWrap())
      }
    }
    for (const part of this.held) this.emit(part)
    this.held = []
    this.heldLength = 0
  }

  private openWrap(): Buffer {
    const token = this.makeToken()
    if (!TOKEN_PATTERN.test(token) || RUNNER_COMMANDS.has(token.toLowerCase())) {
      throw new Error(
        'CommandGuard: a stop token must be 16 or more letters, digits, _ or -, and no command name'
      )
    }
    this.token = token
    this.open = true
    this.wraps++
    return Buffer.from(`::stop-commands::${token}\n`)
  }

  /** Emits the chunk's bytes from emitFrom up to `end`, as one subarray. */
  private flushRun(end: number): void {
    if (end <= this.emitFrom) return
    const chunk = this.chunk
    this.emit(
      this.emitFrom === 0 && end === chunk.length ? chunk : chunk.subarray(this.emitFrom, end)
    )
    this.emitFrom = end
  }

  private emit(buffer: Buffer): void {
    if (buffer.length === 0) return
    this.out.push(buffer)
    this.lastByte = buffer[buffer.length - 1] as number
  }

  // The next "\n", "\r" and "##[" are searched once per chunk and position, not once per line,
  // so that a chunk without any costs one scan, not one per line.
  private nextBreak(from: number): number {
    if (this.lfAt !== -1 && this.lfAt < from) this.lfAt = this.chunk.indexOf(LF, from)
    if (this.crAt !== -1 && this.crAt < from) this.crAt = this.chunk.indexOf(CR, from)
    if (this.lfAt < 0) return this.crAt
    if (this.crAt < 0) return this.lfAt
    return Math.min(this.lfAt, this.crAt)
  }

  private nextLegacy(from: number): number {
    if (this.legacyAt !== -1 && this.legacyAt < from) {
      this.legacyAt = this.chunk.indexOf(LEGACY_PREFIX, from)
    }
    return this.legacyAt
  }

  /** How many '#' (up to 2) end the current line's bytes so far. */
  private trailingHashes(carried: number): number {
    const chunk = this.chunk
    let count = 0
    let p = chunk.length - 1
    while (count < 2 && p >= this.lineStart && chunk[p] === HASH) {
      count++
      p--
    }
    if (p < 0) count = Math.min(2, count + carried)
    return count
  }
}

/**
 * True when the runner would act on the first line of `line` (up to its first "\r" or "\n") as a
 * workflow command that `mode` lets through, as CommandGuard decides it: such a line has to reach
 * the runner at the start of a line, as it is (stream mode prints it without its prefix). In
 * `all` mode that is any line that may start with "::" after white space (a legacy `##[` command
 * acts anywhere in a line, so a prefix does not stop it); in `annotations` mode an annotation
 * line; in `none` mode no line.
 */
export function passesAsCommand(line: Buffer, mode: WorkflowCommands): boolean {
  if (mode === WorkflowCommands.None) return false
  // The guard lets an annotation through only after certain white space.
  const skipUncertain = mode === WorkflowCommands.All
  let i = 0
  while (i < line.length) {
    const lead = LEAD_CLASS[line[i] as number]
    if (lead === BLANK || (lead === MAYBE_BLANK && skipUncertain)) i++
    else break
  }
  if (line[i] !== COLON || line[i + 1] !== COLON) return false
  if (mode === WorkflowCommands.All) return true
  i += 2
  const name = ANNOTATION_NAMES.find(candidate =>
    candidate.every((letter, k) => ((line[i + k] as number) | 0x20) === letter)
  )
  if (name === undefined) return false
  i += name.length
  if (line[i] === COLON) return line[i + 1] === COLON
  if (line[i] !== SPACE) return false
  // "::error file=a.ts,line=3::message": the command info ends at the next "::" on the line.
  for (let j = i + 1; j < line.length - 1; j++) {
    const b = line[j] as number
    if (b === LF || b === CR) return false
    if (b === COLON && line[j + 1] === COLON) return true
  }
  return false
}

const ZERO_WIDTH_SPACE = '\u200b'

/**
 * Neutralises text we print ourselves that embeds untrusted content on one line (a group title,
 * a stream-mode prefix with the item): no `##[` and no `::` at the start of a line (after
 * anything that may be white space) in it can be read as a command.
 *
 * It changes as little as possible: a zero-width space (U+200B) goes after the first '#' of every
 * "##[" and between the two colons of a line-leading "::"; nothing else changes, and text with
 * neither comes back as the same string. An ordinal search no longer finds the prefix; an ICU
 * (culture-sensitive) search that skips the ignorable zero-width space still finds it, but the
 * runner then takes the command name at a fixed offset that now lands on '[' or ':', so it matches
 * no command (see the notes at the top of this file). The text start and every "\r" or "\n" count
 * as line starts; line breaks are left alone (replace them first if the text must stay on one
 * line). It also keeps the web log viewer from taking "##[group]" and the like as formatting.
 */
export function neutraliseInline(text: string): string {
  if (!text.includes('##[') && !text.includes('::')) return text
  let result = ''
  let copied = 0
  let atLineStart = true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === LF || c === CR) {
      atLineStart = true
      continue
    }
    if (atLineStart) {
      if (c === COLON && text.charCodeAt(i + 1) === COLON) {
        result += text.slice(copied, i + 1) + ZERO_WIDTH_SPACE
        copied = i + 1
        atLineStart = false
        continue
      }
      // Anything that may be white space or ignorable for the runner keeps the line start.
      if (c <= SPACE || c >= 0x7f) continue
      atLineStart = false
    }
    if (c === HASH && text.charCodeAt(i + 1) === HASH && text.charCodeAt(i + 2) === BRACKET) {
      result += text.slice(copied, i + 1) + ZERO_WIDTH_SPACE
      copied = i + 1
    }
  }
  return result + text.slice(copied)
}
