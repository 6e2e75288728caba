import { useMemo } from "react";
import type Client from "fhirclient/lib/Client";
import type { Assessment } from "../../clinical/types";
import type { LoadSnapshot } from "../../fhir/types";
import { findingIdOf } from "../../writeback/finding";
import { WriteBackContainer, grantedScopesOf, relaunchHref, writeBackContext } from "../writeback";

/**
 * The write-back for a launched session: the granted scopes and launch context of this client, the
 * loaded record (capabilities, and the app's earlier note among its DocumentReferences). A session
 * that expires during a send is shown by the container itself: the record stays on screen.
 */
export function WriteBack(props: { client: Client; appUrl: string; assessment: Assessment; snapshot: LoadSnapshot }) {
  const { client, assessment, snapshot } = props;
  const context = useMemo(() => writeBackContext(client, { appUrl: props.appUrl, appVersion: __APP_VERSION__ }), [client, props.appUrl]);
  return (
    <WriteBackContainer
      // A new finding (the record changed, e.g. a failed search loaded on retry) is a new review and draft.
      key={findingIdOf(assessment)}
      client={client}
      assessment={assessment}
      capabilities={snapshot.capabilities}
      grantedScopes={grantedScopesOf(client)}
      context={context}
      resources={snapshot.resources}
      relaunchHref={relaunchHref(client, window.location.href)}
    />
  );
}
