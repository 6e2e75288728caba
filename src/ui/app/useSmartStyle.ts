import { useEffect, useState } from "react";
import type Client from "fhirclient/lib/Client";
import type { SmartStyle } from "../theme";

/**
 * The EHR's style document (`smart_style_url` in the token response), fetched once. A missing or
 * unreadable document is not an error: the app keeps its own calm theme.
 */
export function useSmartStyle(client: Client | null): SmartStyle | undefined {
  const [style, setStyle] = useState<SmartStyle>();
  const styleUrl = client?.state.tokenResponse?.smart_style_url;
  useEffect(() => {
    if (typeof styleUrl !== "string" || !/^https?:\/\//.test(styleUrl)) return;
    const controller = new AbortController();
    fetch(styleUrl, { signal: controller.signal, credentials: "omit" })
      .then((response) => (response.ok ? response.json() : undefined))
      .then((json: unknown) => {
        if (json && typeof json === "object") setStyle(json as SmartStyle);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [styleUrl]);
  return style;
}
