/**
 * The review page's style sheet, inlined into the page. Colours are chosen for WCAG AA contrast (4.5:1 for text)
 * against their own background in both schemes; the dark scheme follows `prefers-color-scheme`.
 */
export const PAGE_CSS = `
:root {
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --panel: #f6f8fa; --border: #d1d9e0; --link: #0550ae; --focus: #0969da;
  --kw: #8a2bb9; --str: #0a3069; --cm: #59636e; --num: #0550ae; --id: #953800;
  --l0-bg: #eef1f4; --l0-fg: #1f2328; --l1-bg: #ddf4ff; --l1-fg: #0a3069; --l2-bg: #fff8c5; --l2-fg: #633c01;
  --l3-bg: #ffe7d1; --l3-fg: #762c00; --l4-bg: #ffebe9; --l4-fg: #82071e;
  --refused-bg: #ffebe9; --refused-fg: #82071e; --deploy-bg: #fff8c5; --deploy-fg: #633c01;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9ea7b3; --panel: #161b22; --border: #3d444d; --link: #79c0ff; --focus: #58a6ff;
    --kw: #d2a8ff; --str: #a5d6ff; --cm: #9ea7b3; --num: #79c0ff; --id: #ffa657;
    --l0-bg: #262c36; --l0-fg: #e6edf3; --l1-bg: #0c2d6b; --l1-fg: #cae8ff; --l2-bg: #4b3800; --l2-fg: #fff2b3;
    --l3-bg: #5a2300; --l3-fg: #ffdfc4; --l4-bg: #67060c; --l4-fg: #ffdcd7;
    --refused-bg: #67060c; --refused-fg: #ffdcd7; --deploy-bg: #4b3800; --deploy-fg: #fff2b3;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.25rem 0.5rem; }
code, pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h1 code { font-size: 1.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--border); padding-bottom: 0.25rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 0 0 0.25rem; display: inline; }
.summary { font-size: 1.05rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0.5rem 0; }
dl.meta dt, dl.apps dt { color: var(--muted); }
dl.meta dd, dl.apps dd { margin: 0; }
.refused { background: var(--refused-bg); color: var(--refused-fg); border-radius: 6px; padding: 0.5rem 1rem; }
.timeline { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: stretch; }
.timeline > li { flex: 1 1 14rem; border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem; background: var(--panel); }
.timeline > li.deploy { flex: 0 1 10rem; background: var(--deploy-bg); color: var(--deploy-fg); display: flex; align-items: center; }
.timeline .file { color: var(--muted); font-weight: normal; font-size: 0.85rem; margin-left: 0.25rem; }
dl.apps { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 0.75rem; margin: 0.5rem 0 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.steps { table-layout: fixed; min-width: 48rem; }
thead th { background: var(--panel); }
.phase-row th { background: var(--panel); font-weight: 600; }
.hazards { margin: 0; padding-left: 1rem; }
.hz { font-weight: 600; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; }
.lock { display: inline-block; border-radius: 4px; padding: 0 0.35rem; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.lock-cell .lock { white-space: normal; }
.lock-none { background: var(--l0-bg); color: var(--l0-fg); }
.lock-share_update_exclusive { background: var(--l1-bg); color: var(--l1-fg); }
.lock-share { background: var(--l2-bg); color: var(--l2-fg); }
.lock-share_row_exclusive { background: var(--l3-bg); color: var(--l3-fg); }
.lock-access_exclusive { background: var(--l4-bg); color: var(--l4-fg); }
table.diagram { width: auto; }
table.diagram caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; white-space: nowrap; }
table.diagram td.cell { text-align: center; font-size: 0.85rem; }
table.diagram td.empty { text-align: center; color: var(--muted); }
table.diagram .arrow { border: none; color: var(--muted); padding: 0 0.25rem; }
details { border: 1px solid var(--border); border-radius: 8px; margin: 0.75rem 0; padding: 0.5rem 0.75rem; }
summary { cursor: pointer; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem 1rem; margin: 0.75rem 0; }
.pair .step-title { grid-column: 1 / -1; margin: 0; font-weight: 600; }
@media (max-width: 50rem) { .pair { grid-template-columns: 1fr; } }
figure { margin: 0; min-width: 0; }
figcaption { color: var(--muted); font-size: 0.85rem; }
pre { margin: 0; padding: 0.5rem; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; overflow-x: auto; white-space: pre; }
.none { color: var(--muted); margin: 0; }
.k { color: var(--kw); font-weight: 600; } .s { color: var(--str); } .c { color: var(--cm); font-style: italic; }
.n { color: var(--num); } .i { color: var(--id); }
.muted, .notes { color: var(--muted); }
.bad { color: var(--refused-fg); background: var(--refused-bg); padding: 0 0.25rem; border-radius: 4px; }
.ok { font-weight: 600; }
table.figures { min-width: 48rem; }
table.figures th, table.figures td { white-space: nowrap; }
table.figures td.id { white-space: normal; max-width: 16rem; }
table.steps.measured { min-width: 64rem; }
table.figures td:nth-child(4) { white-space: normal; }
section.migration { margin-top: 2.5rem; }
footer { color: var(--muted); margin-top: 2rem; font-size: 0.85rem; }
`;
