// Rendering of estimate results: terminal histograms and tornado charts, SVG densities and tornados, PNG.

export { terminalHistogram } from './histogram.js';
export type { TerminalHistogramOptions } from './histogram.js';
