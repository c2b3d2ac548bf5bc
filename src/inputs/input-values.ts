import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { Inputs } from '../action/action-yml.js'
import { MAX_RETRY_DELAY_MS } from '../exec/retry-policy.js'
import { parseDurationInput } from '../model/duration.js'
import { MAX_SHARDS, type Shard } from '../model/shard.js'
import { type BatchSize, type FailFastThreshold } from './settings.js'

/** Parses `max-workers`: a whole number from 1 up, `auto` (the CPUs available) or `N%` of them. */
export function parseMaxWorkers(value: string, cpus: number = availableParallelism()): number {
  const text = value.trim()
  if (text === 'auto') return Math.max(1, cpus)
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  if (percent && Number(percent[1]) > 0) {
    return Math.max(1, Math.floor((cpus * Number(percent[1])) / 100))
  }
  const whole = positiveWhole(text)
  if (whole !== undefined) return whole
  throw new Error(
    `Invalid ${Inputs.MaxWorkers} '${value}'. Expected a whole number from 1 up, 'auto', ` +
      `or a percentage of the CPUs such as '50%'.`
  )
}

/** Parses `pull-request`: empty for the event's pull request, else its number. */
export function parsePullRequest(value: string): number | undefined {
  const text = value.trim().replace(/^#/, '')
  if (text === '') return undefined
  const whole = positiveWhole(text)
  if (whole !== undefined) return whole
  throw new Error(
    `Invalid ${Inputs.PullRequest} '${value}'. Expected a pull request number such as 42, or ` +
      "empty for the event's pull request."
  )
}

/** A list input: one entry per line or separated by commas, blanks dropped. */
export function listInput(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
}

/**
 * Parses `shard`: empty for none, else `{index}/{total}` with a 0-based index, as the matrix's
 * `strategy.job-index` and `strategy.job-total` give them.
 */
export function parseShard(value: string): Shard | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(text)
  const index = Number(match?.[1])
  const total = Number(match?.[2])
  if (match && total >= 1 && total <= MAX_SHARDS && index < total) return { index, total }
  throw new Error(
    `Invalid ${Inputs.Shard} '${value}'. Expected {index}/{total} with a 0-based index below the ` +
      `total (at most ${MAX_SHARDS}, as a matrix has at most ${MAX_SHARDS} jobs), such as ` +
      '${{ strategy.job-index }}/${{ strategy.job-total }}, or empty for no sharding.'
  )
}

/**
 * Parses `timeout` (or `total-timeout`): empty for none, else a duration such as `90s` or `5m`,
 * up to MAX_DURATION_MS.
 */
export function parseTimeout(value: string, input: string = Inputs.Timeout): number | undefined {
  if (value.trim() === '') return undefined
  return parseDurationInput(
    value,
    `Invalid ${input}`,
    "'90' (seconds), '90s', '5m' or '1h30m', or empty for no limit"
  )
}

/**
 * Parses `fail-fast`: `false` (never), `true` (the first task that does not succeed), a whole
 * number N (once N tasks have not succeeded) or N% (once N percent of the tasks that run, reused
 * ones left out, have not: see failureBase).
 */
export function parseFailFast(value: string): FailFastThreshold | undefined {
  const text = value.trim()
  if (['false', 'False', 'FALSE'].includes(text)) return undefined
  if (['true', 'True', 'TRUE'].includes(text)) return { count: 1 }
  const count = positiveWhole(text)
  if (count !== undefined) return { count }
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text)
  if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100)
    return { percent: Number(percent[1]) }
  throw new Error(
    `Invalid ${Inputs.FailFast} '${value}'. Expected 'true', 'false', a whole number of tasks from 1 up, ` +
      `or a percentage of all tasks such as '10%'.`
  )
}

/** Parses `stop-on-success`: 0 (never) or a whole number of tasks. */
export function parseStopOnSuccess(value: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new Error(
    `Invalid ${Inputs.StopOnSuccess} '${value}'. Expected a whole number of tasks, or 0 for never.`
  )
}

/** Parses `retries`: a whole number from 0 up. */
export function parseRetries(value: string): number {
  const text = value.trim()
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
  throw new Error(`Invalid ${Inputs.Retries} '${value}'. Expected a whole number from 0 up.`)
}

/** Parses `retry-delay`: `0` or a duration such as `1s`, `500ms` or `1m`, up to the retry cap. */
export function parseRetryDelay(value: string): number {
  if (/^\s*0+(\.0*)?(ms|s|m|h|d)?\s*$/.test(value)) return 0
  // A longer first delay would be cut to the cap without a word.
  return parseDurationInput(
    value,
    `Invalid ${Inputs.RetryDelay}`,
    "'1s', '500ms' or '1m', or 0",
    MAX_RETRY_DELAY_MS
  )
}

/** Parses a boolean input as the YAML 1.2 core schema spells it (as core.getBooleanInput). */
export function parseBoolean(input: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Invalid ${input} '${value}'. Expected 'true' or 'false'.`)
}

/** Parses an enum-valued input, naming the allowed values when it is not one of them. */
export function parseEnum<E extends Record<string, string>>(
  input: string,
  value: string,
  values: E
): E[keyof E] {
  const allowed = Object.values(values)
  const text = value.trim()
  if (allowed.includes(text)) return text as E[keyof E]
  throw new Error(`Invalid ${input} '${value}'. Expected one of: ${allowed.join(', ')}.`)
}

/** Parses `working-directory`: an existing directory, or empty for the current one. */
export async function parseWorkingDirectory(value: string): Promise<string> {
  const directory = resolve(value)
  if (value === '') return directory
  const stats = await stat(directory).catch(() => undefined)
  if (!stats?.isDirectory()) {
    throw new Error(
      `Invalid ${Inputs.WorkingDirectory} '${value}': ${stats ? 'not a directory' : 'no such directory'}. ` +
        'Expected an existing directory.'
    )
  }
  return directory
}

/** Parses `batch-size`: a whole number of items per command from 1 up, or `auto`. */
export function parseBatchSize(value: string): BatchSize {
  const text = value.trim()
  if (text === 'auto') return 'auto'
  const whole = positiveWhole(text)
  if (whole !== undefined) return whole
  throw new Error(
    `Invalid ${Inputs.BatchSize} '${value}'. Expected a whole number of at least 1, or auto.`
  )
}

/** Powers of 1024 each size unit stands for, as GNU parallel's and docker's upper-case units. */
const SIZE_UNITS: Record<string, bigint> = { k: 1n, m: 2n, g: 3n, t: 4n }

/**
 * Parses a size such as `512M`, `1.5G` or `2GiB` into bytes, counted in 1024s (K, M, G or T in
 * any case, optionally followed by B or iB); empty for none. A bare number, 0, a bad unit or more
 * than Number.MAX_SAFE_INTEGER bytes is refused, naming `input`.
 */
export function parseSize(value: string, input: string = Inputs.Memfree): number | undefined {
  const text = value.trim()
  if (text === '') return undefined
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgt])(?:i?b)?$/i.exec(text)
  if (match) {
    const [whole = '', fraction = ''] = (match[1] as string).split('.')
    const bytes = exactBytes(whole, fraction, SIZE_UNITS[(match[2] as string).toLowerCase()] ?? 0n)
    if (bytes >= 1n && bytes <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(bytes)
  }
  throw new Error(
    `Invalid ${input} '${value}'. Expected a size such as 512M or 2G (K, M, G or T, counted in 1024s).`
  )
}

/**
 * `whole.fraction` times 1024 to the `power`, rounded up to a whole byte: exact, so a limit is
 * never below the size written (1.2G is 1,288,490,189 bytes, said back as 1.2 GiB).
 */
function exactBytes(whole: string, fraction: string, power: bigint): bigint {
  const scale = 10n ** BigInt(fraction.length)
  const scaled = BigInt(`0${whole}${fraction}`) * 1024n ** power
  return (scaled + scale - 1n) / scale
}

/** The number of text that is a whole number from 1 up, digits only; else undefined. */
function positiveWhole(text: string): number | undefined {
  const number = Number(text)
  return /^\d+$/.test(text) && number >= 1 && Number.isSafeInteger(number) ? number : undefined
}
