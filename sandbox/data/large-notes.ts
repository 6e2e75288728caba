import type { Resource } from "fhir/r4";
import { mulberry32 } from "../random";
import { binary, binaryAttachment, clinicalNote, inlineAttachment, utf8 } from "./document-builders";

/**
 * The `large` patient's clinical notes: 200 plain-text notes over 15 years, so loading with and
 * without documents can be benchmarked on a realistic record. Most sit behind a Binary (the
 * attachment's url), every sixth is inline. They are unremarkable follow-up notes, except one that
 * repeats the known left hip mass in words. Seeded: the same bytes on every generation.
 */

const NOTE_COUNT = 200;
const FIRST = Date.UTC(2011, 11, 12);
const LAST = Date.UTC(2026, 10, 10);
const DAY = 86_400_000;
const SEED = 0x0d0c_2026;
const CONTENT_TYPE = "text/plain; charset=utf-8";

const AUTHORS = ["Dr. Lena Sørensen, Rheumatology", "Dr. Marco Bellini, Rheumatology", "Dr. Aisha Rahman, Rheumatology"];

type Pick = (options: readonly string[]) => string;

/** One follow-up note, made of sentences that carry no finding the engine looks for. */
function noteText(pick: Pick, rand: () => number, year: number): string {
  const n = (lo: number, hi: number) => String(Math.round(lo + rand() * (hi - lo)));
  return [
    pick([
      "Rheumatology follow-up visit.",
      "Routine review in the scleroderma clinic.",
      "Telephone review.",
      "Review after lung function tests.",
    ]),
    pick([
      `Modified Rodnan skin score ${n(10, 22)}, stable.`,
      "Skin thickening of the forearms unchanged.",
      "Some softening of the skin over the upper arms since the last visit.",
    ]),
    pick([
      "Raynaud's phenomenon manageable on nifedipine.",
      "More frequent Raynaud's attacks in the cold weather.",
      "Raynaud's phenomenon quiet.",
    ]),
    year >= 2016
      ? pick([
          `Breathlessness on exertion unchanged; FVC ${n(68, 84)}% predicted.`,
          "Interstitial lung disease stable on mycophenolate mofetil.",
          "No cough; chest clear on auscultation.",
        ])
      : pick(["No cough; chest clear on auscultation.", "No breathlessness.", "Lung function tests arranged."]),
    pick(["Reflux controlled on omeprazole.", "Occasional dysphagia for solids.", `Weight stable at ${n(58, 64)} kg.`]),
    pick([
      "Full blood count and renal function within normal limits.",
      `Blood pressure ${n(112, 134)}/${n(68, 84)} mmHg.`,
      "Blood tests reviewed with the patient.",
    ]),
    pick([
      "Plan: continue current treatment, review in three months.",
      "Plan: no change to medication.",
      "Plan: repeat lung function tests in six months.",
    ]),
  ].join("\n");
}

/** The note that says in words what the CT of 3 March 2026 measured. */
const HIP_NOTE = {
  date: Date.UTC(2026, 2, 20, 10, 30),
  text: [
    "Rheumatology follow-up visit.",
    "Known left hip calcific mass, 3.2 cm on the CT of 3 March 2026; aching when lying on the left side.",
    "Skin over the hip intact.",
    "Plan: discuss the CT findings at the next visit.",
  ].join("\n"),
};

export function generateLargeNotes(patientId: string): Resource[] {
  const rand = mulberry32(SEED);
  const pick: Pick = (options) => options[Math.floor(rand() * options.length)];
  const step = (LAST - FIRST) / (NOTE_COUNT - 2);
  const notes = Array.from({ length: NOTE_COUNT - 1 }, (_, i) => {
    const date = Math.round((FIRST + i * step + rand() * 10 * DAY) / 60_000) * 60_000;
    return { date, text: noteText(pick, rand, new Date(date).getUTCFullYear()) };
  });
  notes.push(HIP_NOTE);
  notes.sort((a, b) => a.date - b.date);

  return notes.flatMap((note, i) => {
    const number = String(i + 1).padStart(4, "0");
    const date = new Date(note.date).toISOString();
    const spec = {
      id: `${patientId}-doc-${number}`,
      patientId,
      type: i % 10 === 9 ? ("consult" as const) : ("progress" as const),
      date,
      author: AUTHORS[i % AUTHORS.length],
      description: "Rheumatology clinic note",
    };
    if (i % 6 === 5) {
      return [clinicalNote({ ...spec, attachment: inlineAttachment(CONTENT_TYPE, utf8(note.text), "Clinic note", date) })];
    }
    const bin = binary({
      id: `${patientId}-bin-${number}`,
      contentType: CONTENT_TYPE,
      bytes: utf8(note.text),
      securityContext: `Patient/${patientId}`,
    });
    return [bin, clinicalNote({ ...spec, attachment: binaryAttachment(bin, "Clinic note", date) })];
  });
}
