// Rendering of estimate results: terminal histograms and tornado charts, SVG densities and tornados,
// and PNG output through resvg (png.ts, the only module here that does I/O).

export { terminalHistogram } from './histogram.js';
export type { TerminalHistogramOptions } from './histogram.js';
export { terminalTornado } from './tornado.js';
export type { TornadoRow } from './tornado.js';
export { densitySvg } from './density-svg.js';
export type { DensitySeries, DensitySvgOptions } from './density-svg.js';
export { tornadoSvg } from './tornado-svg.js';
export { svgToPng, writePlot } from './png.js';
