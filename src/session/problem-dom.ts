import type { Problem } from "./problems";

/**
 * Renders a Problem with plain DOM for the launch page, which stays small (no React, no MUI).
 * Every string goes in as text, never as HTML: issuer URLs come from the address bar.
 */
export function renderProblem(root: HTMLElement, problem: Problem): void {
  const main = document.createElement("main");
  main.className = "problem";
  main.dataset.problem = problem.kind;
  const heading = document.createElement("h1");
  heading.textContent = problem.title;
  const message = document.createElement("p");
  message.textContent = problem.message;
  const nextStep = document.createElement("p");
  nextStep.className = "next-step";
  nextStep.textContent = `What to do: ${problem.nextStep}`;
  main.append(heading, message, nextStep);
  if (problem.details) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Technical details";
    const pre = document.createElement("pre");
    pre.textContent = problem.details;
    details.append(summary, pre);
    main.append(details);
  }
  root.replaceChildren(main);
  heading.tabIndex = -1;
  heading.focus();
}
