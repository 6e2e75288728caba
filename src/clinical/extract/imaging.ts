/**
 * Imaging: ImagingStudy (modality, body sites, descriptions) and DiagnosticReport (conclusion,
 * conclusionCode, text attachments). Each gives an ImagingFact (what was imaged, when, how) for the
 * imaging gaps, and its text gives lesions and the PC-DOC / PC-IMG / red-flag findings.
 */
import {
  BIOPSY_SNOMED,
  IMAGING_MODALITIES,
  PATHOLOGY_CATEGORIES,
  PATHOLOGY_REPORT_LOINC,
  RADIOGRAPHIC_CALCIFICATION,
  REGION_SNOMED,
  TUMORAL_CALCINOSIS,
  codingInSet,
  isLoincSystem,
  isSnomed,
} from "../codes";
import type { Day } from "../dates";
import { asArray, codings, conceptText, conceptsText, isObject, str, type Json } from "../json";
import type { Facts, ImagingFact } from "../model";
import { BIOPSY_RE, biopsySiteGroups, CALCIFICATION_RE, modalitiesOfText, readText, siteOfText } from "../text";
import type { SiteGroup } from "../types";
import { lesionFacts, type Site, type SiteSources } from "./placement";
import { lateralityOfCode, siteOfConcept } from "./sites";

const MODALITY_SET = new Set<string>(IMAGING_MODALITIES);

function modalityCode(c: unknown): string | null {
  if (!isObject(c) || typeof c.code !== "string") return null;
  const code = c.code.trim().toUpperCase();
  if (code === "MDCT") return "CT";
  return MODALITY_SET.has(code) ? code : null;
}

/** Body regions a CT or MRI covers (§6 G-SPINE): thorax, abdomen, pelvis, by words and codes. */
export function regionsOf(text: string, codes: readonly string[] = []): NonNullable<ImagingFact["regions"]> {
  const out = new Set<NonNullable<ImagingFact["regions"]>[number]>();
  const t = text.replace(/\b(?:thoracic|dorsal|lumbar) (?:spine|vertebr\w*)\b/gi, " ");
  if (/\b(?:thora\w*|chest|whole[- ]body|CAP)\b/i.test(t)) out.add("thorax");
  if (/\b(?:abdom\w*|whole[- ]body|CAP)\b|thoraco-?abdominal/i.test(t)) out.add("abdomen");
  if (/\b(?:pelvi[sc]|whole[- ]body|CAP)\b/i.test(t)) out.add("pelvis");
  for (const [region, list] of Object.entries(REGION_SNOMED)) if (codes.some((c) => list.includes(c))) out.add(region as "thorax");
  return [...out].sort();
}

/** Add the text's lesions and findings to the facts, with the source's date and modality; sites fall back on `sites` (§6 SITE). */
export function readImagingText(
  text: string,
  ref: string,
  day: Day | null,
  modality: string | null,
  source: "DiagnosticReport" | "ImagingStudy" | "DocumentReference",
  facts: Facts,
  sites: SiteSources = {},
) {
  const reading = readText(text);
  if (reading.pcDoc) facts.pcDoc.push({ ref, day, text: reading.pcDoc, source });
  const img = reading.softTissue ?? reading.calcification ?? reading.hedged;
  if (img) facts.imagingCalcification.push({ ref, day, text: img, source, ...(img === reading.hedged ? { hedged: true } : {}) });
  if (reading.neuro) facts.neuro.push({ ref, day, text: reading.neuro, source });
  if (reading.complicationWithCalcinosis)
    facts.complicationWithCalcinosis.push({ ref, day, text: reading.complicationWithCalcinosis, source });
  facts.lesions.push(...lesionFacts(reading.lesions, sites, { ref, day, modality, source }));
  return reading;
}

export function readImagingStudy(study: Json, ref: string, day: Day | null, facts: Facts): void {
  const modalities = new Set<string>();
  const groups = new Set<SiteGroup>();
  for (const m of asArray(study.modality)) {
    const code = modalityCode(m);
    if (code) modalities.add(code);
  }
  const texts: string[] = [];
  if (typeof study.description === "string") texts.push(study.description);
  const procedure = conceptsText(study.procedureCode);
  const seriesSides: Site[] = [];
  const siteCodes: string[] = [];
  for (const s of asArray(study.series)) {
    if (!isObject(s)) continue;
    const code = modalityCode(s.modality);
    if (code) modalities.add(code);
    if (isObject(s.bodySite) && isSnomed(str(s.bodySite.system)) && typeof s.bodySite.code === "string") siteCodes.push(s.bodySite.code);
    const site = siteOfConcept(s.bodySite);
    if (site) {
      groups.add(site.group);
      const side = isObject(s.laterality) && isSnomed(str(s.laterality.system)) ? lateralityOfCode(str(s.laterality.code)) : null;
      seriesSides.push({ group: site.group, side: side ?? site.side, name: site.name ?? null });
    }
    if (typeof s.description === "string") texts.push(s.description);
  }
  const text = texts.join(".\n");
  // Coded modalities win; the words ("MDCT", "radiograph") only when none is coded.
  if (modalities.size === 0) for (const m of modalitiesOfText(`${text} ${procedure}`)) modalities.add(m);
  const only = modalities.size === 1 ? [...modalities][0]! : null;
  const reading = readImagingText(text, ref, day, only, "ImagingStudy", facts, { series: seriesSides });
  for (const g of reading.siteGroups) groups.add(g);
  for (const g of readText(procedure).siteGroups) groups.add(g);
  const name = [str(study.description), procedure].find((x) => x && x.trim()) ?? undefined;
  facts.imaging.push({
    ref,
    day,
    modalities: [...modalities].sort(),
    siteGroups: [...groups].sort(),
    sides: seriesSides,
    ...(name ? { name } : {}),
    regions: regionsOf(`${text} ${procedure}`, siteCodes),
  });
}

function isCategory(report: Json, codes: readonly string[]): boolean {
  for (const cc of asArray(report.category))
    for (const c of codings(cc)) if (typeof c.code === "string" && codes.includes(c.code)) return true;
  return false;
}

/** What a report takes from the ImagingStudy it links (readers.ts keeps one per study). */
export interface StudyInfo {
  modalities: string[];
  siteGroups: SiteGroup[];
  /** Site and side of each series with a coded body site (§6 SITE). */
  sides: Site[];
  regions: NonNullable<ImagingFact["regions"]>;
}

/** Where the report's lesions may lie besides its text (§6 SITE): its title, its studies, its Observations. */
export interface ReportContext {
  studies: Map<string, StudyInfo>;
  /** Body sites of Observations, by reference. */
  observationSites: Map<string, Site>;
}

/**
 * A DiagnosticReport. Lab reports (category LAB) carry no lesion text. Pathology reports and
 * biopsies are recorded for G-NEO. Other reports are read as imaging text; they count as imaging
 * when a modality is known (from the linked ImagingStudy, the report code, or the text).
 * `text`: the report's conclusion and attachment text (documents.ts).
 */
export function readDiagnosticReport(report: Json, ref: string, day: Day | null, facts: Facts, ctx: ReportContext, text: string): void {
  if (isCategory(report, ["LAB"])) return;
  const codeText = conceptText(report.code);
  const pathologyCode = codings(report.code).some(
    (c) => isLoincSystem(c.system) && (PATHOLOGY_REPORT_LOINC as readonly string[]).includes(c.code ?? ""),
  );
  if (pathologyCode || isCategory(report, PATHOLOGY_CATEGORIES) || BIOPSY_RE.test(codeText)) {
    facts.biopsies.push({ ref, day, siteGroups: biopsySiteGroups(`${codeText}\n${text}`) });
    return;
  }
  const modalities = new Set<string>();
  const covered = new Set<SiteGroup>();
  const series: Site[] = [];
  const regions = new Set(regionsOf(codeText));
  for (const s of asArray(report.imagingStudy)) {
    const target = isObject(s) ? str(s.reference) : undefined;
    const study = target ? ctx.studies.get(target) : undefined;
    for (const m of study?.modalities ?? []) modalities.add(m);
    for (const g of study?.siteGroups ?? []) covered.add(g);
    for (const r of study?.regions ?? []) regions.add(r);
    series.push(...(study?.sides ?? []));
  }
  const observations: Site[] = [];
  for (const r of asArray(report.result)) {
    const site = isObject(r) ? ctx.observationSites.get(str(r.reference) ?? "") : undefined;
    if (site) observations.push(site);
  }
  // Coded (study) modalities first; then the report's name; the conclusion's words last.
  if (modalities.size === 0) for (const m of modalitiesOfText(codeText)) modalities.add(m);
  if (modalities.size === 0) for (const m of modalitiesOfText(text)) modalities.add(m);

  const conclusionCodes = asArray(report.conclusionCode).flatMap(codings);
  const codedPc = conclusionCodes.some((c) => codingInSet(c.system, c.code, TUMORAL_CALCINOSIS));
  const codedCalc = conclusionCodes.some((c) => codingInSet(c.system, c.code, RADIOGRAPHIC_CALCIFICATION));
  const only = modalities.size === 1 ? [...modalities][0]! : null;
  const reading = readImagingText(text, ref, day, only, "DiagnosticReport", facts, { title: codeText, series, observations });
  if (codedPc && !reading.pcDoc)
    facts.pcDoc.push({ ref, day, text: conceptsText(report.conclusionCode) || "tumoral calcinosis (coded)", source: "DiagnosticReport" });
  if (codedCalc && !reading.calcification)
    facts.imagingCalcification.push({ ref, day, text: conceptsText(report.conclusionCode), source: "DiagnosticReport" });
  if (modalities.size > 0) {
    // What was imaged: the report's name and its study; the conclusion's sites only when those name none.
    for (const g of readText(codeText).siteGroups) covered.add(g);
    if (covered.size === 0) for (const g of reading.siteGroups) covered.add(g);
    const title = siteOfText(codeText);
    const sides = series.length ? series : title.group ? [{ group: title.group, side: title.side }] : [];
    facts.imaging.push({
      ref,
      day,
      modalities: [...modalities].sort(),
      siteGroups: [...covered].sort(),
      sides,
      // The report's own name for itself: its code's text, else the first display.
      ...(codeText ? { name: codeText.split(" | ")[0]! } : {}),
      regions: [...regions].sort(),
    });
  }
}

/** Procedures that bring tissue to histology (G-NEO): biopsy, excision. */
const HISTOLOGY_PROCEDURE_RE = /\b(biops\w*|excision\w*|excised|resection\w*|curettage)\b/i;
/** Treatments of calcinosis (§1: surgery, evacuation, intralesional steroid; lithotripsy). */
const CALCIFIC_WORDS = new RegExp(CALCIFICATION_RE.source, "i");
const CALCINOSIS_TREATMENT_RE = /\b(lithotripsy|evacuation|intralesional|debridement|excision|curettage)\b/i;

/**
 * A Procedure. A biopsy or excision (SNOMED 86273004, or the words) is histology for G-NEO. A
 * treatment that names calcinosis (excision, evacuation, lithotripsy, intralesional steroid)
 * documents calcinosis at its site (PC-CALC).
 */
export function readProcedure(proc: Json, ref: string, day: Day | null, facts: Facts): void {
  const isBiopsy = codings(proc.code).some((c) => isSnomed(c.system) && (BIOPSY_SNOMED as readonly string[]).includes(c.code ?? ""));
  const text = [conceptText(proc.code), ...asArray(proc.reasonCode).map(conceptText), conceptsText(proc.bodySite)]
    .filter(Boolean)
    .join(" | ");
  const groups = new Set<SiteGroup>(biopsySiteGroups(text));
  for (const b of asArray(proc.bodySite)) {
    const s = siteOfConcept(b);
    if (s) groups.add(s.group);
  }
  if (isBiopsy || BIOPSY_RE.test(text) || HISTOLOGY_PROCEDURE_RE.test(text)) facts.biopsies.push({ ref, day, siteGroups: [...groups] });
  if (CALCINOSIS_TREATMENT_RE.test(text) && CALCIFIC_WORDS.test(text)) facts.calcinosis.push({ ref, day, text, source: "Procedure" });
}
