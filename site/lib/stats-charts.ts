// 形势分析's charts, drawn on the server as SVG with Apache ECharts' server-side renderer: no
// JavaScript in the browser, sharp at any zoom and in print. The SVG is reduced to what the pages'
// Content-Security-Policy lets through (style-src 'self', no inline styles): ECharts' style=""
// attributes become SVG presentation attributes, its <style> block (hover effects only) and its
// metadata attributes go. Each chart is role="img" with a label; the table beside it carries the
// numbers for screen readers and for anyone who prefers them.
import * as echarts from "echarts";

export interface BarSeries {
  name: string;
  values: number[];
  /** Series of one stack are drawn on top of each other (市本级 + 所辖县市区). */
  stack?: string;
}

export interface BarChartSpec {
  categories: string[];
  series: BarSeries[];
  /** Bars left to right (false: categories down the side, for long labels). */
  vertical?: boolean;
  width?: number;
  height?: number;
}

// Colours with enough contrast on white, told apart without colour too (legend order, table).
const PALETTE = ["#1f4e8c", "#c0392b", "#6b8e23", "#8e44ad", "#b9770e"];
const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";

/** The option of a bar chart: no animation, no tooltip (nothing to hover in a static picture). */
function optionOf(spec: BarChartSpec): echarts.EChartsCoreOption {
  const vertical = spec.vertical ?? true;
  const category = {
    type: "category" as const,
    data: spec.categories,
    axisLabel: { interval: 0, rotate: vertical && spec.categories.length > 6 ? 40 : 0, fontFamily: FONT },
  };
  const value = { type: "value" as const, minInterval: 1, axisLabel: { fontFamily: FONT } };
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT },
    legend: spec.series.length > 1 ? { top: 0, textStyle: { fontFamily: FONT } } : undefined,
    grid: { left: 8, right: 24, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
    xAxis: vertical ? category : value,
    yAxis: vertical ? value : { ...category, inverse: true },
    series: spec.series.map((s) => ({
      type: "bar",
      name: s.name,
      data: s.values,
      stack: s.stack,
      barMaxWidth: 36,
      label: { show: !s.stack && spec.categories.length <= 16, position: vertical ? "top" : "right" },
    })),
  };
}

/** Presentation attributes an SVG element may carry instead of a style="" declaration. */
const PRESENTATION = new Set([
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "opacity",
  "font-size",
  "font-family",
  "font-weight",
  "font-style",
  "text-anchor",
  "dominant-baseline",
]);

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * The SVG as the pages may serve it: style="" → attributes, no <style>, no ECharts metadata or
 * classes, a fixed width dropped for a viewBox (scales to its box), role="img" and its label.
 */
export function cspSafeSvg(svg: string, label: string): string {
  let out = svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/\s(?:ecmeta_[a-z_]+|class)="[^"]*"/g, "")
    .replace(/\sstyle="([^"]*)"/g, (_m, decl: string) =>
      decl
        .split(";")
        .map((d) => d.split(":").map((x) => x.trim()))
        .filter(([k, v]) => k && v !== undefined && PRESENTATION.has(k))
        .map(([k, v]) => ` ${k}="${escapeAttr(v.replace(/&quot;/g, "'"))}"`)
        .join(""),
    );
  out = out.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const kept = attrs.replace(/\s(?:width|height)="[^"]*"/g, "");
    return `<svg${kept} role="img" aria-label="${escapeAttr(label)}" focusable="false">`;
  });
  return out;
}

/** One bar chart as CSP-safe SVG markup, labelled `label`. */
export function barChartSvg(spec: BarChartSpec, label: string): string {
  const width = spec.width ?? 640;
  const height =
    spec.height ?? Math.max(240, (spec.vertical ?? true) ? 300 : 28 * spec.categories.length + 60);
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption(optionOf(spec));
    return cspSafeSvg(chart.renderToSVGString(), label);
  } finally {
    chart.dispose();
  }
}
