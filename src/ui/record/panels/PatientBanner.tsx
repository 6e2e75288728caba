import Box from "@mui/material/Box";
import Skeleton from "@mui/material/Skeleton";
import Typography from "@mui/material/Typography";
import type { Assessment } from "../../../clinical/types";
import { ageOn, patientIdentifier, patientName } from "../../evidence/patientText";
import { type FhirResource, str } from "../../evidence/fhirText";
import { EvidenceButton } from "../ruleChips";

/** Name, sex, age, birth date and identifier; a fixed-height placeholder until the Patient arrives. */
export function PatientBanner(props: { patient?: FhirResource; assessment: Assessment | null; asOf: string }) {
  const { patient, assessment, asOf } = props;
  const name = patient ? (patientName(patient) ?? "Name not recorded") : undefined;
  const sex = (patient ? str(patient.gender) : undefined) ?? assessment?.patient.sex ?? "sex not recorded";
  const birth = patient ? str(patient.birthDate) : undefined;
  const age = birth ? ageOn(birth, asOf) : (assessment?.patient.ageYears ?? null);
  const ident = patient ? patientIdentifier(patient) : undefined;
  return (
    <Box
      component="section"
      aria-label="Patient"
      data-testid="patient-banner"
      sx={{
        bgcolor: "background.paper",
        borderBottom: 1,
        borderColor: "divider",
        px: { xs: 1.5, sm: 2 },
        py: 1,
        minHeight: 56,
        display: "flex",
        flexWrap: "wrap",
        alignItems: "baseline",
        columnGap: 2,
        rowGap: 0.25,
      }}
    >
      {patient ? (
        <>
          <Typography component="p" sx={{ fontWeight: 700, fontSize: "1.1rem", overflowWrap: "anywhere" }} data-testid="patient-name">
            {name}
          </Typography>
          <Box component="dl" sx={{ m: 0, display: "flex", flexWrap: "wrap", columnGap: 2, rowGap: 0.25, fontSize: "0.875rem" }}>
            <BannerItem label="Sex" value={sex} />
            <BannerItem label="Age" value={age !== null ? `${age} y` : "unknown"} />
            <BannerItem label="Born" value={birth ?? "not recorded"} />
            <BannerItem label="ID" value={ident ?? "none recorded"} />
            {patient.id && <BannerItem label="Record" value={patient.id} />}
          </Box>
          {patient.id && <EvidenceButton refId={`Patient/${patient.id}`} label={`Patient record of ${name}`} />}
        </>
      ) : (
        <Box sx={{ width: "100%" }}>
          <Typography component="p" variant="body2" sx={{ color: "text.secondary" }}>
            Loading patient details…
          </Typography>
          <Skeleton variant="text" width="60%" animation={false} aria-hidden="true" />
        </Box>
      )}
    </Box>
  );
}

function BannerItem(props: { label: string; value: string }) {
  return (
    <Box sx={{ display: "flex", gap: 0.5 }}>
      <Box component="dt" sx={{ color: "text.secondary" }}>
        {props.label}
      </Box>
      <Box component="dd" sx={{ m: 0, overflowWrap: "anywhere" }}>
        {props.value}
      </Box>
    </Box>
  );
}
