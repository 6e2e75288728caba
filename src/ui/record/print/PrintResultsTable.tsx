import type { Assessment } from "../../../clinical/types";
import { formatDate } from "../../evidence/fhirText";
import { interpret, labLabel, normalizedText, rangeFor, resultValueText } from "../labs/labMeta";
import { allResults } from "../labs/results";

/** Every lab result, for paper: fixed columns that wrap (never clipped), the header repeated. */
export function PrintResultsTable(props: { assessment: Pick<Assessment, "labs"> }) {
  const rows = allResults(props.assessment);
  return (
    <section className="print-section print-results">
      <h2>{`All lab results (${rows.length})`}</h2>
      <table className="print-table" data-testid="print-results">
        <colgroup>
          <col style={{ width: "18%" }} />
          <col style={{ width: "12%" }} />
          <col style={{ width: "15%" }} />
          <col style={{ width: "15%" }} />
          <col style={{ width: "22%" }} />
          <col style={{ width: "18%" }} />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Analyte</th>
            <th scope="col">Date</th>
            <th scope="col">Value</th>
            <th scope="col">Normalised</th>
            <th scope="col">Range</th>
            <th scope="col">Reading</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, result }, i) => (
            <tr key={`${result.evidence}-${i}`}>
              <td>{labLabel(key)}</td>
              <td>{result.date ? formatDate(result.date) : "unknown"}</td>
              <td>{resultValueText(result)}</td>
              <td>{normalizedText(result)}</td>
              <td>{rangeFor(key, result).text}</td>
              <td>{interpret(key, result).text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
