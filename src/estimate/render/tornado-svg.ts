// SVG sensitivity tornado: bars left (negative) or right (positive) of zero for each input's Spearman
// rank correlation with the output, strongest first, with the correlation and share of variance printed.

import { truncate } from './format.js';
import { colour, n2, svgDoc, text, textWidth } from './svg.js';
import { orderedRows, shareText, signed, type TornadoRow, tornadoScale } from './tornado.js';

const POSITIVE = colour(0);
const NEGATIVE = colour(1);

export function tornadoSvg(rows: readonly TornadoRow[], opts: { title?: string } = {}): string {
  const title = opts.title ?? 'Sensitivity';
  const ordered = orderedRows(rows);
  const scale = tornadoScale(ordered);
  const width = 760;
  const rowH = 28;
  const names = ordered.map((r) => truncate(r.input.replace(/\s+/g, ' '), 40));
  const labelW = Math.min(300, Math.max(60, ...names.map((nm) => textWidth(nm, 13)))) + 16;
  const valueW = 156;
  const left = 16 + labelW;
  const plotW = width - left - valueW;
  const top = 76;
  const plotH = Math.max(1, ordered.length) * rowH;
  const height = top + plotH + 44;
  const cx = left + plotW / 2;
  const px = (rho: number): number => cx + (rho / scale) * (plotW / 2);

  const body: string[] = [
    text(16, 28, title, { size: 16, weight: 'bold', fill: '#222222' }),
    text(16, 48, 'Spearman rank correlation with the output; share of its variance on the right', {
      size: 12,
      fill: '#555555',
    }),
  ];
  for (const f of [-1, -0.5, 0, 0.5, 1]) {
    const x = px(f * scale);
    body.push(
      `<line x1="${n2(x)}" y1="${top - 6}" x2="${n2(x)}" y2="${top + plotH}" ` +
        `stroke="${f === 0 ? '#888888' : '#e4e4e4'}" stroke-width="${f === 0 ? 1.5 : 1}"/>`,
    );
    const v = Number((f * scale).toPrecision(3));
    body.push(
      text(x, top - 10, v > 0 ? `+${v}` : String(v), { anchor: 'middle', size: 11, fill: '#555555', cls: 'tick' }),
    );
  }
  body.push(text(left + plotW + 70, top - 10, 'rho', { anchor: 'end', size: 11, fill: '#555555' }));
  body.push(text(left + plotW + 132, top - 10, 'variance', { anchor: 'end', size: 11, fill: '#555555' }));
  if (ordered.length === 0) body.push(text(cx, top + rowH / 2 + 4, 'no inputs', { anchor: 'middle', fill: '#777777' }));
  ordered.forEach((r, i) => {
    const y = top + i * rowH;
    const mid = y + rowH / 2;
    if (i % 2 === 1) body.push(`<rect x="16" y="${y}" width="${width - 32}" height="${rowH}" fill="#f6f6f6"/>`);
    body.push(text(left - 10, mid + 4.5, names[i], { anchor: 'end', size: 13, fill: '#222222', cls: 'input' }));
    if (Number.isFinite(r.spearman) && r.spearman !== 0) {
      const x0 = Math.min(cx, px(r.spearman));
      const w = Math.abs(px(r.spearman) - cx);
      const fill = r.spearman < 0 ? NEGATIVE : POSITIVE;
      body.push(
        `<rect class="bar" data-input-index="${i}" x="${n2(x0)}" y="${n2(y + 5)}" width="${n2(w)}" ` +
          `height="${rowH - 10}" rx="2" fill="${fill}"/>`,
      );
    }
    body.push(text(left + plotW + 70, mid + 4.5, signed(r.spearman), { anchor: 'end', size: 12, fill: '#222222' }));
    body.push(
      text(left + plotW + 132, mid + 4.5, shareText(r.varianceShare), { anchor: 'end', size: 12, fill: '#222222' }),
    );
  });
  body.push(
    text(16, height - 14, 'bars: negative (left, orange) or positive (right, blue) rank correlation', {
      size: 11,
      fill: '#777777',
    }),
  );
  return svgDoc(width, height, title, body);
}
