/**
 * The screening report: one self-contained HTML page (inline style, no script, no external
 * resource; a Content-Security-Policy that allows nothing else) with the counts by status and by
 * workup gap and the worklist, each patient linking back to the EHR and to its Assessment JSON.
 * Every piece of data is HTML-escaped.
 */
import { RULES, STATUS_LABELS } from "../../clinical";
import type { WorklistRow } from "../summary";
import { tierOf } from "./worklist";

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TIER_LABELS: Record<number, string> = {
  1: "Red flag",
  2: "Calcinosis with a spinal or neoplasm gap",
  3: "Calcinosis (probable or documented)",
  4: "Possible",
  5: "Indeterminate: data to rule calcinosis out missing",
  6: "No evidence",
  7: "Not applicable (no SSc)",
};

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1a1a1a}
h1{font-size:20px}h2{font-size:16px;margin-top:24px}table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.n{text-align:right}.t1{background:#fde8e8}.t2{background:#fff1dc}.muted{color:#555}`;

function label(ruleId: string): string {
  return (RULES as Record<string, { title?: string } | undefined>)[ruleId]?.title ?? ruleId;
}

function countTable(title: string, head: string, counts: Map<string, number>, name: (k: string) => string): string {
  const rows = [...counts].map(([k, n]) => `<tr><td>${escapeHtml(name(k))}</td><td class="n">${n}</td></tr>`).join("");
  return `<h2>${escapeHtml(title)}</h2><table><tr><th>${escapeHtml(head)}</th><th>patients</th></tr>${rows || '<tr><td colspan="2">none</td></tr>'}</table>`;
}

export interface ReportInfo {
  title: string;
  source: string;
  asOf: string;
  transactionTime: string;
  unavailable: string[];
  link: (patientId: string) => string;
}

export function reportHtml(sorted: WorklistRow[], info: ReportInfo): string {
  const byStatus = new Map<string, number>();
  const byGap = new Map<string, number>();
  for (const r of sorted) {
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    for (const g of r.gaps) byGap.set(g, (byGap.get(g) ?? 0) + 1);
  }
  const gaps = new Map([...byGap].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  const statusName = (s: string) => `${(STATUS_LABELS as Record<string, string>)[s] ?? s} [${s}]`;
  const rows = sorted
    .map((r, k) => {
      const tier = tierOf(r);
      const cells = [
        `<td class="n">${k + 1}</td>`,
        `<td>${escapeHtml(TIER_LABELS[tier])}</td>`,
        `<td><a href="${escapeHtml(info.link(r.patientId))}">${escapeHtml(r.patientId)}</a></td>`,
        `<td>${escapeHtml(r.status)}</td>`,
        `<td>${escapeHtml(r.redFlags.join(", "))}</td>`,
        `<td>${escapeHtml(r.gaps.join(", "))}</td>`,
        `<td class="n">${r.largestLesionCm === null ? "" : escapeHtml(r.largestLesionCm)}</td>`,
        `<td>${escapeHtml([r.sex, r.ageYears === null ? null : `${r.ageYears} y`].filter(Boolean).join(", "))}</td>`,
        `<td><a href="assessments/${escapeHtml(encodeURIComponent(r.file))}">JSON</a></td>`,
      ];
      return `<tr class="t${tier}">${cells.join("")}</tr>`;
    })
    .join("\n");
  const unavailable = info.unavailable.length
    ? `<p><strong>Not delivered by the export:</strong> ${escapeHtml(info.unavailable.join(", "))}. Rules that need these could not be evaluated; patients are not reassured on missing data.</p>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(info.title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(info.title)}</h1>
<p class="muted">Source: ${escapeHtml(info.source)}; export of ${escapeHtml(info.transactionTime)}; assessed as of ${escapeHtml(info.asOf)}; ${sorted.length} patients. Decision support: the worklist points at evidence and gaps; the clinician decides.</p>
${unavailable}
${countTable("Patients by status", "status", byStatus, statusName)}
${countTable("Patients by workup gap", "gap", gaps, (g) => `${g}: ${label(g)}`)}
<h2>Worklist, most urgent first</h2>
<table><tr><th>#</th><th>tier</th><th>patient</th><th>status</th><th>red flags</th><th>workup gaps</th><th>largest lesion (cm)</th><th>sex, age</th><th>assessment</th></tr>
${rows}
</table></body></html>
`;
}
