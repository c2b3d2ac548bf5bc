/**
 * The line that stands for the lines left out between the head and the tail of a text, without
 * its line break: `… 1 line left out …`, `… 1,234 lines left out …`. The log, the results and the
 * summary all say it so.
 */
export function leftOutLinesMark(count: number): string {
  return `… ${count.toLocaleString('en-US')} ${count === 1 ? 'line' : 'lines'} left out …`
}
