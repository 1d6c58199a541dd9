import type { CohortEntry } from './cohort.ts';
import { cohortChecks } from './cohort.ts';

/**
 * cohort.html: one self-contained page, readable offline and printable. The charts are
 * inline SVG drawn here, with no script and nothing fetched, so it renders the same anywhere.
 */
export function cohortHtml(entries: CohortEntry[], lab: { id: string; title: string }, seed: number): string {
  const checks = cohortChecks(entries);
  const graded = entries.flatMap((entry) => ('result' in entry ? [{ name: entry.name, result: entry.result }] : []));
  const skipped = entries.flatMap((entry) => ('skipped' in entry ? [entry] : []));
  const percent = (score: number, max: number) => (max === 0 ? 0 : (100 * score) / max);
  const bins = Array.from({ length: 10 }, () => 0);
  for (const { result } of graded) bins[Math.min(9, Math.floor(percent(result.score, result.maxScore) / 10))]!++;
  const passRates = checks.map((check) => {
    const passed = graded.filter(({ result }) => result.checks.find((c) => c.id === check.id)?.status === 'pass').length;
    return { check, passed, rate: graded.length === 0 ? 0 : passed / graded.length };
  });
  const failures = [...passRates].filter((row) => row.passed < graded.length).sort((a, b) => a.rate - b.rate).slice(0, 5);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(lab.id)}: cohort report</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d232a; max-width: 72rem; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  table { border-collapse: collapse; } th, td { border: 1px solid #ccd; padding: .25rem .5rem; text-align: right; }
  th:first-child, td:first-child { text-align: left; } td.pass { background: #d8f0dc; } td.part { background: #fbefc8; } td.fail { background: #f6d3d3; }
  .charts { display: flex; flex-wrap: wrap; gap: 2rem; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .5rem; }
  svg text { font: 12px system-ui, sans-serif; fill: #1d232a; }
</style>
</head>
<body>
<h1>${escape(lab.id)} — ${escape(lab.title)}: cohort report</h1>
<p>${graded.length} submission(s) graded on seed ${seed}${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}. Median score ${median(graded.map(({ result }) => percent(result.score, result.maxScore))).toFixed(0)}%.</p>
<div class="charts">
<figure id="score-distribution"><figcaption>Score distribution</figcaption>${histogram(bins)}</figure>
<figure id="pass-rate"><figcaption>Pass rate per check</figcaption>${bars(passRates.map(({ check, rate }) => ({ label: check.id, value: rate })))}</figure>
</div>
<h2>Most common failures</h2>
${failures.length === 0 ? '<p>Every graded submission passed every check.</p>' : `<table><tr><th>check</th><th>failed by</th><th>title</th></tr>${failures.map(({ check, passed }) => `<tr><td>${escape(check.id)}</td><td>${graded.length - passed} of ${graded.length}</td><td style="text-align:left">${escape(check.title)}</td></tr>`).join('')}</table>`}
<h2>Every submission, every check</h2>
<table>
<tr><th>submission</th><th>score</th>${checks.map((check) => `<th title="${escape(check.title)}">${escape(check.id)}${check.visibility === 'hidden' ? ' (hidden)' : ''}</th>`).join('')}</tr>
${graded
  .map(({ name, result }) => {
    const cells = checks.map((check) => {
      const found = result.checks.find((c) => c.id === check.id);
      const kind = found?.status === 'pass' ? 'pass' : found && found.score > 0 ? 'part' : 'fail';
      return `<td class="${kind}">${found ? `${round(found.score)}/${found.points}` : '—'}</td>`;
    });
    return `<tr><td>${escape(name)}</td><td>${round(result.score)}/${result.maxScore}</td>${cells.join('')}</tr>`;
  })
  .join('\n')}
</table>
${skipped.length === 0 ? '' : `<h2>Skipped</h2><ul>${skipped.map((entry) => `<li>${escape(entry.name)}: ${escape(entry.skipped)}</li>`).join('')}</ul>`}
</body>
</html>
`;
}

function histogram(bins: number[]): string {
  const width = 360;
  const height = 180;
  const top = Math.max(1, ...bins);
  const barWidth = (width - 40) / bins.length;
  const rects = bins.map((count, index) => {
    const h = ((height - 40) * count) / top;
    const x = 30 + index * barWidth;
    return `<rect x="${x + 2}" y="${height - 25 - h}" width="${barWidth - 4}" height="${h}" fill="#4a78b8"><title>${index * 10}–${index * 10 + 10}%: ${count}</title></rect>` +
      (count > 0 ? `<text x="${x + barWidth / 2}" y="${height - 29 - h}" text-anchor="middle">${count}</text>` : '') +
      `<text x="${x + barWidth / 2}" y="${height - 10}" text-anchor="middle">${index * 10}</text>`;
  });
  return `<svg width="${width}" height="${height}" role="img" aria-label="Score distribution in steps of 10%">${rects.join('')}<line x1="30" y1="${height - 25}" x2="${width - 10}" y2="${height - 25}" stroke="#667"/></svg>`;
}

function bars(rows: Array<{ label: string; value: number }>): string {
  const rowHeight = 22;
  const labelWidth = 200;
  const barSpace = 220;
  const height = Math.max(1, rows.length) * rowHeight + 10;
  const body = rows.map((row, index) => {
    const y = 5 + index * rowHeight;
    return `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escape(row.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${barSpace}" height="${rowHeight - 6}" fill="#e4e8ef"/>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${(barSpace * row.value).toFixed(1)}" height="${rowHeight - 6}" fill="#3e9b5a"/>` +
      `<text x="${labelWidth + barSpace + 6}" y="${y + 15}">${Math.round(100 * row.value)}%</text>`;
  });
  return `<svg width="${labelWidth + barSpace + 50}" height="${height}" role="img" aria-label="Share of submissions that passed each check">${body.join('')}</svg>`;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number) => Math.round(value * 100) / 100;

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
