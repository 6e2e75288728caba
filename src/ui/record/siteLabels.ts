/** Words for the engine's site groups (Lesion.siteGroup). */
export const SITE_LABELS: Record<string, string> = {
  "hand-wrist": "Hand / wrist",
  "shoulder-elbow": "Shoulder / elbow",
  "hip-pelvis": "Hip / pelvis",
  spine: "Spine",
  trunk: "Trunk / back",
  "lower-limb": "Lower limb",
  other: "Other site",
};

export function siteLabel(s: string): string {
  return SITE_LABELS[s] ?? s;
}
