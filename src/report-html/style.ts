/** The report page's style, uPlot's layout included (its cursor layers sit over the canvas). */
export const reportStyle = `
:root { color-scheme: light; font: 14px/1.45 system-ui, sans-serif; color: #1d2430; }
body { margin: 0; background: #f6f7f9; }
header { background: #1d2430; color: #fff; padding: 12px 24px; }
h1 { font-size: 18px; margin: 0; overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 0 0 6px; }
main { padding: 16px 24px; max-width: 1200px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; }
.card { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 12px; }
.card b { display: block; font-size: 18px; }
.pass { color: #12733a; } .fail { color: #b3261e; font-weight: 600; } .warn { color: #a05a00; }
table { border-collapse: collapse; background: #fff; margin: 8px 0 16px; }
th, td { border: 1px solid #dde1e6; padding: 4px 8px; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; max-width: 520px; }
#charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 12px; }
.chart { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px; }
.chart.wide { grid-column: 1 / -1; }
.chart .note { color: #5b6470; font-size: 12px; }
.uplot, .uplot * { box-sizing: border-box; }
.uplot { position: relative; width: min-content; }
.u-wrap { position: relative; user-select: none; }
.u-over, .u-under { position: absolute; }
.uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
.u-axis { position: absolute; }
.u-legend { font-size: 12px; margin: 4px auto 0; text-align: center; }
.u-inline { display: block; }
.u-inline * { display: inline-block; }
.u-inline tr { margin-right: 12px; }
.u-legend th { font-weight: 600; border: 0; padding: 0 4px; }
.u-legend td { border: 0; padding: 0 4px; }
.u-legend .u-marker { width: 10px; height: 10px; margin-right: 4px; border: 2px solid transparent; }
.u-legend .u-off > * { opacity: 0.3; }
.u-select { background: rgba(0, 0, 0, 0.07); position: absolute; pointer-events: none; }
.u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; }
.u-cursor-x { height: 100%; border-right: 1px dashed #607d8b; }
.u-cursor-y { width: 100%; border-bottom: 1px dashed #607d8b; }
.u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; pointer-events: none; }
.u-hz .u-cursor-pt { margin-left: -5px; margin-top: -5px; width: 10px; height: 10px; }
`;
