/** How much a chart may show. */
export interface ChartLimits {
  /** Most bars / nodes drawn; the rest are counted in `omitted`. */
  maxEntries: number
  /** Longest label, in characters. */
  maxLabel: number
}

/** A chart's text (without the ``` fence) and how many entries the limits left out. */
export interface Chart {
  text: string
  omitted: number
}

/**
 * Longest chart text we emit: Mermaid draws an error instead of a diagram longer than its
 * `maxTextSize`, so entries are left out (and counted as omitted) until the text fits.
 */
export const MAX_CHART_TEXT = 45_000

/** The limits given, whole and not negative, with defaults for those missing or not finite. */
export function resolveLimits(
  limits: Partial<ChartLimits> | undefined,
  defaults: ChartLimits
): ChartLimits {
  const count = (value: number | undefined, fallback: number): number =>
    value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback
  return {
    maxEntries: count(limits?.maxEntries, defaults.maxEntries),
    maxLabel: Math.max(1, count(limits?.maxLabel, defaults.maxLabel))
  }
}
