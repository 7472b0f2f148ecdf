// The text `npm run topup:status` prints: a top-up with its amounts and
// quote, its attempts with their provider exchanges, its ledger movements,
// its events and callbacks; and the one-line summary --watch prints on each
// change. The phone number shows its last 4 digits only, here and in any
// text that came from the provider exchanges.
import {
  type Attempt,
  currencyOf,
  describeStatus,
  formatMoney,
  formatPrecise,
  money,
  type Money,
  type TopUp,
} from '@airtime/domain';
import type { StoredExchange } from '@airtime/application';
import { Either } from 'effect';
import type {
  AccountBalances,
  CallbackDelivery,
  JournalMovement,
  OutboxEvent,
  StatusView,
} from './status-view.queries';

/** "+639171234100" -> "+*********4100": every digit but the last 4 masked, the length kept. */
export const maskPhoneNumber = (e164: string): string => {
  const digits = e164.replace(/\D/g, '');
  const kept = digits.slice(-4);
  return `${e164.startsWith('+') ? '+' : ''}${'*'.repeat(Math.max(0, digits.length - kept.length))}${kept}`;
};

/**
 * `text` with every run of digits that holds the destination's last 7
 * digits masked (the number written as E.164, international or national
 * digits, with or without separators), other numbers (transaction ids) kept.
 */
export const withoutDestination = (text: string, e164: string): string => {
  const tail = e164.replace(/\D/g, '').slice(-7);
  return text.replace(/\+?\d(?:[\s().-]*\d)*/g, (run) =>
    run.replace(/\D/g, '').includes(tail) ? maskPhoneNumber(run.replace(/[^\d+]/g, '')) : run,
  );
};

const amount = (value: Money): string => `${formatMoney(value)} ${value.currency.code}`;

/** Minor units of a currency code as a decimal ("USD", 57n -> "0.57"); the raw minor units when the code is unknown. */
export const formatMinor = (minor: bigint, currencyCode: string): string =>
  Either.match(currencyOf(currencyCode), {
    onLeft: () => `${minor} (minor units)`,
    onRight: (currency) => formatMoney(money(minor, currency)),
  });

const signed = (minor: bigint, currencyCode: string): string =>
  minor > 0n ? `+${formatMinor(minor, currencyCode)}` : formatMinor(minor, currencyCode);

const iso = (date: Date | undefined): string => (date === undefined ? '-' : date.toISOString());

/** Left-aligned columns, two spaces apart, trailing spaces trimmed. */
const columns = (rows: readonly (readonly string[])[], indent = '  '): string[] => {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
};

const statusText = (topUp: TopUp): string =>
  topUp.status.status === topUp.status.class
    ? topUp.status.class
    : `${topUp.status.class} (${topUp.status.status}: ${describeStatus(topUp.status.status)})`;

const quoteLines = (topUp: TopUp): string[][] => {
  const { quote } = topUp;
  const { product, request } = quote;
  const asked = [
    `max ${amount(request.maxAmount)}`,
    ...(request.desiredAmount === undefined ? [] : [`desired ${amount(request.desiredAmount)}`]),
  ].join(', ');
  const exact = `wholesale ${formatPrecise(quote.wholesale)} + fee ${formatPrecise(quote.fee)} = ${formatPrecise(quote.costExact)}`;
  const rounding = quote.roundingUp.units === 0n ? '' : `, rounded up by ${formatPrecise(quote.roundingUp)}`;
  return [
    [
      'product',
      `${product.id} ${product.name} (${product.operator.name}, ${product.operator.countryIso}, ${product.kind})`,
    ],
    ['receive', amount(quote.receive)],
    ['cost', `${amount(quote.cost)} (${exact}${rounding})`],
    ['quote rule', `${quote.rule} (${asked})`],
  ];
};

const failureText = (topUp: TopUp, e164: string): string | undefined => {
  const failure = topUp.failureReason;
  if (failure === undefined) return undefined;
  const notes = [
    ...(failure.attemptsExhausted ? ['attempts exhausted'] : []),
    ...(failure.detail === undefined ? [] : [withoutDestination(failure.detail, e164)]),
  ];
  return notes.length === 0 ? failure.reason : `${failure.reason} (${notes.join('; ')})`;
};

const headerLines = (topUp: TopUp, version: number): string[] => {
  const e164 = topUp.destination.e164;
  const failure = failureText(topUp, e164);
  const rows: string[][] = [
    ['status', statusText(topUp)],
    ['account', topUp.accountId],
    ['external id', topUp.externalId],
    ['phone', `${maskPhoneNumber(e164)} (${topUp.destination.countryIso})`],
    ...quoteLines(topUp),
    ...(failure === undefined ? [] : [['failure', failure]]),
    ...(topUp.nextAttemptAt === undefined ? [] : [['next attempt', iso(topUp.nextAttemptAt)]]),
    ...(topUp.awaitingStatusQuery ? [['waiting for', 'a status query (the last outcome is unknown)']] : []),
    ['created', iso(topUp.createdAt)],
    ['updated', `${iso(topUp.updatedAt)} (version ${version})`],
  ];
  return [`top-up ${topUp.id}`, ...columns(rows)];
};

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
};

const exchangeRow = (exchange: StoredExchange, e164: string): string[] => [
  exchange.method,
  withoutDestination(pathOf(exchange.url), e164),
  exchange.status === null ? 'no answer' : String(exchange.status),
  `${Math.round(exchange.durationMs)} ms`,
  exchange.failure === undefined ? '' : withoutDestination(exchange.failure, e164),
];

const attemptSummary = (attempt: Attempt, e164: string): string => {
  const parts = [
    `#${attempt.number}`,
    attempt.providerId ?? 'provider not chosen',
    attempt.state,
    ...(attempt.providerStatus === undefined ? [] : [attempt.providerStatus.status]),
    ...(attempt.failure === undefined
      ? []
      : [
          `failure ${attempt.failure.reason}${attempt.failure.retryable ? ' (retryable)' : ''}${
            attempt.failure.detail === undefined ? '' : `: ${withoutDestination(attempt.failure.detail, e164)}`
          }`,
        ]),
    ...(attempt.unknownReason === undefined ? [] : [`outcome unknown: ${attempt.unknownReason}`]),
  ];
  const ids = [
    `external id ${attempt.providerExternalId}`,
    ...(attempt.providerTransactionId === undefined ? [] : [`provider transaction ${attempt.providerTransactionId}`]),
    `started ${iso(attempt.startedAt)}`,
  ];
  return `  ${parts.join('  ')}\n     ${ids.join(', ')}`;
};

const attemptLines = (topUp: TopUp, exchanges: readonly StoredExchange[]): string[] => {
  const e164 = topUp.destination.e164;
  if (topUp.attempts.length === 0) return ['attempts: none'];
  return [
    `attempts (${topUp.attempts.length})`,
    ...topUp.attempts.flatMap((attempt) => {
      const own = exchanges.filter((exchange) => exchange.attemptNumber === attempt.number);
      return [
        attemptSummary(attempt, e164),
        ...(own.length === 0
          ? ['     no provider exchange logged']
          : columns(
              own.map((exchange) => exchangeRow(exchange, e164)),
              '     ',
            )),
      ];
    }),
  ];
};

const balancesLine = (accountId: string, balances: AccountBalances): string => {
  const of = (minor: bigint) => formatMinor(minor, balances.currency);
  return `  account ${accountId} ${balances.currency} now: available ${of(balances.availableMinor)}, holding ${of(
    balances.holdingMinor,
  )}, captured ${of(balances.capturedMinor)}, funded ${of(balances.fundedMinor)}`;
};

const ledgerLines = (
  topUp: TopUp,
  journal: readonly JournalMovement[],
  balances: AccountBalances | undefined,
): string[] => {
  const title = journal.length === 0 ? 'ledger movements: none' : `ledger movements (${journal.length})`;
  const rows = journal.map((movement) => [
    movement.kind,
    `${formatMinor(movement.amountMinor, movement.currency)} ${movement.currency}`,
    `available ${signed(movement.availableDeltaMinor, movement.currency)}`,
    `holding ${signed(movement.holdingDeltaMinor, movement.currency)}`,
    iso(movement.createdAt),
  ]);
  return [title, ...columns(rows), ...(balances === undefined ? [] : [balancesLine(topUp.accountId, balances)])];
};

const eventLines = (events: readonly OutboxEvent[]): string[] => {
  if (events.length === 0) return ['events: none'];
  const unsent = events.filter((event) => event.sentAt === undefined).length;
  const title = `events (${events.length}, ${unsent === 0 ? 'all published' : `${unsent} not published yet`})`;
  const rows = events.map((event) => [
    event.type,
    iso(event.occurredAt),
    event.sentAt === undefined
      ? `not published yet${event.publishAttempts > 0 ? ` (${event.publishAttempts} failed tries)` : ''}`
      : `published ${iso(event.sentAt)}`,
    event.id,
  ]);
  return [title, ...columns(rows)];
};

const callbackLines = (callbacks: readonly CallbackDelivery[]): string[] =>
  callbacks.length === 0
    ? ['callbacks: none']
    : [
        `callbacks (${callbacks.length})`,
        ...columns(
          callbacks.map((callback) => [
            callback.eventType,
            callback.state,
            `${callback.tries} ${callback.tries === 1 ? 'try' : 'tries'}`,
            callback.lastStatus === undefined ? '' : `last answer ${callback.lastStatus}`,
            callback.lastError === undefined ? '' : `last error: ${callback.lastError}`,
          ]),
        ),
      ];

/** The whole report of a top-up. */
export const statusReport = (view: StatusView): string =>
  [
    ...headerLines(view.topUp, view.version),
    '',
    ...attemptLines(view.topUp, view.exchanges),
    '',
    ...ledgerLines(view.topUp, view.journal, view.account),
    '',
    ...eventLines(view.events),
    '',
    ...callbackLines(view.callbacks),
  ].join('\n');

/** One line for --watch: the time, the status and the last attempt. */
export const statusChangeLine = (topUp: TopUp, at: Date): string => {
  const last = topUp.attempts[topUp.attempts.length - 1];
  const attempt =
    last === undefined
      ? 'no attempt yet'
      : `attempt ${last.number} ${last.state}${last.failure ? ` (${last.failure.reason})` : ''}`;
  const next = topUp.nextAttemptAt === undefined ? '' : `, next attempt ${iso(topUp.nextAttemptAt)}`;
  const waiting = topUp.awaitingStatusQuery ? ', waiting for a status query' : '';
  return `${at.toISOString().slice(11, 19)} ${topUp.status.status}: ${attempt}${next}${waiting}`;
};
