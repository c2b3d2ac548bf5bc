import { type RunIdentity } from '../model/run-report.js'

/**
 * This workflow run's id and attempt, from GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT; undefined outside
 * a workflow run, or when either is not a whole number from 1 up (nothing could then be reused by
 * attempt, and nothing is recorded under a made-up one).
 */
export function runIdentity(env: NodeJS.ProcessEnv = process.env): RunIdentity | undefined {
  const id = positiveWholeNumber(env.GITHUB_RUN_ID)
  const attempt = positiveWholeNumber(env.GITHUB_RUN_ATTEMPT)
  return id === undefined || attempt === undefined ? undefined : { id, attempt }
}

/** The number a variable holds when it is written as digits only, from 1 up and safe; else undefined. */
function positiveWholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,16}$/.test(text)) return undefined
  const number = Number(text)
  return Number.isSafeInteger(number) && number >= 1 ? number : undefined
}
