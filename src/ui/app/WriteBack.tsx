import type Client from "fhirclient/lib/Client";
import type { Assessment } from "../../clinical/types";
import type { CapabilitySummary } from "../../fhir/types";
import { WriteBackContainer, grantedScopesOf, writeBackContext } from "../writeback";

/** The write-back for a launched session: the granted scopes and launch context of this client. */
export function WriteBack(props: {
  client: Client;
  appUrl: string;
  assessment: Assessment;
  capabilities: CapabilitySummary | null | undefined;
  onSessionExpired(): void;
}) {
  const { client } = props;
  return (
    <WriteBackContainer
      client={client}
      assessment={props.assessment}
      capabilities={props.capabilities}
      grantedScopes={grantedScopesOf(client)}
      context={writeBackContext(client, { appUrl: props.appUrl, appVersion: __APP_VERSION__ })}
      onResult={(result) => result.sessionExpired && props.onSessionExpired()}
    />
  );
}
