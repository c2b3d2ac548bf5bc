import { AnnotationFilter } from './annotation-filter.js'
import { ANNOTATION_NAMES, BRACKET, COLON, CR, HASH, LF, SPACE } from './command-syntax.js'
import { PassAll, WrapAll, type GuardPolicy } from './guard-policies.js'
import { leadingBlanks } from './line-start.js'
import { randomToken, StopCommands } from './stop-commands.js'

export { MAX_HELD_BYTES } from './annotation-filter.js'
export { MAX_WRAPS } from './stop-commands.js'

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
 * Neutralises the workflow commands `mode` forbids in one stream of task output, every byte kept
 * (docs/decisions/002-own-workflow-commands.md, The guard for task output).
 */
export class CommandGuard {
  private readonly policy: GuardPolicy

  constructor(mode: WorkflowCommands, newToken: () => string = randomToken) {
    if (!Object.values(WorkflowCommands).includes(mode)) {
      throw new Error(`CommandGuard: unknown mode ${String(mode)}`)
    }
    const wrap = new StopCommands(newToken)
    if (mode === WorkflowCommands.All) this.policy = new PassAll()
    else if (mode === WorkflowCommands.None) this.policy = new WrapAll(wrap)
    else this.policy = new AnnotationFilter(wrap)
  }

  /** True when everything returned so far ends at a line break (or nothing was returned). */
  get atLineStart(): boolean {
    return this.policy.atLineStart
  }

  /** The bytes to print for `chunk`, mostly views of it: print them before reusing `chunk`. */
  write(chunk: Buffer): Buffer[] {
    return this.policy.write(chunk)
  }

  /** Ends the stream: held bytes, then the line that resumes commands; may end mid-line. */
  end(): Buffer[] {
    return this.policy.end()
  }
}

/** True when the runner would act on the first line of `line` as a command `mode` lets through. */
export function passesAsCommand(line: Buffer, mode: WorkflowCommands): boolean {
  if (mode === WorkflowCommands.None) return false
  // The guard lets an annotation through only after certain white space.
  let i = leadingBlanks(line, mode === WorkflowCommands.All)
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
  return infoEnds(line, i + 1)
}

/** Whether "::" follows on the line from `from` ("::error file=a.ts,line=3::message"). */
function infoEnds(line: Buffer, from: number): boolean {
  for (let j = from; j < line.length - 1; j++) {
    const b = line[j] as number
    if (b === LF || b === CR) return false
    if (b === COLON && line[j + 1] === COLON) return true
  }
  return false
}

const ZERO_WIDTH_SPACE = '\u200b'

/** Text of ours with untrusted content, with a zero-width space where a command could start. */
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
