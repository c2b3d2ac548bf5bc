const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y

/**
 * The longest duration any input may give: Node fires a timer set past 2^31-1 ms (about 24.8
 * days) after 1 ms instead, so a longer limit would end every task at once.
 */
export const MAX_DURATION_MS = 24 * 86_400_000

/**
 * Parses a duration such as `90` (seconds), `90s`, `500ms`, `5m`, `1.5h`, `1h30m` or `2d` into
 * milliseconds. Returns undefined when the text is not a positive duration.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return positive(Number(value) * 1000)
  let total = 0
  PART.lastIndex = 0
  while (PART.lastIndex < value.length) {
    const match = PART.exec(value)
    if (!match) return undefined
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number)
  }
  return value.length > 0 ? positive(total) : undefined
}

/**
 * Parses a duration input up to `maxMs`; else throws `{subject} '{value}'. Expected a duration up
 * to {max}, such as {examples}.`, the subject naming the input (`Invalid timeout`).
 */
export function parseDurationInput(
  value: string,
  subject: string,
  examples: string,
  maxMs: number = MAX_DURATION_MS
): number {
  const ms = parseDuration(value)
  if (ms !== undefined && ms <= maxMs) return ms
  throw new Error(
    `${subject} '${value}'. Expected a duration up to ${formatLimit(maxMs)}, such as ${examples}.`
  )
}

/** A limit in its largest whole unit: `24d`, `10m`. */
export function formatLimit(ms: number): string {
  const [unit, size] = Object.entries(UNIT_MS)
    .sort(([, a], [, b]) => b - a)
    .find(([, size]) => ms % size === 0) as [string, number]
  return `${ms / size}${unit}`
}

function positive(ms: number): number | undefined {
  // Rounded first: '0.4ms' would otherwise become a limit of 0, which means none.
  const rounded = Math.round(ms)
  return Number.isFinite(rounded) && rounded > 0 ? rounded : undefined
}

/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const pad = (n: number): string => String(n).padStart(2, '0')
  return hours > 0 ? `${hours}h ${pad(minutes)}m` : `${minutes}m ${pad(seconds)}s`
}

/**
 * Formats a wait in whole units, rounded up, for messages about pauses and limits: `150 ms`, `2 s`,
 * `3 min`. Use formatDuration for how long something took.
 */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  return ms >= 120_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`
}

/**
 * Milliseconds on a monotonic clock, for measuring a duration. Not `performance.now()`: the
 * `performance` global loads eight of Node's modules on first use (about 1 ms of start-up).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}
