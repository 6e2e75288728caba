/** The patient's name, record number and age as shown in the banner, the summaries and the evidence viewer. */
import { conceptText, str } from "./fhirText";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function patientName(p: Json): string | undefined {
  const names: Json[] = Array.isArray(p?.name) ? p.name : [];
  const pick = names.find((n) => n?.use === "official") ?? names.find((n) => n?.use === "usual") ?? names[0];
  if (!pick) return undefined;
  if (str(pick.text)) return pick.text;
  const given = Array.isArray(pick.given) ? pick.given.filter((g: unknown) => typeof g === "string").join(" ") : "";
  const family = str(pick.family) ?? "";
  const full = `${given} ${family}`.trim();
  return full || undefined;
}

export function patientIdentifier(p: Json): string | undefined {
  const ids: Json[] = Array.isArray(p?.identifier) ? p.identifier : [];
  const isMrn = (i: Json) => Array.isArray(i?.type?.coding) && i.type.coding.some((c: Json) => c?.code === "MR");
  const pick = ids.find(isMrn) ?? ids.find((i) => str(i?.value));
  if (!pick || !str(pick.value)) return undefined;
  const label = conceptText(pick.type) ?? (isMrn(pick) ? "MRN" : undefined);
  return label ? `${label} ${pick.value}` : pick.value;
}

/** Whole years between a birth date and the as-of date. */
export function ageOn(birthDate: unknown, asOf: string): number | null {
  const b = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(str(birthDate) ?? "");
  const a = /^(\d{4})-(\d{2})-(\d{2})/.exec(asOf);
  if (!b || !a) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? 1), Number(b[3] ?? 1)];
  const [ay, am, ad] = [Number(a[1]), Number(a[2]), Number(a[3])];
  let age = ay - by;
  if (am < bm || (am === bm && ad < bd)) age--;
  return age >= 0 ? age : null;
}
