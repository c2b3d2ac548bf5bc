import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'

/** What `node scripts/runner-view.mjs` shows for a raw log. */
function view(log: string): string {
  const result = spawnSync(process.execPath, ['scripts/runner-view.mjs'], {
    input: log,
    encoding: 'utf8'
  })
  expect(result.stderr).toBe('')
  return result.stdout
}

describe('runner-view', () => {
  it('shows group titles and annotations unescaped, and the lines of a group under it', () => {
    expect(
      view(
        [
          'Running 1 item',
          '::group::✅ #1 a%250Ab%0A: succeeded',
          'a%0Ab',
          '::endgroup::',
          '::error title=pkg%3A x%2C y,line=3::Task 1 failed:%0Afirst%25%0D%0Asecond',
          '::debug::took 1 ms',
          '##[warning file=a.ts;line=2]legacy%25',
          '  ::notice::after spaces'
        ].join('\n')
      )
    ).toBe(
      [
        'Running 1 item',
        '▼ ✅ #1 a%0Ab\n: succeeded',
        '  a%0Ab',
        'Error (title=pkg: x, y, line=3): Task 1 failed:',
        '  first%',
        '  second',
        'Debug: took 1 ms',
        'Warning (file=a.ts, line=2): legacy%',
        'Notice: after spaces',
        ''
      ].join('\n')
    )
  })

  it('shows masked values as ***, and every line between stop-commands and its token as text', () => {
    expect(
      view(
        [
          '::add-mask::s3cret',
          'the s3cret is out',
          '::stop-commands::T0KEN',
          '::error::not an annotation%0A',
          '::add-mask::other',
          '::t0ken::',
          'other s3cret',
          '::unknown::text',
          '::set-output name=a::b'
        ].join('\n')
      )
    ).toBe(
      [
        'the *** is out',
        '::error::not an annotation%0A',
        '::add-mask::other',
        'other ***',
        '::unknown::text',
        '::set-output name=a::b',
        ''
      ].join('\n')
    )
  })
  it('leaves commands on after a stop-commands token the runner ignores', () => {
    for (const token of ['', 'pause-logging', 'warning']) {
      expect(view([`::stop-commands::${token}`, '::warning::w', '::error::e'].join('\n'))).toBe(
        ['Warning: w', 'Error: e', ''].join('\n')
      )
    }
  })
})
