// The console's stylesheet, served as /console/assets/console.css (the
// Content-Security-Policy allows stylesheets from 'self' only; no inline
// style). Colours keep a contrast of at least 4.5:1 for text (WCAG AA).
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5361; --line: #c9d1db; --accent: #0b57d0; --bg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
.topbar { display: flex; justify-content: space-between; align-items: center; padding: 8px 24px; border-bottom: 1px solid var(--line); }
.brand { font-weight: 600; text-decoration: none; color: var(--ink); }
main { padding: 16px 24px 48px; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: 8px 0 16px; }
h2 { font-size: 1.15rem; margin: 28px 0 8px; }
h3 { font-size: 1rem; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.amount { font-variant-numeric: tabular-nums; white-space: nowrap; }
button, .button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; text-decoration: none; display: inline-block; }
.sign-out button { background: #fff; color: var(--accent); }
input, select { font: inherit; padding: 5px 6px; border: 1px solid #6b7685; border-radius: 4px; }
label { display: block; font-weight: 600; margin-bottom: 2px; }
.stack { display: grid; gap: 8px; max-width: 420px; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin-bottom: 12px; }
.alert { border: 1px solid #a50e0e; background: #fce8e6; color: #7a0b0b; padding: 8px 12px; border-radius: 4px; }
.muted { color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 0.85rem; background: #e8eaed; color: #1b1f24; }
.status-COMPLETED { background: #d7f0dd; color: #0d4f1f; }
.status-DECLINED, .status-REJECTED { background: #fbe0dd; color: #7a0b0b; }
.status-CANCELLED { background: #ececec; color: #33373d; }
.status-REVERSED { background: #ece1f7; color: #4a1a7a; }
pre { background: #f4f6f8; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-word; }
.exchange { border: 1px solid var(--line); border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
.exchange summary { cursor: pointer; }
.pages { display: flex; gap: 16px; align-items: center; margin: 8px 0; }
.chart { width: 100%; max-width: 720px; height: auto; display: block; }
.chart .baseline { stroke: #6b7685; }
.chart rect { stroke: #ffffff; stroke-width: 1; }
.chart .axis { font-size: 11px; fill: var(--muted); }
.bar-COMPLETED { fill: #1e8e3e; }
.bar-REVERSED { fill: #7b3fbf; }
.bar-DECLINED { fill: #c5221f; }
.bar-REJECTED { fill: #e37400; }
.bar-CANCELLED { fill: #80868b; }
.bar-PENDING { fill: #1a73e8; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.swatch-COMPLETED { background: #1e8e3e; } .swatch-REVERSED { background: #7b3fbf; } .swatch-DECLINED { background: #c5221f; }
.swatch-REJECTED { background: #e37400; } .swatch-CANCELLED { background: #80868b; } .swatch-PENDING { background: #1a73e8; }
.live-note { font-size: 0.85rem; color: var(--muted); }
`;
