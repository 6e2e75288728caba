import { useEffect, useState } from "react";
import type Client from "fhirclient/lib/Client";
import { fetchSmartStyle } from "../../session/smart-style";
import type { SmartStyle } from "../theme";

/** The EHR's style document (`smart_style_url`), fetched once per client. */
export function useSmartStyle(client: Client | null): SmartStyle | undefined {
  const [style, setStyle] = useState<SmartStyle>();
  const styleUrl = client?.state.tokenResponse?.smart_style_url;
  useEffect(() => {
    const controller = new AbortController();
    void fetchSmartStyle(styleUrl, controller.signal).then((json) => {
      if (json && !controller.signal.aborted) setStyle(json as SmartStyle);
    });
    return () => controller.abort();
  }, [styleUrl]);
  return style;
}
