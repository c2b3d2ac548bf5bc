/** How task output reaches the log. */
export enum LogMode {
  /** Each task's output printed whole, in one collapsible group, when the task ends. */
  Grouped = 'grouped',
  /** Lines as they come, each prefixed with the task's number and item. */
  Stream = 'stream',
  /** Only the output of tasks that did not succeed, grouped. */
  Failures = 'failures',
  /** No task output. */
  None = 'none'
}
