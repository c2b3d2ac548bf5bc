import { describe, expect, it } from '@jest/globals'
import { checkCommentTemplate, renderComment } from '../../src/github/thread-items.js'
import { type ReviewThread } from '../../src/github/review-threads.js'
import { TaskStatus } from '../../src/model/task-status.js'
import { record } from '../helpers/records.js'

const thread: ReviewThread = {
  path: 'src/a.ts',
  line: null,
  author: 'alice',
  body: 'Rename {this} $(x)',
  startLine: null,
  diffSide: 'RIGHT',
  isOutdated: false,
  subjectType: 'FILE',
  url: 'https://github.com/o/r/pull/1#discussion_r1',
  id: 'T1',
  comments: [],
  viewerCanResolve: true
}

describe('checkCommentTemplate', () => {
  it('accepts the thread fields, {#}, {duration} and {outputs.NAME}', () => {
    expect(() =>
      checkCommentTemplate('{#} {path}:{line} by {author} {url} {id} {duration} {outputs.my-note}')
    ).not.toThrow()
    expect(() => checkCommentTemplate('plain text, JSON {"a": 1} and { spaced }')).not.toThrow()
  })

  it('names a placeholder that names nothing, and what is expected', () => {
    expect(() => checkCommentTemplate('Fixed {file}')).toThrow(
      'Invalid resolve-comment: {file} names nothing. Expected {#}, {id}, {path}, {line}, ' +
        '{startLine}, {diffSide}, {isOutdated}, {subjectType}, {url}, {author}, {body}, {duration} or {outputs.NAME}.'
    )
  })
})

describe('renderComment', () => {
  it('fills placeholders with plain text once: values are never read as placeholders', () => {
    const finished = record(4, thread as never, TaskStatus.Success, {
      durationMs: 1500,
      outputs: { note: 'see {path}' }
    })
    expect(
      renderComment(
        '#{#} {path}:{line} {body} ({duration}) {outputs.note}{outputs.none}',
        thread,
        finished
      )
    ).toBe('#5 src/a.ts: Rename {this} $(x) (1.5s) see {path}')
  })
})

describe('renderComment for a reused task', () => {
  it('says where it passed for {duration} and leaves its outputs empty, as they are not kept', () => {
    const reused = record(0, thread as never, TaskStatus.Reused, {
      reusedFrom: { runId: 123, attempt: 2, at: 0 }
    })
    expect(renderComment('#{#} {path} in {duration}.{outputs.note}', thread, reused)).toBe(
      '#1 src/a.ts in no time (it passed in run 123, attempt 2).'
    )
  })
})
