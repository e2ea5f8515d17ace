/** Medians and percentiles: the benchmark reports the median of several runs of each figure. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile, by linear interpolation between the closest ranks. NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
