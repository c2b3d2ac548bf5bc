/** A count as people read it: `2,000`. */
export function count(value: number): string {
  return value.toLocaleString('en-US')
}

/** A count and its noun, plural unless the count is 1: `1 task`, `1,234 tasks`, `2 summaries`. */
export function counted(value: number, noun: string, plural = `${noun}s`): string {
  return `${count(value)} ${value === 1 ? noun : plural}`
}
