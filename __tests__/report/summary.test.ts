import { describe, expect, it } from '@jest/globals'
import { buildSummary } from '../../src/report/summary.js'
import { escapeHtml, escapeMarkdown } from '../../src/report/markdown-escape.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record, report } from '../helpers/records.js'

describe('buildSummary', () => {
  it('heads with the counts, wall time, workers and speed-up', () => {
    const text = buildSummary(
      report([
        record(0, 'a', TaskStatus.Success),
        record(1, 'b', TaskStatus.Failure, { outputTail: 'bad\n' })
      ])
    )
    expect(text).toContain('## ❌ parallel-exec: 1 of 2 succeeded')
    expect(text).toContain(
      '**1** succeeded · **1** failed · **0** timed out · **0** cancelled · **0** skipped'
    )
    expect(text).toContain('Wall time **2.0s** on **2** workers (bash)')
    expect(text).toContain('speed-up over running one by one: **1.0×**')
    expect(text).toContain(
      '<td>❌ failed</td><td><code>b</code></td><td>1</td><td>1.0s</td><td>1</td>'
    )
    expect(text).toContain('<details><summary>❌ failed: <code>b</code></summary>')
    expect(text).toContain('<pre>bad\n</pre>')
  })

  it('escapes items and output so they cannot inject HTML or break the table', () => {
    const hostile = '<img src=x onerror=alert(1)>\n| a | b |\n\n## heading'
    const text = buildSummary(
      report([
        record(0, hostile, TaskStatus.Failure, { outputTail: '</pre><script>x</script>\n\n# h' })
      ])
    )
    expect(text).not.toContain('<img')
    expect(text).not.toContain('<script>')
    expect(text).not.toContain('</pre><')
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;⏎| a | b |⏎⏎## heading')
    // A blank line would end the HTML block of the table and let Markdown in.
    const table = text.slice(text.indexOf('<table>'), text.indexOf('</table>'))
    expect(table).not.toContain('\n\n')
  })

  it('lists failures first in long tables, caps rows and tails, and says what it left out', () => {
    const records = Array.from({ length: 100 }, (_, i) =>
      record(i, `item-${i}`, i % 10 === 9 ? TaskStatus.Failure : TaskStatus.Success, {
        outputTail: 'x'.repeat(10_000)
      })
    )
    const text = buildSummary(report(records), {
      maxRows: 30,
      maxTails: 3,
      maxTailChars: 100,
      maxBytes: 512 * 1024
    })
    const firstRows = text.split('<tr>').slice(2, 12)
    expect(firstRows.every(row => row.includes('❌ failed'))).toBe(true)
    expect(text.split('<tr>')).toHaveLength(1 + 1 + 30)
    expect(text).toContain(
      '_70 more tasks not shown; every result is in the `results-file` output._'
    )
    expect(text.match(/<details><summary>❌/g)).toHaveLength(3)
    expect(text).toContain('_Output of 7 more failed tasks not shown._')
    expect(text).not.toContain('x'.repeat(101))
  })

  it('stays under its byte budget with 100,000 items and huge failure tails that escape 6×', () => {
    const records = Array.from({ length: 100_000 }, (_, i) =>
      record(i, `${'"'.repeat(300)}-${i}`, i % 2 ? TaskStatus.Failure : TaskStatus.Success, {
        outputTail: '"'.repeat(8192)
      })
    )
    const text = buildSummary(report(records))
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512 * 1024)
    expect(text).toContain('more tasks not shown')
    expect(text).toContain('more failed tasks not shown')
    expect(text.match(/<details>/g)?.length).toBeGreaterThan(5)
  })

  it('mentions a halt', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Skipped)], { haltReason: 'fail-fast <x>' })
    )
    expect(text).toContain('Halted early: fail\\-fast &lt;x&gt;.')
  })
})

describe('escapeHtml', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
    )
  })
})

describe('what tasks add to the summary', () => {
  it('lists retried tasks and each task’s own summary under its heading', () => {
    const text = buildSummary(
      report([
        record(0, 'a', TaskStatus.Success, { attempts: 3 }),
        record(1, 'b_[x](y)', TaskStatus.Success, { summary: '**bold** from b\n' }),
        record(2, 'c', TaskStatus.Success, { summary: '  \n' })
      ])
    )
    expect(text).toContain('🔁 1 task needed retries: a (3 attempts).')
    expect(text).toContain('## Task summaries')
    expect(text).toContain('### 2\\. b\\_\\[x\\]\\(y\\)\n\n**bold** from b\n')
    expect(text).not.toContain('### 3')
  })

  it('keeps task summaries within the byte budget and says how many were left out', () => {
    const records = Array.from({ length: 50 }, (_, i) =>
      record(i, `t${i}`, TaskStatus.Success, { summary: 's'.repeat(60_000) })
    )
    const text = buildSummary(report(records))
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(512 * 1024)
    expect(text).toMatch(/_\d+ more task summaries left out to stay within the size limit/)
  })

  it('escapes Markdown in the halt reason, so an item cannot become an image or a link', () => {
    const text = buildSummary(
      report([record(0, 'a', TaskStatus.Failure)], {
        haltReason:
          'fail-fast after task 1 (see ![pixel](https://example.invalid/t.png)) ended failure'
      })
    )
    expect(text).toContain('see \\!\\[pixel\\]\\(https://example\\.invalid/t\\.png\\)\\)')
    expect(text).not.toContain('![pixel](')
  })
})

describe('charts', () => {
  it('draws a timeline of the tasks that ran, open for small runs', () => {
    const text = buildSummary(
      report([
        record(0, 'a', TaskStatus.Success, { slot: 1 }),
        record(1, 'b', TaskStatus.Failure, { slot: 2 }),
        record(2, 'c', TaskStatus.Skipped)
      ])
    )
    expect(text).toContain(
      '<details open><summary>Timeline: 2 tasks on 2 workers</summary>\n\n```mermaid\n'
    )
    expect(text).toMatch(/```mermaid\n[^`]*\bgantt\n[^`]*```/)
    expect(text).not.toContain('flowchart')
  })

  it('draws the task graph for named tasks, and collapses charts of large runs', () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      record(i, `t${i}`, TaskStatus.Success, { needs: i === 0 ? [] : [`t${i - 1}`] })
    )
    const text = buildSummary(report(records))
    expect(text).toContain('<details><summary>Task graph</summary>\n\n```mermaid\n')
    expect(text).toMatch(/```mermaid\n[^`]*\bflowchart\b[^`]*```/)
    expect(text).toContain('<details><summary>Timeline: 30 tasks on 2 workers</summary>')
  })
})

describe('escapeMarkdown', () => {
  it('escapes HTML and Markdown punctuation', () => {
    expect(escapeMarkdown('<b>*x*</b> [a](b) `c` # _d_ ~e~ | 1. +')).toBe(
      '&lt;b&gt;\\*x\\*&lt;/b&gt; \\[a\\]\\(b\\) \\`c\\` \\# \\_d\\_ \\~e\\~ \\| 1\\. \\+'
    )
  })
})
