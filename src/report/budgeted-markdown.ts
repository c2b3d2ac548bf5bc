/** A section of entries of which only those that fit the budget are shown. */
export interface BudgetedSection<T> {
  /** Everything the section could show, in order. */
  entries: readonly T[]
  /** Most entries tried; the rest are left out whatever room is left. */
  max?: number
  /** An entry's Markdown; called only for the entries tried, so large inputs cost little. */
  render: (entry: T) => string
  /** Bytes the whole document may have spent once an entry is in; the first one past it ends the section. */
  limit: number
  /** A part shown before the entries when any is kept. */
  heading?: string
  /** The part that shows the entries kept, always present (a table, say); by default the entries as they are. */
  wrap?: (kept: string[]) => string
  /** The note that says how many entries were left out, when any were. */
  leftOut?: (count: number) => string
}

/**
 * Markdown made of parts joined by line breaks, where sections append entries while they fit a
 * byte budget and say how many they left out. Only fixed parts and entries are counted against
 * the budget (each with its line break); wrappers and notes are small and live in the room the
 * limits keep. An entry that does not fit ends its section and is not counted: the sections
 * after it keep their room, which matters when an early section (the failures) meets a huge entry.
 */
export class BudgetedMarkdown {
  private readonly parts: string[] = []
  private spent = 0

  /** Appends parts that are always shown, counted against the budget. */
  add(...parts: string[]): void {
    for (const part of parts) this.spent += Buffer.byteLength(part) + 1
    this.parts.push(...parts)
  }

  /** Appends as many of the section's entries as fit, then its note on those left out. */
  section<T>(section: BudgetedSection<T>): void {
    const kept: string[] = []
    for (const entry of section.entries.slice(0, section.max)) {
      const text = section.render(entry)
      const bytes = Buffer.byteLength(text) + 1
      if (this.spent + bytes > section.limit) break
      this.spent += bytes
      kept.push(text)
    }
    if (section.wrap !== undefined) this.parts.push(section.wrap(kept))
    else if (kept.length > 0) {
      if (section.heading !== undefined) this.parts.push(section.heading)
      this.parts.push(...kept)
    }
    const leftOut = section.entries.length - kept.length
    if (leftOut > 0 && section.leftOut !== undefined) this.parts.push(section.leftOut(leftOut))
  }

  /** The Markdown written so far. */
  text(): string {
    return this.parts.join('\n')
  }
}
