/** HTTP for the screening: fetch with a timeout, and one-line descriptions of failures. */
export class ScreenError extends Error {}

const TIMEOUT_MS = 120_000;

export async function http(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new ScreenError(`${url}: no answer (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  }
}

/** "401 invalid_client: <description>" or the OperationOutcome's text, on one line, never a token. */
export async function describeResponse(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  let detail = "";
  try {
    const j = JSON.parse(text) as {
      error?: string;
      error_description?: string;
      issue?: { diagnostics?: string; details?: { text?: string } }[];
    };
    if (j.error) detail = `${j.error}${j.error_description ? `: ${j.error_description}` : ""}`;
    else if (j.issue)
      detail = j.issue
        .map((i) => i.details?.text ?? i.diagnostics ?? "")
        .filter(Boolean)
        .join("; ");
  } catch {
    detail = text.slice(0, 200);
  }
  return `HTTP ${res.status}${detail ? ` ${detail.replace(/\s+/g, " ")}` : ""}`;
}

/** Retry-After in ms (seconds or an HTTP date), clamped to [min, max]; `fallback` when absent. */
export function retryAfterMs(header: string | null, fallback: number, min = 0, max = 600_000): number {
  let ms = fallback;
  if (header && /^\d+$/.test(header.trim())) ms = Number(header.trim()) * 1000;
  else if (header && !Number.isNaN(Date.parse(header))) ms = Date.parse(header) - Date.now();
  return Math.min(max, Math.max(min, ms));
}
