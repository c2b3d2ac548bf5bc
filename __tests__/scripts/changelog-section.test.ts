import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SCRIPT = join('scripts', 'changelog-section.mjs')

const CHANGELOG = `# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

### Fixed

- Something not yet released.

## [1.1.0] - 2026-12-20

### Added

- \`## [2.0.0]\` inside a code span is no heading.
- A second line.

## [1.0.0] - 2026-12-07

### Added

- The first release.

## [0.9.0] - 2026-11-01

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0
`

/** Runs the script as the release workflow does, on a changelog with the given text. */
function section(
  version: string,
  text = CHANGELOG
): { status: number | null; out: string; err: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'changelog-')), 'CHANGELOG.md')
  writeFileSync(file, text)
  const result = spawnSync(process.execPath, [SCRIPT, version, file], { encoding: 'utf8' })
  return { status: result.status, out: result.stdout, err: result.stderr }
}

describe('changelog-section', () => {
  it('prints the body of the tag’s section, up to the next section, without its heading', () => {
    expect(section('v1.1.0')).toEqual({
      status: 0,
      out: '### Added\n\n- `## [2.0.0]` inside a code span is no heading.\n- A second line.\n',
      err: ''
    })
    expect(section('1.0.0').out).toBe('### Added\n\n- The first release.\n')
    expect(section('Unreleased').out).toBe('### Fixed\n\n- Something not yet released.\n')
  })

  it('stops at the link definitions after the last section', () => {
    const last = CHANGELOG.replace(
      '## [0.9.0] - 2026-11-01\n',
      '## [0.9.0] - 2026-11-01\n\n- Old.\n'
    )
    expect(section('v0.9.0', last).out).toBe('- Old.\n')
  })

  it('fails, naming the version, for a missing or empty section', () => {
    for (const version of ['v2.0.0', 'v0.9.0', 'v1.0']) {
      const { status, out, err } = section(version)
      expect(status).toBe(1)
      expect(out).toBe('')
      expect(err).toContain(`has no section, or an empty one, for ${version}`)
    }
    expect(section('').status).toBe(2)
  })

  it('finds a non-empty section for the version in package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    const result = spawnSync(process.execPath, [SCRIPT, `v${version}`], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('### Added')
  })
})
