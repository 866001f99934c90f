/**
 * Inline SVG charts for the HTML report, built from numbers only: coordinates and widths are computed
 * here and checked to be finite; every piece of text (group names, labels) is escaped. No user text is
 * ever parsed as markup. Colour is never the only signal: each group has its own marker shape, and the
 * support bars use solid / hatched / dotted fills beside written percentages, so the charts read in black
 * and white and without colour vision.
 */
import { hiddenText } from "./figures";
import { reportLocale, type ReportLocale } from "./locale";
import { escapeHtml, shorten } from "./text";
import type { MapPoint, ReportMap, ReportRecommendation, ShownSupport } from "./types";

/** Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), darkest first. */
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
const SHAPES = ["circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "star", "pentagon", "hexagon"] as const;
type Shape = (typeof SHAPES)[number] | "ring";
const GREY = "#777777";

/** A number for an SVG attribute: finite or refused. */
function n(x: number): string {
  if (!Number.isFinite(x)) throw new Error("chart coordinate is not a finite number");
  return (Math.round(x * 10) / 10).toString();
}

function polygon(points: Array<[number, number]>, fill: string, stroke: string): string {
  return `<polygon points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(" ")}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
}

function regular(cx: number, cy: number, r: number, sides: number, rotation = -Math.PI / 2): Array<[number, number]> {
  return Array.from({ length: sides }, (_, i) => {
    const a = rotation + (i * 2 * Math.PI) / sides;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as [number, number];
  });
}

/** One marker. `hollow` draws the outline only (for the 11th group on, and "no group"). */
export function marker(shape: Shape, cx: number, cy: number, r: number, colour: string, hollow = false): string {
  const fill = hollow ? "#ffffff" : colour;
  const stroke = hollow ? colour : "#222222";
  switch (shape) {
    case "circle":
      return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
    case "ring":
      return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r * 0.9)}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="2 1.5"/>`;
    case "square":
      return `<rect x="${n(cx - r * 0.85)}" y="${n(cy - r * 0.85)}" width="${n(r * 1.7)}" height="${n(r * 1.7)}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`;
    case "triangle":
      return polygon(regular(cx, cy + r * 0.15, r * 1.15, 3), fill, stroke);
    case "triangle-down":
      return polygon(regular(cx, cy - r * 0.15, r * 1.15, 3, Math.PI / 2), fill, stroke);
    case "diamond":
      return polygon(regular(cx, cy, r * 1.15, 4), fill, stroke);
    case "pentagon":
      return polygon(regular(cx, cy, r * 1.05, 5), fill, stroke);
    case "hexagon":
      return polygon(regular(cx, cy, r * 1.05, 6), fill, stroke);
    case "star": {
      const pts: Array<[number, number]> = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? r * 1.25 : r * 0.55;
        pts.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
      }
      return polygon(pts, fill, stroke);
    }
    case "plus":
      return `<path d="M${n(cx - r)} ${n(cy)}H${n(cx + r)}M${n(cx)} ${n(cy - r)}V${n(cy + r)}" stroke="${colour}" stroke-width="2.5" fill="none"/>`;
    case "cross":
      return `<path d="M${n(cx - r * 0.8)} ${n(cy - r * 0.8)}L${n(cx + r * 0.8)} ${n(cy + r * 0.8)}M${n(cx - r * 0.8)} ${n(cy + r * 0.8)}L${n(cx + r * 0.8)} ${n(cy - r * 0.8)}" stroke="${colour}" stroke-width="2.5" fill="none"/>`;
  }
}

/** The style of the i-th group of a legend: shape, colour, hollow. */
export function groupStyle(i: number): { shape: Shape; colour: string; hollow: boolean } {
  return { shape: SHAPES[i % SHAPES.length], colour: COLOURS[i % COLOURS.length], hollow: i >= SHAPES.length };
}
const NONE_STYLE = { shape: "ring" as Shape, colour: GREY, hollow: true };

/** A marker's shape in words ("triangle", "hollow square"), so the text alternative does not rely on colour. */
function shapeWord(loc: ReportLocale, style: { shape: Shape; hollow: boolean }): string {
  const word = loc.t(`chart.shape.${style.shape}`);
  return style.hollow && style.shape !== "ring" ? loc.t("chart.shape.hollow", { shape: word }) : word;
}

interface LegendEntry {
  key: string;
  name: string;
  style: { shape: Shape; colour: string; hollow: boolean };
}

const MAP = { width: 760, height: 470, left: 52, top: 16, plotW: 470, plotH: 400, legendX: 548 };

/**
 * The opinion map coloured by opinion group or by declared group. `id` names the chart (fixed strings
 * from the renderer, never user text).
 */
export function mapSvg(map: ReportMap, colourBy: "opinion" | "declared", id: string, loc: ReportLocale = reportLocale()): string {
  const entries: LegendEntry[] =
    colourBy === "opinion"
      ? map.opinionGroups.map((g, i) => ({ key: String(g.id), name: g.name, style: groupStyle(i) }))
      : map.declaredGroups.map((g, i) => ({ key: g.id ?? "", name: g.name, style: g.id === null ? NONE_STYLE : groupStyle(i) }));
  const hasUnclustered = colourBy === "opinion" && map.points.some((p) => p.opinionGroup === null);
  if (hasUnclustered) entries.push({ key: "", name: loc.t("groups.notInOpinionGroup"), style: NONE_STYLE });
  const keyOf = (p: MapPoint) => (colourBy === "opinion" ? (p.opinionGroup === null ? "" : String(p.opinionGroup)) : p.declaredGroup ?? "");

  const xs = map.points.map((p) => p.x);
  const ys = map.points.map((p) => p.y);
  const extent = (v: number[]) => {
    if (!v.length) return [-1, 1] as const;
    let lo = Math.min(...v);
    let hi = Math.max(...v);
    if (hi - lo < 1e-9) {
      lo -= 1;
      hi += 1;
    }
    const pad = (hi - lo) * 0.06;
    return [lo - pad, hi + pad] as const;
  };
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys);
  const sx = (x: number) => MAP.left + ((x - x0) / (x1 - x0)) * MAP.plotW;
  const sy = (y: number) => MAP.top + MAP.plotH - ((y - y0) / (y1 - y0)) * MAP.plotH;
  const r = map.points.length > 400 ? 3.2 : map.points.length > 100 ? 4.2 : 5.5;

  const out: string[] = [];
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const what = loc.t(colourBy === "opinion" ? "chart.opinionGroup" : "chart.declaredGroup");
  // The text alternative names every group of the legend with its marker's shape, in words.
  const groupsShown = entries.length ? ` ${loc.t("chart.mapDescGroups", { list: loc.list(entries.map((e) => `${e.name} (${shapeWord(loc, e.style)})`)) })}` : "";
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP.width} ${MAP.height}" width="${MAP.width}" height="${MAP.height}" role="img" aria-labelledby="${titleId} ${descId}" class="chart chart-map">`,
    `<title id="${titleId}">${escapeHtml(loc.t("chart.mapTitle", { what }))}</title>`,
    `<desc id="${descId}">${escapeHtml(`${loc.t("chart.mapDesc", { what })}${groupsShown}`)}</desc>`,
    `<rect x="${MAP.left}" y="${MAP.top}" width="${MAP.plotW}" height="${MAP.plotH}" fill="#ffffff" stroke="#555555" stroke-width="1"/>`,
  );
  // Axes through the origin when it is in view.
  if (x0 < 0 && x1 > 0) out.push(`<line x1="${n(sx(0))}" y1="${MAP.top}" x2="${n(sx(0))}" y2="${MAP.top + MAP.plotH}" stroke="#bbbbbb" stroke-dasharray="4 3"/>`);
  if (y0 < 0 && y1 > 0) out.push(`<line x1="${MAP.left}" y1="${n(sy(0))}" x2="${MAP.left + MAP.plotW}" y2="${n(sy(0))}" stroke="#bbbbbb" stroke-dasharray="4 3"/>`);
  const [v1, v2] = map.varianceExplained;
  out.push(
    `<text x="${n(MAP.left + MAP.plotW / 2)}" y="${MAP.top + MAP.plotH + 30}" text-anchor="middle" font-size="13" fill="#222222">${escapeHtml(loc.t("chart.firstAxis", { share: loc.percent(v1 ?? 0) }))}</text>`,
    `<text transform="translate(18 ${n(MAP.top + MAP.plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="13" fill="#222222">${escapeHtml(loc.t("chart.secondAxis", { share: loc.percent(v2 ?? 0) }))}</text>`,
  );
  // Points: drawn group by group in legend order, so no order reveals anything else.
  out.push(`<g class="points">`);
  for (const e of entries) {
    for (const p of map.points) {
      if (keyOf(p) !== e.key) continue;
      out.push(marker(e.style.shape, sx(p.x), sy(p.y), r, e.style.colour, e.style.hollow));
    }
  }
  out.push(`</g>`);
  // Legend.
  out.push(`<g class="legend" font-size="13" fill="#222222">`, `<text x="${MAP.legendX}" y="${MAP.top + 12}" font-weight="bold">${escapeHtml(loc.t(colourBy === "opinion" ? "chart.legendOpinion" : "chart.legendDeclared"))}</text>`);
  entries.forEach((e, i) => {
    const y = MAP.top + 36 + i * 24;
    out.push(marker(e.style.shape, MAP.legendX + 8, y - 4, 6, e.style.colour, e.style.hollow));
    out.push(`<text x="${MAP.legendX + 22}" y="${y}">${escapeHtml(shorten(e.name, 26))}</text>`);
  });
  if (!entries.length) out.push(`<text x="${MAP.legendX}" y="${MAP.top + 36}">${escapeHtml(loc.t("chart.nobodyPlaced"))}</text>`);
  out.push(`</g>`, `</svg>`);
  return out.join("\n");
}

const BARS = { width: 680, barX: 0, barW: 600, rowH: 46, top: 34 };

interface BarRow {
  name: string;
  support: ShownSupport;
}

/**
 * Horizontal agree / disagree / pass bars for one recommendation: everyone, then each group. Each row is
 * labelled in words with its shares; agree is solid, disagree striped, pass dotted (never colour alone);
 * the <desc> holds every row's figures as text.
 */
export function barsSvg(rec: ReportRecommendation, id: string, loc: ReportLocale = reportLocale()): string {
  const rows: BarRow[] = [{ name: loc.t("groups.everyone"), support: rec.overall }, ...rec.groups.map((g) => ({ name: g.name, support: g.support }))];
  const height = BARS.top + rows.length * BARS.rowH + 6;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const rowText = (row: BarRow, max = Infinity): string => {
    const s = row.support;
    const name = Number.isFinite(max) ? shorten(row.name, max) : row.name;
    if (s.suppressed) return loc.t("figure.named", { name, figure: hiddenText(loc, s) });
    return loc.t("chart.barLabel", { name, n: loc.number(s.n), agree: loc.percent(s.agreeShare), disagree: loc.percent(s.disagreeShare), pass: loc.percent(s.passShare) });
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${BARS.width} ${height}" width="${BARS.width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" class="chart chart-bars">`,
    `<title id="${titleId}">${escapeHtml(loc.t("chart.barsTitle", { label: rec.label }))}</title>`,
    `<desc id="${descId}">${escapeHtml(`${loc.t("chart.barsDesc")} ${rows.map((row) => `${rowText(row)}.`).join(" ")}`)}</desc>`,
    `<defs>`,
    `<pattern id="${id}-disagree" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/><rect width="2.2" height="6" fill="#ffffff"/></pattern>`,
    `<pattern id="${id}-pass" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#e6e6e6"/><circle cx="3" cy="3" r="1.1" fill="#555555"/></pattern>`,
    `</defs>`,
  );
  // Legend: swatch + word, so the fills are explained in text.
  const legend: Array<[string, string]> = [
    [loc.t("chart.agree"), "#0072B2"],
    [loc.t("chart.disagree"), `url(#${id}-disagree)`],
    [loc.t("chart.pass"), `url(#${id}-pass)`],
  ];
  legend.forEach(([label, fill], i) => {
    const x = i * 150;
    out.push(`<rect x="${x}" y="6" width="16" height="14" fill="${fill}" stroke="#222222" stroke-width="0.8"/>`, `<text x="${x + 22}" y="18" font-size="13" fill="#222222">${escapeHtml(label)}</text>`);
  });
  rows.forEach((row, i) => {
    const y = BARS.top + i * BARS.rowH;
    const s = row.support;
    if (s.suppressed) {
      out.push(`<text x="0" y="${y + 14}" font-size="13" fill="#444444" font-style="italic">${escapeHtml(rowText(row, 40))}</text>`);
      return;
    }
    out.push(`<text x="0" y="${y + 14}" font-size="13" fill="#111111">${escapeHtml(rowText(row, 40))}</text>`);
    const by = y + 20;
    let x = BARS.barX;
    const parts: Array<[number, string]> = [
      [s.agreeShare, "#0072B2"],
      [s.disagreeShare, `url(#${id}-disagree)`],
      [s.passShare, `url(#${id}-pass)`],
    ];
    for (const [share, fill] of parts) {
      const w = Math.max(0, Math.min(1, share)) * BARS.barW;
      if (w > 0) out.push(`<rect x="${n(x)}" y="${by}" width="${n(w)}" height="16" fill="${fill}" stroke="#ffffff" stroke-width="1"/>`);
      x += w;
    }
    out.push(`<rect x="${BARS.barX}" y="${by}" width="${BARS.barW}" height="16" fill="none" stroke="#222222" stroke-width="0.8"/>`);
    // A tick at one half: "a majority" is to the right of it.
    out.push(`<line x1="${n(BARS.barX + BARS.barW / 2)}" y1="${by - 3}" x2="${n(BARS.barX + BARS.barW / 2)}" y2="${by + 19}" stroke="#222222" stroke-width="1"/>`);
    if (i === 0) out.push(`<text x="${n(BARS.barX + BARS.barW + 6)}" y="${by + 13}" font-size="11" fill="#222222">${escapeHtml(loc.t("chart.half"))}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n");
}
