import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TaskStatus } from '../../src/model/task-status.js'
import { repositoryUrl, utcMinute } from '../../src/report/run-links.js'
import { buildSummary, DEFAULT_SUMMARY_LIMITS } from '../../src/report/summary.js'
import { record, report } from '../helpers/records.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

describe('utcMinute', () => {
  it('names every month by the same three letters, whatever the ICU data says', () => {
    for (const [month, name] of MONTHS.entries()) {
      expect(utcMinute(Date.UTC(2026, month, 7, 9, 5))).toBe(`7 ${name} 2026 09:05 UTC`)
    }
    expect(utcMinute(Number.NaN)).toBe('')
  })
})

/** A plain link to one attempt of a run: the only kind the summary may hold. */
const ATTEMPT_LINK =
  /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?\/[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/actions\/runs\/\d+\/attempts\/\d+$/

/** Pieces the runner's variables are made of, and pieces that must never reach a link. */
const piece = fc.oneof(
  fc.constantFrom('https://', 'http://', 'javascript:', '//', 'github.com', 'ghe.example', ':8443'),
  fc.constantFrom('/', '.', '..', '"', "'", '<', '>', ' ', '\n', '?', '#', '@', '\\', '%2F', 'é'),
  fc.constantFrom('octo', 'app', 'my.repo', 'a-b', '_x', '-'),
  fc.string({ maxLength: 6 })
)
/** A runner's variable: any pieces, a seed value (most valid), or a seed with pieces around it. */
const variable = (...seeds: string[]): fc.Arbitrary<string | undefined> =>
  fc.option(
    fc.oneof(
      fc.array(piece, { maxLength: 6 }).map(parts => parts.join('')),
      fc.constantFrom(...seeds),
      fc
        .tuple(piece, fc.constantFrom(...seeds), piece)
        .map(([before, value, after]) => `${before}${value}${after}`),
      fc.tuple(fc.constantFrom(...seeds), piece).map(([value, after]) => `${value}${after}`)
    ),
    { nil: undefined, freq: 20 }
  )

describe('repositoryUrl', () => {
  it('refuses a host a browser would read as another address', () => {
    const url = (server: string): string | undefined =>
      repositoryUrl({ GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: 'octo/app' })
    expect(url('https://0')).toBeUndefined()
    expect(url('https://010.1')).toBeUndefined()
    expect(url('http://0x7f.1:8080')).toBeUndefined()
    expect(url('https://10.0.0.5')).toBe('https://10.0.0.5/octo/app')
    expect(url('https://GHE.example:8443')).toBe('https://GHE.example:8443/octo/app')
  })
})

describe('repositoryUrl (property)', () => {
  it("gives the summary no link, or a plain link to a run attempt, whatever the runner's variables", () => {
    let cases = 0
    let linked = 0
    fc.assert(
      fc.property(
        variable(
          'https://github.com',
          'http://ghe.example:8080',
          'https://GHE.example',
          'https://10.0.0.5',
          'https://0'
        ),
        variable('octo/app', 'o/my.repo_1', 'a-b/..x', 'octo/..', 'octo/.', '_/-'),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 1000 }),
        (server, repository, runId, attempt) => {
          cases++
          const env = { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository }
          const reused = record(0, 'a', TaskStatus.Reused, {
            reusedFrom: { runId, attempt, at: 0 }
          })
          const text = buildSummary(report([reused]), 'ci', DEFAULT_SUMMARY_LIMITS, {
            repository: repositoryUrl(env)
          })
          const hrefs = [...text.matchAll(/href="([^"]*)"/g)].map(match => match[1] as string)
          // The reused list's heading and the table's cell link the same attempt, or neither does.
          expect(new Set(hrefs).size).toBeLessThanOrEqual(1)
          if (hrefs.length > 0) linked++
          for (const href of hrefs) {
            expect(href).toMatch(ATTEMPT_LINK)
            expect(href.endsWith(`/actions/runs/${runId}/attempts/${attempt}`)).toBe(true)
            // A browser reads it as written: that host, that path, nothing else.
            const url = new URL(href)
            const [, , authority, ...path] = href.split('/')
            expect(url.hostname).toBe((authority ?? '').replace(/:\d+$/, '').toLowerCase())
            expect(url.pathname).toBe(`/${path.join('/')}`)
            expect(url.username + url.password + url.search + url.hash).toBe('')
            expect(url.pathname.split('/').slice(1, 3)).toEqual((repository ?? '').split('/'))
          }
        }
      ),
      { numRuns: 3000 }
    )
    // Enough of the tries link, and enough do not.
    expect(cases).toBe(3000)
    expect(linked).toBeGreaterThan(100)
    expect(linked).toBeLessThan(2900)
    console.log(`repositoryUrl: ${cases} cases, ${linked} linked`)
  })
})
