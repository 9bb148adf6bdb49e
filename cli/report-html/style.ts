// The page's only stylesheet, inlined: system fonts, no external resources, prints on A4.
export const CSS = `
:root{--fg:#212529;--muted:#6c757d;--line:#dee2e6;--bg:#fff;--soft:#f8f9fa;--warn:#d9480f;--ok:#2f9e44}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1320px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
p.lead,.note{color:var(--muted);margin:4px 0 12px}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0 0}
header dt{color:var(--muted)}
header dd{margin:0;word-break:break-all}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin-top:20px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--soft)}
.card .v{font-size:26px;font-weight:650}
.card .k{color:var(--muted);font-size:13px}
.card .d{font-size:12px;color:var(--muted);margin-top:4px;word-break:break-word}
.card.alert{border-color:#ffc9c9;background:#fff5f5}
.card.alert .v{color:#c92a2a}
.flowbox{overflow-x:auto;border:1px solid var(--line);border-radius:8px;padding:8px;background:#fff}
svg.flow{display:block;max-width:none;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg.flow .band{fill-opacity:.38}
svg.flow .band:hover{fill-opacity:.7}
svg.flow text{fill:#212529}
svg.flow .count{fill:#6c757d}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:8px 0;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-weight:600;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.t{white-space:nowrap;font-variant-numeric:tabular-nums;font-size:12px}
td.host{white-space:nowrap}
td.svc{max-width:22ch;overflow-wrap:anywhere}
td .sub{color:var(--muted);font-size:12px}
.wrap{overflow-x:auto}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}
.chip{display:inline-block;padding:0 6px;border-radius:10px;background:#e9ecef;margin:1px 2px 1px 0;font-size:12px;white-space:nowrap}
.chip.tp{background:#ffe8cc;color:#a61e4d}
.chip.fp{background:#d3f9d8;color:#2b8a3e}
.flow-collect{background:#d0ebff;color:#1864ab}
.flow-store{background:#e9ecef;color:#343a40}
.flow-load{background:#fff3bf;color:#8f5d00}
.flow-share{background:#ffe3e3;color:#c92a2a}
.more{color:var(--muted);font-style:italic}
ol.timeline{list-style:none;margin:8px 0 0;padding:0 0 0 18px;border-left:3px solid var(--line)}
ol.timeline li{position:relative;margin:0 0 10px;padding-left:8px}
ol.timeline li:before{content:"";position:absolute;left:-27px;top:5px;width:12px;height:12px;border-radius:50%;background:#adb5bd;border:2px solid #fff}
ol.timeline li.f-collect:before{background:#1c7ed6}
ol.timeline li.f-store:before{background:#495057}
ol.timeline li.f-load:before{background:#f08c00}
ol.timeline li.f-share:before{background:#e03131}
ol.timeline .when{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}
ol.timeline .what{font-weight:600}
ol.timeline .detail{font-size:12px;color:#495057}
.subject{border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin:12px 0}
.path{font-size:13px;color:#495057}
footer{margin:40px 0 8px;color:var(--muted);font-size:12px}
@media print{main{max-width:none;padding:0}.flowbox{overflow:visible}th{position:static}}
`;
