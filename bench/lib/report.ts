/**
 * The figures as one plain-text table (for the terminal and for pasting into an issue) and
 * as data (for the JSON file). Sizes are decimal: 1 kB = 1,000 bytes, 1 MB = 1,000,000.
 */

export type Unit = 'pages/s' | 'ms' | 'bytes' | 'ratio';

export interface Target {
  /** The figure must be at most (<=), under (<) or at least (>=) the value. */
  op: '<=' | '<' | '>=';
  value: number;
  /** Set when the figure was measured at another size than the target names. */
  otherSize?: string;
}

export interface Figure {
  key: string;
  label: string;
  unit: Unit;
  /** The median of the runs; null when the figure could not be measured. */
  median: number | null;
  runs: number[];
  /** What the measured cell shows instead of the median, when it is not measured or needs more words. */
  text?: string;
  target?: Target;
  /** Filled in by verdict(). */
  verdict?: string;
}

const thousands = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'pages/s':
      return `${thousands(value, value < 100 ? 1 : 0)} pages/s`;
    case 'ms':
      if (value >= 10_000) return `${thousands(value / 1000, 1)} s`;
      return `${thousands(value, value < 10 ? 1 : 0)} ms`;
    case 'bytes':
      if (value >= 1e6) return `${thousands(value / 1e6, 1)} MB`;
      return `${thousands(value / 1e3, 1)} kB`;
    case 'ratio':
      return `${thousands(value * 100, 1)}%`;
  }
}

/** The runs, with their unit left out when they all share it (the median column shows it). */
function runsText(runs: number[], unit: Unit): string {
  if (runs.length < 2) return '';
  const texts = runs.map((r) => formatValue(r, unit));
  const unitOf = (text: string) => / (\S+)$/.exec(text)?.[1] ?? '';
  const shared = unitOf(texts[0]);
  if (shared && texts.every((t) => unitOf(t) === shared)) return texts.map((t) => t.slice(0, -shared.length - 1)).join(', ');
  return texts.join(', ');
}

export function targetText(target: Target, unit: Unit): string {
  const op = target.op === '<=' ? '≤' : target.op === '<' ? '<' : '≥';
  return `${op} ${formatValue(target.value, unit).replace(/\.0(?=\D*$)/, '')}`;
}

export function verdict(figure: Figure): string {
  const { median, target, unit } = figure;
  if (!target) return '';
  if (median === null || !Number.isFinite(median)) return 'not measured';
  const met = target.op === '<=' ? median <= target.value : target.op === '<' ? median < target.value : median >= target.value;
  const star = target.otherSize ? '*' : '';
  if (met) return `met${star}`;
  // "1.0×" says nothing about a near miss: two decimals below 2×.
  const times = (ratio: number) => `${thousands(ratio, ratio < 2 ? 2 : 1)}×`;
  if (target.op === '>=') {
    if (unit === 'ratio') return `missed by ${thousands((target.value - median) * 100, 1)} points (${times(target.value / median)} short)${star}`;
    return `missed by ${formatValue(target.value - median, unit)} (${times(target.value / median)} short)${star}`;
  }
  return `missed by ${formatValue(median - target.value, unit)} (${times(median / target.value)} the target)${star}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

export function renderTable(figures: Figure[], runs: number): string {
  const header = ['Figure', `Median of ${runs}`, 'Runs', 'Target', 'Verdict'];
  const rows = figures.map((f) => [
    f.label,
    f.text ?? (f.median === null ? 'n/a' : formatValue(f.median, f.unit)),
    runsText(f.runs, f.unit),
    f.target ? targetText(f.target, f.unit) : '',
    f.verdict ?? '',
  ]);
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const starred = figures.filter((f) => f.target?.otherSize);
  for (const f of starred) lines.push(`* ${f.label}: the target is for ${f.target?.otherSize}.`);
  return lines.join('\n');
}
