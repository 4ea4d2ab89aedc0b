/**
 * The history charts' styles, kept beside them (the global stylesheet is the main window's):
 * added to the document once, by the first chart window that needs them, as a constructed
 * stylesheet: the page's Content-Security-Policy (style-src 'self') refuses a <style> element,
 * while the CSSOM of the page's own script is allowed.
 */
import { ALERT_BAND, CHECKPOINT_COLOUR, WARN_BAND } from './chartColours.js';

const CSS = `
.chart-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 0 0 4px; }
.chart-toolbar button[aria-pressed=true] { font-weight: 600; background: #d7dff0; }
.chart-toolbar output { margin-left: 8px; font-variant-numeric: tabular-nums; }
.chart-toolbar .chart-keys { color: #555; font-size: 12px; margin-left: auto; }
.history-chart { position: relative; margin: 4px 0 10px; background: #fff; border: 1px solid #999; padding: 4px; }
.history-chart .chart-box { position: relative; width: 100%; font-size: 11px; color: #333; user-select: none; }
.history-chart canvas { display: block; }
.history-chart .value-tick { position: absolute; left: 0; transform: translateY(-50%); text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.history-chart .time-tick { position: absolute; transform: translateX(-50%); white-space: nowrap; font-variant-numeric: tabular-nums; }
.history-chart .checkpoint-label { position: absolute; white-space: nowrap; font-weight: 600; }
.history-chart .chart-plot { position: absolute; cursor: crosshair; outline: none; }
.history-chart .chart-plot:focus-visible { box-shadow: 0 0 0 2px ${CHECKPOINT_COLOUR}; }
.history-chart .cursor-line { position: absolute; top: 0; bottom: 0; width: 0; border-left: 1px solid #000; pointer-events: none; }
.history-chart .drag-range { position: absolute; top: 0; bottom: 0; background: rgba(80, 90, 160, 0.25); pointer-events: none; }
.cursor-readout { position: absolute; z-index: 4; pointer-events: none; margin-left: 10px; padding: 3px 6px; background: rgba(255, 255, 255, 0.95);
  border: 1px solid #777; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25); font-size: 11px; }
.cursor-readout.flip { transform: translateX(calc(-100% - 20px)); }
.cursor-readout .readout-time { font-weight: 600; margin-bottom: 2px; white-space: nowrap; }
.cursor-readout ul { display: grid; grid-auto-flow: column; gap: 0 10px; margin: 0; padding: 0; list-style: none; }
.cursor-readout li { display: flex; align-items: center; gap: 3px; white-space: nowrap; line-height: 16px; padding: 0 2px; }
.cursor-readout li.level-warn { background: ${WARN_BAND}; }
.cursor-readout li.level-alert { background: ${ALERT_BAND}; }
.cursor-readout li.lit { outline: 2px solid #000; font-weight: 600; }
.cursor-readout .readout-node { min-width: 16px; text-align: right; }
.cursor-readout .readout-value { font-variant-numeric: tabular-nums; }
.history-chart .swatch, .cursor-readout .swatch { display: inline-block; width: 10px; height: 10px; border: 1px solid #888; }
.history-nodes tr.lit { background: #e4ebfa; outline: 2px solid #345; }
.history-nodes button.highlight-node { min-width: 34px; }
.history-nodes td.level-warn { background: ${WARN_BAND}; }
.history-nodes td.level-alert { background: ${ALERT_BAND}; }
`;

let added = false;

export function addChartStyles(doc: Document = document): void {
  if (added || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  added = true;
}
