import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { type Outcome } from '../exec/scheduler.js'
import { type TaskRecord } from '../model/task-record.js'
import { type TaskObserver } from './task-observer.js'

/** Name of the job log in the run's directory: one JSON line per finished task, as it finishes. */
export const JOB_LOG_FILE = 'job-log.jsonl'

/**
 * Writes the job log: a line for each task that ran, as it ends, and for each reused task; under
 * `batch-size`, a line for each item of a batch, with its batch's number.
 */
export class JobLog implements TaskObserver {
  private readonly fd: number

  /** `expand`: the records of an outcome's items (a batch's members, one line each). */
  constructor(
    workDirectory: string,
    private readonly expand: (record: TaskRecord) => TaskRecord[] = record => [record]
  ) {
    this.fd = openSync(join(workDirectory, JOB_LOG_FILE), 'a')
  }

  settled(outcome: Outcome<TaskRecord>): void {
    if (outcome.value === undefined) return
    writeSync(this.fd, this.expand(outcome.value).map(jobLogLine).join(''))
  }

  close(): void {
    closeSync(this.fd)
  }
}

/** One line of the job log: GNU parallel's --joblog fields, as JSON. */
function jobLogLine(record: TaskRecord): string {
  return (
    JSON.stringify({
      seq: record.index + 1,
      slot: record.slot,
      start: record.startedAt === null ? null : record.startedAt / 1000,
      runtime: record.durationMs / 1000,
      exitCode: record.exitCode,
      signal: record.signal,
      attempts: record.attempts,
      status: record.status,
      ...(record.batch === undefined ? {} : { batch: record.batch }),
      item: record.item,
      command: record.command,
      // A reused task never ran: its line says which attempt's success stands for it.
      ...(record.reusedFrom === undefined ? {} : { reusedFrom: record.reusedFrom })
    }) + '\n'
  )
}
