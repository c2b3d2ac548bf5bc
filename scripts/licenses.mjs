// Writes dist/licenses.txt: the license of every production dependency, which is what the bundle
// can contain. (ncc's own --license lists only the last chunk's packages once the bundle is split
// by a dynamic import.)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const seen = new Set()
const entries = []
for (const [path, info] of Object.entries(lock.packages)) {
  if (path === '' || info.dev) continue
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
  const key = `${manifest.name}@${manifest.version}`
  if (seen.has(key)) continue
  seen.add(key)
  const file = readdirSync(path).find(name => /^licen[cs]e/i.test(name))
  const text = file ? readFileSync(join(path, file), 'utf8').trim() : ''
  entries.push({
    key,
    text: `${manifest.name} ${manifest.version}\n${manifest.license ?? 'UNKNOWN'}\n${text}`
  })
}
entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
writeFileSync('dist/licenses.txt', entries.map(entry => entry.text).join('\n\n') + '\n')
