/**
 * What the sandbox serves at start: the demo patients of sandbox/data (or the caller's own), extra
 * resources, and a Practitioner to be the signed-in user (fhirUser) when the data has none.
 */
import type { Patient, Practitioner, Resource } from "fhir/r4";
import { loadDemoPatients, type DemoPatient } from "./data/index";
import type { PatientSummary } from "./pages";

export const BUILTIN_PRACTITIONER_ID = "sandbox-practitioner";

const BUILTIN_PRACTITIONER: Practitioner = {
  resourceType: "Practitioner",
  id: BUILTIN_PRACTITIONER_ID,
  active: true,
  name: [{ use: "official", text: "Dr. Alex Sandbox", family: "Sandbox", given: ["Alex"], prefix: ["Dr."] }],
  qualification: [{ code: { text: "Rheumatology" } }],
};

// Building the demo patients takes ~0.2 s (the large record is generated). The store copies what it
// loads, so one set per process serves every sandbox started in it (tests start many).
let demoPatients: DemoPatient[] | undefined;

export interface Dataset {
  resources: Resource[];
  /** For the launch page and the patient picker, in order. */
  patients: PatientSummary[];
  defaultProviderId: string;
}

export function buildDataset(options: { patients?: DemoPatient[]; extraResources?: Resource[]; defaultProviderId?: string }): Dataset {
  const patients = options.patients ?? (demoPatients ??= loadDemoPatients());
  const resources = [...patients.flatMap((p) => p.resources), ...(options.extraResources ?? [])];

  const practitioners = resources.filter((r) => r.resourceType === "Practitioner");
  const defaultProviderId = options.defaultProviderId ?? practitioners[0]?.id ?? BUILTIN_PRACTITIONER_ID;
  if (!practitioners.some((p) => p.id === defaultProviderId)) {
    resources.push({ ...BUILTIN_PRACTITIONER, id: defaultProviderId });
  }

  const byId = new Map(patients.map((p) => [p.id, p]));
  const summaries: PatientSummary[] = resources
    .filter((r): r is Patient => r.resourceType === "Patient" && !!r.id)
    .map((r) => ({
      id: r.id!,
      name: displayName(r),
      summary: byId.get(r.id!)?.summary,
      expectedStatus: byId.get(r.id!)?.expectedStatus,
    }));
  // Demo patients in their own (launch-page) order first, then any extra patients.
  const order = (id: string) => (byId.has(id) ? patients.findIndex((p) => p.id === id) : patients.length);
  summaries.sort((a, b) => order(a.id) - order(b.id));
  return { resources, patients: summaries, defaultProviderId };
}

function displayName(p: Patient): string | undefined {
  const n = p.name?.find((x) => x.use === "official") ?? p.name?.[0];
  if (!n) return undefined;
  return n.text ?? [...(n.given ?? []), n.family].filter(Boolean).join(" ");
}
