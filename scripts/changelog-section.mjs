#!/usr/bin/env node
// Prints the CHANGELOG.md section of one version, without its heading: the notes of that
// version's GitHub release. Fails, naming the version, when the changelog has no such section or
// the section is empty, so a tag is never released without notes.
//
//   node scripts/changelog-section.mjs v1.2.3 [CHANGELOG.md]
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The body of the `## [version]` section of a Keep a Changelog text, trimmed; undefined if none. */
export function changelogSection(changelog, version) {
  const wanted = version.replace(/^v/, '')
  const lines = changelog.split(/\r?\n/)
  const start = lines.findIndex(line => sectionVersion(line) === wanted)
  if (start === -1) return undefined
  const rest = lines.slice(start + 1)
  const end = rest.findIndex(line => sectionVersion(line) !== undefined || isLinkDefinition(line))
  const body = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim()
  return body === '' ? undefined : body
}

/** The version a `## [1.2.3] - 2026-12-07` (or `## 1.2.3`) heading names; undefined for others. */
function sectionVersion(line) {
  return /^## \[?v?([^\]\s]+)\]?(?:\s|$)/.exec(line)?.[1]
}

/** A `[1.2.3]: https://…` line, which Keep a Changelog puts after the last section. */
function isLinkDefinition(line) {
  return /^\[[^\]]+\]:\s/.test(line)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2)
  if (!version) {
    console.error('Usage: node scripts/changelog-section.mjs <version or tag> [CHANGELOG.md]')
    process.exit(2)
  }
  const section = changelogSection(readFileSync(file, 'utf8'), version)
  if (section === undefined) {
    console.error(
      `${file} has no section, or an empty one, for ${version}: add '## [${version.replace(/^v/, '')}] - <date>' with its changes.`
    )
    process.exit(1)
  }
  process.stdout.write(`${section}\n`)
}
