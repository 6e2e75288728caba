/**
 * The EHR's style document (`smart_style_url` in the token response). Part of the launch, not of
 * the record: fetched without credentials, and a missing or unreadable document is not an error
 * (undefined: the app keeps its own calm theme).
 */
export async function fetchSmartStyle(styleUrl: unknown, signal: AbortSignal): Promise<Record<string, unknown> | undefined> {
  if (typeof styleUrl !== "string" || !/^https?:\/\//.test(styleUrl)) return undefined;
  try {
    const response = await fetch(styleUrl, { signal, credentials: "omit" });
    if (!response.ok) return undefined;
    const json: unknown = await response.json();
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
