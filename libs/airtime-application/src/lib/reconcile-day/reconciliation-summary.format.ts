// The human summary of a reconciliation report: plain text, one fact per
// line, every mismatch with both sides, every settlement with its reason,
// every top-up awaiting a decision with the command that settles it; hidden
// characters (a provider's ANSI escape or bidi override) written as escapes.
import { MISMATCH_KINDS } from '@airtime/domain';
import { escapeHiddenCharacters } from '../visible-text/hidden-characters.format';
import { mismatchCount } from './reconciliation-report';
import type {
  ReconciliationReport,
  ReportAmount,
  ReportBalance,
  ReportHeldNeverSent,
  ReportMismatch,
  ReportOurSide,
  ReportSettlement,
  ReportTheirSide,
} from './reconciliation-report.types';

const amount = (value: ReportAmount | null): string => (value === null ? '-' : `${value.currency} ${value.amount}`);

const ourLine = (ours: ReportOurSide | null): string =>
  ours === null
    ? 'ours:   none (we never sent it)'
    : `ours:   top-up ${ours.topUpId} (external id ${ours.externalId}, account ${ours.accountId}), ` +
      `attempt ${ours.attemptNumber} ${ours.state} ${ours.status}` +
      `${ours.failureReason === null ? '' : ` (${ours.failureReason})`}, top-up ${ours.topUpStatus}, ` +
      `receive ${amount(ours.receive)}, charged ${amount(ours.charged)}, started ${ours.startedAt}`;

const theirLine = (theirs: ReportTheirSide): string =>
  `theirs: transaction ${theirs.providerTransactionId} ${theirs.status}, receive ${amount(theirs.receive)}, ` +
  `charged ${amount(theirs.charged)}, created ${theirs.createdAt ?? '-'}`;

const mismatchLines = (mismatch: ReportMismatch, index: number): readonly string[] => [
  `  ${index + 1}. ${mismatch.kind} ${mismatch.providerExternalId}`,
  `     ${ourLine(mismatch.ours)}`,
  ...(mismatch.theirs.length === 0
    ? ['     theirs: none (the provider has no such transaction)']
    : mismatch.theirs.map((theirs) => `     ${theirLine(theirs)}`)),
  `     ${mismatch.detail}`,
];

const settlementLine = (settlement: ReportSettlement): string =>
  `  - top-up ${settlement.topUpId}: ${settlement.fromStatus} -> ${settlement.toStatus} ` +
  `by ${settlement.actor === 'operator' ? `operator ${settlement.operator ?? '?'}` : 'the reconciler'} ` +
  `[${settlement.state}${settlement.refusal === null ? '' : `: ${settlement.refusal}`}]: ${settlement.reason}`;

const balanceLine = (balance: ReportBalance): string => {
  const difference = balance.matches
    ? 'matches'
    : balance.theirs === null
      ? `the provider reports no balance in ${balance.currency}`
      : `differs by ${balance.difference ?? '?'}`;
  const verdict =
    balance.unstableReason === null
      ? difference
      : `${difference} (unstable: ${balance.unstableReason}; not a mismatch)`;
  return `  ${balance.currency} ${balance.field}: ours ${balance.ours}, theirs ${balance.theirs ?? '-'}, ${verdict}`;
};

const MINUTE_MS = 60_000;

/** How long from `since` to `until` (ISO texts), to the minute: `2d 14h 5m`, `14h 0m` (no days when none). */
export const ageBetween = (since: string, until: string): string => {
  const minutes = Math.max(0, Math.floor((Date.parse(until) - Date.parse(since)) / MINUTE_MS));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  return `${days > 0 ? `${days}d ` : ''}${hours}h ${minutes % 60}m`;
};

const heldNeverSentLine = (held: ReportHeldNeverSent, runStartedAt: string): string =>
  `  - top-up ${held.topUpId} (external id ${held.externalId}, account ${held.accountId}), ${held.status}, ` +
  `holds ${amount(held.held)} since ${held.createdAt} (${ageBetween(held.createdAt, runStartedAt)} before the run)`;

const section = (title: string, lines: readonly string[], empty: string): readonly string[] => [
  '',
  title,
  ...(lines.length === 0 ? [`  ${empty}`] : lines),
];

/**
 * The summary text of a report (ends with a newline): the window and
 * outcome, counts per class, amounts per currency, each mismatch with both
 * sides and its detail, settlements with their reasons, top-ups awaiting a
 * decision with the admin command, top-ups held and never sent (with how
 * long before the run's start each was requested), the balances (why one is unstable), the
 * unreadable balances, and what was not verified and why. Every hidden
 * character of a line is written as a \uXXXX escape (escapeHiddenCharacters):
 * a provider's text (the external id of a transaction it lists) can then
 * neither steer the operator's terminal nor forge a line of the report; an
 * operator's reason keeps its line feeds as `\u000a`, one fact per line.
 */
export const formatSummary = (report: ReconciliationReport): string => {
  const { counts } = report;
  const lines = [
    `Reconciliation of ${report.provider} from ${report.window.from} to ${report.window.to}`,
    `Run ${report.run.id}, ${report.run.startedAt} to ${report.run.finishedAt}`,
    `Outcome: ${report.outcome}`,
    ...(report.match.performed
      ? []
      : [`Match skipped: ${report.match.reason} (how to reconcile it: under Not verified)`]),
    ...(report.unverified.length === 0
      ? []
      : section(
          'Not verified',
          report.unverified.map((item) => `  - ${item.what}: ${item.why}`),
          'nothing',
        )),
    '',
    'Counts',
    `  ours ${counts.ours}, theirs ${counts.theirs ?? '-'}, matched ${counts.matched}, in flight ${counts.inFlight}, ` +
      `settled ${counts.settled}, awaiting decision ${counts.awaitingDecision}`,
    `  mismatches ${mismatchCount(report)}: ${MISMATCH_KINDS.map((kind) => `${kind} ${counts.mismatches[kind]}`).join(', ')}`,
    `  balance mismatches ${counts.balanceMismatches}`,
    `  held and never sent ${counts.heldNeverSent}`,
    ...section(
      'Amounts per currency (what the provider charges us)',
      report.amounts.map(
        (row) => `  ${row.currency}: ours ${row.ours}, theirs ${row.theirs ?? '-'}, mismatched ${row.mismatched}`,
      ),
      'none',
    ),
    ...section('Mismatches', report.mismatches.flatMap(mismatchLines), 'none'),
    ...section('Settlements', report.settlements.map(settlementLine), 'none'),
    ...section(
      'Awaiting a decision',
      report.awaitingDecision.flatMap((decision) => [
        `  - top-up ${decision.topUpId} (external id ${decision.externalId}), ${decision.status} ` +
          `since ${decision.since}: ${decision.reason}`,
        `    settle it: ${decision.command}`,
      ]),
      'none',
    ),
    ...section(
      "Held and never sent (the customer's money is held and no provider was sent it; the workers' recovery sends it)",
      report.heldNeverSent.map((held) => heldNeverSentLine(held, report.run.startedAt)),
      'none',
    ),
    ...section('Balances', report.balances.map(balanceLine), 'none compared'),
    ...section(
      'Unreadable balances (each a balance mismatch)',
      report.unreadableBalances.map((unreadable) => `  - ${unreadable.field}: ${unreadable.reason}`),
      'none',
    ),
  ];
  return `${lines.map((line) => escapeHiddenCharacters(line)).join('\n')}\n`;
};
