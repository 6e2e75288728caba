import type { ReactNode } from "react";
import { ageOn, patientIdentifier, patientName } from "../../evidence/patientText";
import { type FhirResource, formatDate, str } from "../../evidence/fhirText";
import { evidenceLabel } from "../../evidence/resourceSummary";
import { LAB_ORDER, interpret, labLabel, rangeFor, resultValueText } from "../labs/labMeta";
import { statusLabel } from "../ruleInfo";
import { useEvidence } from "../../evidence/EvidenceContext";
import { lesionRows, modalityText, sizeText } from "../lesions/lesionRows";
import { orderGaps } from "../panels/WorkupGapsPanel";
import { secondaryCauseLine } from "../summary/nextSteps";
import { memoOnAssessment, type AssessmentParts } from "../memoOnAssessment";
import { PrintResultsTable } from "./PrintResultsTable";

function Section(props: { title: string; children: ReactNode }) {
  return (
    <section className="print-section">
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

const PRINT_PARTS = [
  "asOf",
  "patient",
  "ruleset",
  "status",
  "statusReason",
  "ssc",
  "redFlags",
  "findings",
  "lesions",
  "secondaryCauses",
  "workupGaps",
  "labs",
] as const;
type PrintParts = AssessmentParts<(typeof PRINT_PARTS)[number]>;

/** Every resource the printed items cite, once, in the order first cited. */
function citedRefs(a: PrintParts): string[] {
  const refs = new Set<string>();
  const add = (list: readonly string[] | undefined) => list?.forEach((r) => refs.add(r));
  for (const f of [...a.redFlags, ...a.findings, ...a.secondaryCauses]) add(f.evidence);
  for (const l of a.lesions) add(l.evidence);
  for (const g of a.workupGaps) add(g.evidence);
  add(a.ssc.evidence);
  return [...refs];
}

/**
 * What goes on paper (print-only): a one- to two-page clinical summary. The header (patient, date,
 * ruleset) is the table's <thead>, which the browser repeats on every printed page. The full table
 * of lab results is printed only when asked for.
 */
function PrintSummaryView(props: { assessment: PrintParts; patient?: FhirResource; allResults: boolean }) {
  const { assessment: a, patient: p } = props;
  const { resolve } = useEvidence();
  const birth = p ? str(p.birthDate) : undefined;
  const age = birth ? ageOn(birth, a.asOf) : a.patient.ageYears;
  const who = p ? (patientName(p) ?? "name not recorded") : `Patient ${a.patient.id}`;
  const ident = p ? patientIdentifier(p) : undefined;
  const causes = secondaryCauseLine(a);
  const refs = citedRefs(a);
  const labs = LAB_ORDER.filter((k) => a.labs[k]?.latest);
  return (
    <div className="print-only print-summary" data-testid="print-summary">
      <table className="print-frame">
        <thead>
          <tr>
            <td>
              <div className="print-header" data-testid="print-header">
                <strong>{who}</strong>
                {` · born ${birth ?? "?"} (${age ?? "?"} y)${ident ? ` · ${ident}` : ""}`}
                <span>{` · Pseudotumoral calcinosis review as of ${a.asOf} · ruleset ${a.ruleset.id} ${a.ruleset.version}`}</span>
              </div>
            </td>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <p className="print-status">{statusLabel(a.status)}</p>
              <p>{a.statusReason}</p>
              {causes && <p>{causes}</p>}
              {a.redFlags.length > 0 && (
                <Section title="Red flags">
                  <ul>
                    {a.redFlags.map((f, i) => (
                      <li key={i}>{`${f.text} [${f.ruleId}]`}</li>
                    ))}
                  </ul>
                </Section>
              )}
              {a.lesions.length > 0 && (
                <Section title="Lesions">
                  <ol>
                    {lesionRows(a.lesions).map((r) => (
                      <li key={r.id}>
                        <strong>{r.label}</strong>
                        {`: latest ${r.latestCm ?? "size not stated"}${r.latestCm !== null ? " cm" : ""}; `}
                        {r.measurements
                          .map((m) => `${m.date ? formatDate(m.date) : "date unknown"} ${modalityText(m.modality)} ${sizeText(m)}`)
                          .join(" → ")}
                      </li>
                    ))}
                  </ol>
                </Section>
              )}
              {a.secondaryCauses.length > 0 && (
                <Section title="Secondary causes to review">
                  <ul>
                    {a.secondaryCauses.map((s, i) => (
                      <li key={i}>{`${s.text}${s.detail ? ` (${s.detail})` : ""} [${s.ruleId}]`}</li>
                    ))}
                  </ul>
                </Section>
              )}
              {a.workupGaps.length > 0 && (
                <Section title="Workup gaps">
                  <ol>
                    {orderGaps(a.workupGaps).map((g, i) => (
                      <li key={i}>{`${g.text} [${g.ruleId}]`}</li>
                    ))}
                  </ol>
                </Section>
              )}
              {labs.length > 0 && (
                <Section title="Latest labs">
                  <ul className="print-columns">
                    {labs.map((k) => {
                      const r = a.labs[k]!.latest!;
                      return (
                        <li
                          key={k}
                        >{`${labLabel(k)} ${resultValueText(r)} (${r.date ? formatDate(r.date) : "date unknown"}; range ${rangeFor(k, r).text}; ${interpret(k, r).text})`}</li>
                      );
                    })}
                  </ul>
                </Section>
              )}
              {refs.length > 0 && (
                <Section title="Evidence">
                  <ul className="print-columns">
                    {refs.map((ref) => (
                      <li key={ref}>{evidenceLabel(ref, resolve(ref))}</li>
                    ))}
                  </ul>
                </Section>
              )}
              {props.allResults && <PrintResultsTable assessment={a} />}
              <p className="print-note">Decision support only: every item needs clinical review.</p>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** The printed summary (rendered again only when the parts it prints change). */
export const PrintSummary = memoOnAssessment(PrintSummaryView, PRINT_PARTS);
