import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { loadSmartConfig } from "../../src/session/config";
import { problems } from "../../src/session/problems";
import { ProblemScreen } from "../../src/ui/errors/ProblemScreen";
import { renderUi } from "./render";

describe("the settings screen", () => {
  it("shows where smart-config.json is broken, without opening the technical details", async () => {
    const broken = '{\n  "ehrs": [\n    { "issMatch": "https://a.example/fhir", "clientId": "a", }\n  ]\n}';
    const serve = (async () => new Response(broken)) as unknown as typeof fetch;
    const error = await loadSmartConfig("https://apps.example.org/calcinosis/index.html", serve).catch((e: Error) => e);
    renderUi(<ProblemScreen problem={problems.configUnreadable((error as Error).message)} />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("The app's settings could not be read");
    expect(screen.getByRole("alert").textContent).toMatch(/smart-config\.json, line 3, column 60: a trailing "," before "}": remove it/);
    expect(screen.getByText(/npm run check-config/)).toBeTruthy();
  });
});
