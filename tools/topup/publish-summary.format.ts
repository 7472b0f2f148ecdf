// The text `npm run topup:publish` prints: progress lines (when stdout is not
// a terminal) and the summary. Commands are named by their file line (or
// message id), never by a value they carry.
import type { PublishProgress, PublishTopUpCommandsReport } from '@airtime/messaging-rabbitmq';

/** The most problems listed one by one; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/** A plain progress line, e.g. "published 500/1000 (0 invalid, 1 failed)". */
export const progressLine = (progress: PublishProgress): string =>
  `published ${progress.published}/${progress.total} (${progress.invalid} invalid, ${progress.failed} failed)`;

/** Whether `progress` crosses a tenth of the total (or ends it): when a plain line is printed. */
export const isProgressStep = (progress: PublishProgress): boolean =>
  progress.done === progress.total ||
  Math.floor((progress.done * 10) / progress.total) > Math.floor(((progress.done - 1) * 10) / progress.total);

/** Lists `items`, at most MAX_LISTED_PROBLEMS, then how many more. */
export const listed = (items: readonly string[]): string[] =>
  items.length <= MAX_LISTED_PROBLEMS
    ? items.map((item) => `  ${item}`)
    : [
        ...items.slice(0, MAX_LISTED_PROBLEMS).map((item) => `  ${item}`),
        `  ... and ${items.length - MAX_LISTED_PROBLEMS} more`,
      ];

/**
 * The summary after publishing; `lineOf(index)` names a command by its file
 * line. Published commands are listed with their message ids when there are
 * few (one command from flags).
 */
export const publishSummary = (report: PublishTopUpCommandsReport, lineOf: (index: number) => string): string => {
  const lines = [
    `${report.published} of ${report.total} commands published and confirmed` +
      (report.invalid.length + report.failed.length > 0
        ? ` (${report.invalid.length} invalid, ${report.failed.length} not confirmed)`
        : ''),
  ];
  if (report.total <= 3) {
    for (const [index, messageId] of report.messageIds) lines.push(`  ${lineOf(index)}: message id ${messageId}`);
  }
  if (report.invalid.length > 0) {
    lines.push('invalid (not published):', ...listed(report.invalid.map((c) => `${lineOf(c.index)}: ${c.reason}`)));
  }
  if (report.failed.length > 0) {
    lines.push(
      'not confirmed (publish them again with the same message id, or the same external id):',
      ...listed(report.failed.map((c) => `${lineOf(c.index)}: message id ${c.messageId ?? '-'}: ${c.reason}`)),
    );
  }
  return lines.join('\n');
};
