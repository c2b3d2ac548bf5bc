import { Inputs } from '../action/action-yml.js'
import { type SourceInputs } from './review-thread-inputs.js'
import { ItemsFrom, type BatchSize, type ReviewThreadSettings } from './settings.js'

/** What gives a review-threads run its items, for error messages. */
export const REVIEW_THREADS_SOURCE = `${Inputs.ItemsFrom} '${ItemsFrom.ReviewThreads}'`

/**
 * `matrix`, `items` and `items-file` exclude each other, and all exclude `tasks` (which has no
 * command); `items-from` is checked with its own inputs.
 */
export function checkOneSource(given: SourceInputs): void {
  if (given.matrix.trim() !== '') {
    const other = [
      given.items.trim() !== '' ? Inputs.Items : '',
      given.itemsFile !== '' ? Inputs.ItemsFile : '',
      given.tasks.trim() !== '' ? Inputs.Tasks : ''
    ].find(Boolean)
    if (other !== undefined) {
      throw new Error(
        `Invalid inputs: '${Inputs.Matrix}' is set together with '${other}'. Expected only one source of items.`
      )
    }
  }
  if (given.items.trim() !== '' && given.itemsFile !== '') {
    throw new Error(
      `Invalid inputs: both '${Inputs.Items}' and '${Inputs.ItemsFile}' are set. Expected only one of them.`
    )
  }
  if (
    given.tasks.trim() !== '' &&
    (given.items.trim() !== '' || given.itemsFile !== '' || given.command.trim() !== '')
  ) {
    throw new Error(
      `Invalid inputs: '${Inputs.Tasks}' is set together with '${Inputs.Items}', '${Inputs.ItemsFile}' or ` +
        `'${Inputs.Command}'. Expected either named tasks, or items and a command.`
    )
  }
}

/**
 * A `batch-size` other than 1 needs items and a command to put them in: tasks, review threads
 * (each replied to and resolved by its own task) and a merge have none.
 */
export function checkBatchSizeFits(
  batchSize: BatchSize,
  run: { given: SourceInputs; threads: ReviewThreadSettings | undefined; mergePattern: string }
): void {
  if (batchSize === 1) return
  const refuse = (together: string, expected: string): never => {
    throw new Error(
      `Invalid inputs: '${Inputs.BatchSize}' is ${batchSize} together with ${together}. Expected ${expected}`
    )
  }
  if (run.mergePattern !== '') {
    refuse(`'${Inputs.MergeResults}'`, 'batch-size in the jobs that run the tasks.')
  }
  if (run.given.tasks.trim() !== '') {
    refuse(`'${Inputs.Tasks}'`, 'batch-size only with items: tasks run one command each.')
  }
  if (run.threads !== undefined) {
    refuse(
      REVIEW_THREADS_SOURCE,
      'batch-size 1 with review threads: each thread is replied to and resolved by its own task.'
    )
  }
  if (run.given.command.trim() === '') {
    refuse(
      `an empty '${Inputs.Command}'`,
      'a command template with a placeholder such as {} for the items of a batch: without one, ' +
        'each item is a command of its own.'
    )
  }
}
