import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type Item } from '../../src/model/item.js'
import { cut as cutLabel, itemLabel } from '../../src/model/labels.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { escapeHtml } from '../../src/report/markdown-escape.js'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { tasksNeedingAttention } from '../../src/report/summary-failures.js'
import { wholeLinesWithin } from '../../src/report/whole-lines.js'
import { marked } from 'marked'
import { record, report } from '../helpers/records.js'

/** Markup, Markdown, bare addresses and line breaks in every spelling, or any UTF-16 code unit. */
const unit = fc.oneof(
  fc.constantFrom('<', '>', '&', '"', "'", '\n', '\r', '\n\n', '</pre>', '<script>', '`', '```'),
  fc.constantFrom('[a](b)', '![x](y)', '*', '_', '#', '|', '- ', '1. ', '\u2028', '\t', ' '),
  fc.constantFrom(' https://evil.example/r ', ' www.evil.example ', ' a@evil.example ', '**', '~~'),
  fc.integer({ min: 0, max: 0xffff }).map(code => String.fromCharCode(code)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })
)
const text = fc.string({ unit, maxLength: 40 })
const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.dictionary(text, text, { maxKeys: 2, noNullPrototype: true }) },
  // Objects named by a `name` or placed by a `path` (a review thread's shape): shown as that text.
  {
    weight: 1,
    arbitrary: fc.record(
      { name: fc.oneof(text, fc.integer()), path: text, line: fc.option(fc.integer()) },
      { requiredKeys: [], noNullPrototype: true }
    )
  }
)
/** Whether the item is shown by its name or place rather than as its JSON. */
const namedObject = (value: Item): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (typeof value.name === 'string' || typeof value.path === 'string')
const status = fc.constantFrom(...Object.values(TaskStatus))

/** The tags the summary writes itself; item or output text must never add another. */
const OUR_TAG =
  /^<\/?(details|summary|code|pre|p|table|tr|th|h2|h3|strong|ul|li)>|^<details open>|^<td( title="[a-z0-9 :,]+")?>|^<\/td>|^<a href="https:\/\/github\.com\/octo\/app\/actions\/runs\/\d+\/attempts\/\d+">|^<\/a>/

/** The repository a run may name: reused tasks link to their attempts under it. */
const REPOSITORY = 'https://github.com/octo/app'
/** The only links the summary may have: a reused task's attempt. */
const ATTEMPT_LINK = /^https:\/\/github\.com\/octo\/app\/actions\/runs\/\d+\/attempts\/\d+$/

/** Lines that open an HTML block, by the tag that must close on the same line. */
const ONE_LINE_BLOCK = /^(?:> )?<(p|h2|h3|ul|tr|summary)>|^<details(?: open)?><(summary)>/

/** How the summary's own notes, in italics, start: `The 3 tasks`, `7 more tasks`. */
const OUR_NOTE = /^(The )?[0-9][0-9,]* (more )?tasks? /

/** What a bold text of the summary's own may hold: counts, durations, a speed-up, a shard. */
const OUR_BOLD = /^[0-9][0-9,./ a-zµ×]*$/

describe('the summary over any items, names, signals and output', () => {
  it('adds no tag, link, image or emphasis, keeps each HTML block whole, and lists or counts every task that needs attention', () => {
    let tried = 0
    let retried = 0
    let blocked = 0
    let named = 0
    let linked = 0
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            item,
            status,
            attempts: fc.integer({ min: 1, max: 3 }),
            signal: fc.option(text),
            output: text,
            reason: text,
            error: fc.option(text),
            reusedFrom: fc.record({
              runId: fc.integer({ min: 1, max: 2 ** 40 }),
              attempt: fc.integer({ min: 1, max: 4 }),
              at: fc.integer({ min: 0, max: 4e12 })
            })
          }),
          { minLength: 1, maxLength: 30 }
        ),
        fc.string({ unit, minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.option(text),
        fc.option(fc.constant(REPOSITORY)),
        (tasks, title, maxFailures, haltReason, repository) => {
          tried++
          const names = tasks.map(task => task.item)
          if (names.some(namedObject)) named++
          const records = tasks.map((task, index) => {
            // Every other task needs the one before it; skipped after it did not succeed, it was
            // skipped for its needs, as the scheduler records it.
            const needs =
              index % 2 === 1 && typeof names[index - 1] === 'string'
                ? [names[index - 1] as string]
                : []
            const before = tasks[index - 1]?.status
            const forNeeds =
              needs.length > 0 &&
              task.status === TaskStatus.Skipped &&
              before !== TaskStatus.Success
            const reused = task.status === TaskStatus.Reused
            return record(index, task.item, task.status, {
              ...(reused ? { reusedFrom: task.reusedFrom, exitCode: null } : {}),
              signal: task.signal,
              outputTail: task.output,
              error: task.error,
              attempts: task.status === TaskStatus.Skipped || reused ? 0 : task.attempts,
              skipReason: task.reason,
              needs,
              ...(forNeeds ? { blockedBy: [index - 1] } : {}),
              startedAt: null,
              endedAt: null
            })
          })
          if (records.some(r => r.status === TaskStatus.Success && r.attempts > 1)) retried++
          if (records.some(r => r.blockedBy !== undefined)) blocked++
          if (records.some(r => r.status === TaskStatus.Reused) && repository !== null) linked++
          const run = report(records, { haltReason })
          const summary = buildSummary(
            run,
            title,
            { ...DEFAULT_SUMMARY_LIMITS, maxFailures },
            { repository: repository ?? undefined }
          )
          // Every `<` is one of the summary's own tags.
          for (let at = summary.indexOf('<'); at >= 0; at = summary.indexOf('<', at + 1)) {
            expect(summary.slice(at, at + 120)).toMatch(OUR_TAG)
          }
          // An HTML block that carries text is on one line: a line break in the text, a blank
          // line above all, would end the block and let Markdown read the rest.
          const withoutPre = summary.replace(/<pre>[^<]*<\/pre>/g, '<pre></pre>')
          for (const line of withoutPre.split('\n')) {
            const tag = ONE_LINE_BLOCK.exec(line)
            if (tag !== null) expect(line).toContain(`</${tag[1] ?? tag[2]}>`)
          }
          // As GFM renders it: no link, no image, no emphasis, no bold but the summary's own.
          const html = marked.parse(summary, { gfm: true, async: false })
          expect(html).not.toMatch(/<(img|del|h1|h4|ol|hr)\b/)
          for (const [, href] of html.matchAll(/<a\b([^>]*)>/g)) {
            expect(href).toMatch(/^ href="[^"]*"$/)
            expect(href?.slice(7, -1)).toMatch(ATTEMPT_LINK)
          }
          if (repository === null) expect(html).not.toMatch(/<a\b/)
          for (const [, bold] of html.matchAll(/<strong>([^<]*)<\/strong>/g)) {
            expect(bold).toMatch(OUR_BOLD)
          }
          for (const [, note] of html.matchAll(/<em>([\s\S]*?)<\/em>/g))
            expect(note).toMatch(OUR_NOTE)
          // Each task needing attention is shown with its output, or counted in the note after them.
          const needing = tasksNeedingAttention(run)
          const shown =
            summary.match(/^(<details( open)?><summary>|<p>)(❌|⏱️|⛔|⏭️) <code>/gmu)?.length ?? 0
          const more = Number(/_(\d+)(?: more)? tasks? did not succeed/.exec(summary)?.[1] ?? 0)
          expect(shown + more).toBe(needing.length)
          for (const task of needing.slice(0, shown)) {
            expect(summary).toContain(`<code>${escapeHtml(itemLabel(task.item, 120))}</code>`)
          }
        }
      ),
      { numRuns: 400, seed: 20261207 }
    )
    expect(tried).toBe(400)
    // The runs tried retries that passed and skips for needs, not only plain ends.
    expect(retried).toBeGreaterThan(40)
    expect(blocked).toBeGreaterThan(40)
    // and items named by an object's name or path.
    expect(named).toBeGreaterThan(40)
    // and reused tasks linked to their attempts.
    expect(linked).toBeGreaterThan(40)
  })
})

/** Output as lines: short and long ones, some empty, with or without a final line break. */
const output = fc
  .tuple(
    fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', 'é', '😀'), maxLength: 60 }), {
      maxLength: 80
    }),
    fc.boolean()
  )
  .map(([lines, final]) => lines.join('\n') + (final && lines.length > 0 ? '\n' : ''))

describe('wholeLinesWithin', () => {
  it('keeps whole first and last lines and counts exactly the lines it left out', () => {
    let tried = 0
    let cut = 0
    fc.assert(
      fc.property(output, fc.integer({ min: 1, max: 600 }), (text, maxChars) => {
        tried++
        const kept = wholeLinesWithin(text, maxChars)
        if (text.length <= maxChars) return expect(kept).toBe(text)
        cut++
        const lines = text.split(/(?<=\n)/)
        const marker = /^… (\d+) lines? left out …\n/m.exec(kept)
        if (marker === null) {
          // One line, longer than the limit: its start, cut with a mark (or whole, if only its
          // line break was over).
          expect(lines).toHaveLength(1)
          expect(kept === text || kept.endsWith('…\n')).toBe(true)
          return expect(kept.length).toBeLessThanOrEqual(maxChars + 1)
        }
        const head = kept.slice(0, marker!.index)
        const tail = kept.slice(marker!.index + marker![0].length)
        const left = Number(marker![1])
        const headLines = head === '' ? 0 : head.split(/(?<=\n)/).length
        const tailLines = tail === '' ? 0 : tail.split(/(?<=\n)/).length
        const whole =
          lines.slice(0, headLines).join('') === head && head.length + tail.length <= maxChars
        if (!whole) {
          // Not one whole line fits: the first line alone (cut with a mark if over), the rest counted.
          const first = (lines[0] as string).replace(/\n$/, '')
          expect(head).toBe(`${cutLabel(first, maxChars)}\n`)
          expect(tail).toBe('')
          expect(left).toBe(lines.length - 1)
          return
        }
        // Whole lines: the head is the first lines, the tail the last ones, the rest counted.
        expect(lines.slice(lines.length - tailLines).join('')).toBe(tail)
        expect(headLines + left + tailLines).toBe(lines.length)
      }),
      { numRuns: 3000 }
    )
    expect(tried).toBe(3000)
    expect(cut).toBeGreaterThan(300)
  })
})
