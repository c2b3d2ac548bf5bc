import { randomBytes } from 'node:crypto'

/**
 * Most neutralisations one guard opens in `annotations` mode: each registers its token as a secret
 * on newer runners (docs/decisions/002-own-workflow-commands.md).
 */
export const MAX_WRAPS = 100

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

/** 128 random bits as hex: a legal stop token that task output cannot guess. */
export function randomToken(): string {
  return randomBytes(16).toString('hex')
}

/** The lines that stop and resume the runner's commands, a fresh token for each stop. */
export class StopCommands {
  private token = ''
  private opened = 0
  private stopped = false

  constructor(private readonly newToken: () => string) {}

  /** Whether commands are stopped (a stop line was returned and its resume line not yet). */
  get isOpen(): boolean {
    return this.stopped
  }

  /** Whether a stop may follow the current one's resume without passing MAX_WRAPS. */
  get mayReopen(): boolean {
    return this.opened < MAX_WRAPS
  }

  /** The `::stop-commands::<token>` line, with a fresh token. */
  open(): Buffer {
    const token = this.newToken()
    if (!TOKEN_PATTERN.test(token) || RUNNER_COMMANDS.has(token.toLowerCase())) {
      throw new Error(
        'CommandGuard: a stop token must be 16 or more letters, digits, _ or -, and no command name'
      )
    }
    this.token = token
    this.stopped = true
    this.opened++
    return Buffer.from(`::stop-commands::${token}\n`)
  }

  /** The `::<token>::` line that resumes commands, after a line break when `newLine`. */
  close(newLine = false): Buffer {
    this.stopped = false
    return Buffer.from(`${newLine ? '\n' : ''}::${this.token}::\n`)
  }
}
