import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { AxeResults, RunOptions } from "axe-core";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/** The WCAG 2 levels A and AA (2.0, 2.1, 2.2): what issue 18 asks every page to pass. */
export const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;

/** One rule axe-core found broken, with the elements and the fix its authors suggest. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
  /** What axe says about the first failing element (e.g. the measured contrast ratio). */
  summary: string;
}

let axeSource: string | null = null;
/** axe-core's browser bundle, read once from the installed package (no download). */
function source(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/**
 * Runs axe-core on `page` as it is now, with the WCAG 2 A/AA rules, and returns what fails.
 *
 * The app's CSP allows only scripts with the response's nonce, so a `<script>` tag with axe's
 * source would be refused (and would show up as a CSP violation). Evaluating the source through
 * the DevTools protocol (`page.evaluate` of a string) runs it outside the page's policy, which
 * stays as strict as users get it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(source());
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.join(" ")),
      summary: v.nodes[0]?.failureSummary ?? "",
    }));
  }, [...WCAG_AA_TAGS]);
}

/** Human-readable lines for a failure message: rule id, impact, help, and every failing element. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `- ${v.id} (${v.impact ?? "?"}): ${v.help} <${v.helpUrl}>\n    ${v.targets.join("\n    ")}\n    ${v.summary.replace(/\n/g, "\n    ")}`)
    .join("\n");
}

/**
 * Asserts that axe-core finds no WCAG 2 A/AA violation on `page` now. `label` names the page and
 * its state in the failure message. Use it for every new page or state:
 * `await expectNoAxeViolations(page, "queue panel, guest")`.
 */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  expect.soft(violations, `axe-core on ${label} (${page.url()}):\n${describeViolations(violations)}`).toEqual([]);
}
