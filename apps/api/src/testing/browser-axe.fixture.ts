// Accessibility checks of a page with axe-core (@axe-core/playwright) in the
// same browser: a page passes when axe finds no violation of impact
// 'serious' or 'critical' (moderate and minor ones are not failures). axe
// runs as a script in the page, so the page's context must have JavaScript
// enabled (in a context with javaScriptEnabled: false it never answers).
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** axe's results (axe-core's `AxeResults`, named through @axe-core/playwright: axe-core is not a direct dependency). */
export type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
/** One violated rule and the elements it found. */
export type Result = AxeResults['violations'][number];

/** The impacts that fail a page. */
export const FAILING_IMPACTS: readonly string[] = ['serious', 'critical'];

/** The violations of `results` with a failing impact. */
export const failingViolations = (results: Pick<AxeResults, 'violations'>): readonly Result[] =>
  results.violations.filter((violation) => violation.impact != null && FAILING_IMPACTS.includes(violation.impact));

/** One line per violation (rule, impact, help, its URL), then one per element it found (selector). */
export const formatViolations = (violations: readonly Result[]): string =>
  violations
    .map((violation) =>
      [
        `- ${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} (${violation.helpUrl})`,
        ...violation.nodes.map((node) => `    at ${node.target.map(String).join(' > ')}`),
      ].join('\n'),
    )
    .join('\n');

/**
 * Runs axe on `page` as it is now; throws listing every serious or critical
 * violation (`label` names the page in the message). Answers the full
 * results otherwise.
 */
export const assertAccessible = async (page: Page, label: string): Promise<AxeResults> => {
  const results = await new AxeBuilder({ page }).analyze();
  const failing = failingViolations(results);
  if (failing.length > 0) {
    throw new Error(
      `${label} (${page.url()}): ${failing.length} serious or critical accessibility violation(s):\n${formatViolations(failing)}`,
    );
  }
  return results;
};
