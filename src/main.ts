import * as core from './action/actions-core.js'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs } from './inputs/read-inputs.js'
import { Halt, HaltKind } from './model/halt.js'
import {
  concludeStep,
  publishEmptyOutputs,
  publishOutputs,
  RunnerFileProblems
} from './report/publish.js'
import { runStep } from './run/run-step.js'

/** The action's entry point: reads the inputs, runs the step, reports. */
export async function run(): Promise<void> {
  const stop = listenForStop()
  const files = new RunnerFileProblems()
  let outputsSet = false
  try {
    const settings = await getInputs()
    // One directory per run for the results, the job log, spilled output and the tasks' own files.
    const workDirectory = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'parallel-exec-'))
    const outcome = await runStep(settings, workDirectory, stop.signal)
    await publishOutputs(outcome, workDirectory, files)
    outputsSet = true
    await concludeStep(outcome, settings, files)
  } catch (error) {
    // Every path sets the outputs, so a later step's `failed-items != '[]'` sees a list.
    if (!outputsSet) await publishEmptyOutputs(files)
    core.setFailed(error instanceof Error ? error.message : String(error))
  } finally {
    files.failStep()
    stop.dispose()
  }
}

/** Turns the runner's SIGINT and SIGTERM into a cancellation of the run. */
function listenForStop(): { signal: AbortSignal; dispose: () => void } {
  const cancellation = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancellation.signal.aborted) return
    core.info(`Received ${signal}: stopping every running task.`)
    cancellation.abort(new Halt(HaltKind.Cancelled, `the runner sent ${signal}`))
  }
  // Without handlers Node dies at once on SIGINT/SIGTERM and orphans every task.
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const dispose = (): void => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return { signal: cancellation.signal, dispose }
}
