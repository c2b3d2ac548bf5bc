// Statistics over samples and the Markdown the bench prints.
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { availableParallelism, release, type } from 'node:os'

export function median(values) {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Median wall, min, max and peak RSS of a row's successful samples. */
export function rowStats(samples) {
  const ok = samples.filter(s => !s.error)
  const walls = ok.map(s => s.wallMs)
  const rss = samples.map(s => s.rssKb).filter(kb => kb !== null)
  return {
    runs: samples.length,
    failures: samples.length - ok.length,
    errors: [...new Set(samples.filter(s => s.error).map(s => s.error))],
    medianMs: median(walls),
    minMs: walls.length ? Math.min(...walls) : null,
    maxMs: walls.length ? Math.max(...walls) : null,
    peakRssKb: rss.length ? Math.max(...rss) : null
  }
}

/** Median over repetitions of a's wall / b's wall, both measured in the same repetition. */
export function pairedRatio(a, b) {
  const ratios = []
  for (const sample of a ?? []) {
    const other = (b ?? []).find(s => s.rep === sample.rep)
    if (!sample.error && other && !other.error) ratios.push(sample.wallMs / other.wallMs)
  }
  return median(ratios)
}

export function fmtMs(ms) {
  if (ms === null || ms === undefined) return 'n/a'
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`
}

export const fmtRss = kb =>
  kb === null || kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(1)} MiB`
export const fmtRatio = r => (r === null || r === undefined ? 'n/a' : `${r.toFixed(2)}×`)
export const fmtInt = n => n.toLocaleString('en-US')

/** A Markdown table, padded so it also reads well in a terminal. */
export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)))
  const line = cells => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
  return [line(headers), line(widths.map(w => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function machineInfo() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  let os = `${type()} ${release()}`
  try {
    const name = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))
    if (name) os = `${name[1]}, ${os}`
  } catch {
    // not Linux-standard; the kernel is enough
  }
  return {
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown CPU',
    cores: availableParallelism(),
    node: process.version,
    os,
    date: new Date().toISOString()
  }
}

export function fileInfo(path) {
  try {
    const data = readFileSync(path)
    return {
      bytes: data.length,
      modified: statSync(path).mtime.toISOString(),
      sha256: createHash('sha256').update(data).digest('hex').slice(0, 12)
    }
  } catch {
    return null
  }
}

/**
 * One workload's Markdown: its table (tool, median wall, min–max, ratio to xargs, peak RSS and
 * the workload's own columns), then its notes and the commands that were run.
 */
export function renderWorkload(w) {
  const reference = w.rows.find(r => r.key === 'xargs' && !r.missing)
  const headers = ['tool', 'median wall', 'min–max', reference ? '× xargs' : 'runs', 'peak RSS']
  const extra = w.columns ?? []
  const rows = w.rows
    .filter(r => !r.missing)
    .map(r => {
      const s = r.stats
      const failed = s.failures ? ` (${s.failures}/${s.runs} failed)` : ''
      return [
        r.name + failed,
        fmtMs(s.medianMs),
        s.minMs === null ? 'n/a' : `${fmtMs(s.minMs)} – ${fmtMs(s.maxMs)}`,
        reference ? fmtRatio(pairedRatio(r.samples, reference.samples)) : String(s.runs),
        fmtRss(s.peakRssKb),
        ...extra.map(c => c.value(r))
      ]
    })
  const lines = [
    `### ${w.title}`,
    '',
    w.description,
    '',
    table([...headers, ...extra.map(c => c.header)], rows)
  ]
  const notes = [
    ...w.rows.filter(r => r.missing).map(r => `${r.name}: skipped, ${r.missing}`),
    ...w.rows.flatMap(r => r.stats?.errors.map(e => `${r.name} failed: ${e}`) ?? []),
    ...(w.notes ?? [])
  ]
  if (notes.length) lines.push('', ...notes.map(n => `- ${n}`))
  const commands = w.rows
    .filter(r => !r.missing && r.command)
    .map(r => `- ${r.name}: \`${r.command}\``)
  lines.push('', '<details><summary>commands</summary>', '', ...commands, '', '</details>')
  return lines.join('\n')
}

export function renderTargets(targets) {
  const rows = targets.map(t => [t.workload, t.target, t.measured, t.result])
  return ['### Targets', '', table(['workload', 'target', 'measured', 'result'], rows)].join('\n')
}
