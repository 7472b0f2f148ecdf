// What the fault specs ask of a finished run, as lists of violations (empty
// when the run kept its promises), read from the database, the transfer log
// and the provider's own view (the simulator's transactions):
// - lost: a valid command with no top-up, or a top-up that is not final;
// - sent twice: more than one transaction at the provider for one top-up
//   that did not fail, a send after a transaction that did not fail, or a
//   status that disagrees with the provider's;
// - resent blindly: a send of a top-up after an earlier send whose answer
//   was not a definite refusal, with no status query of the earlier one in
//   between (the transfer log: every exchange, appended before its answer
//   is acted on);
// - the ledger: available + holding + captured - reversed = funded, the
//   journal sums to the balances, and a final top-up holds nothing.
import type { DataSource } from 'typeorm';
import { FINAL_STATUS_CLASSES, providerExternalIdsOf } from './top-up-world.fixture';

/** A transaction as the provider keeps it (the simulator engine's `SimTransaction` has these fields). */
export interface ProviderSideTransaction {
  readonly externalId: string;
  /** A DVS detailed status, e.g. "COMPLETED" or "DECLINED-INVALID-CREDIT-PARTY". */
  readonly status: string;
  readonly createdAtMs: number;
}

const FAILURE_CLASSES = new Set(['REJECTED', 'CANCELLED', 'DECLINED']);
const classOf = (status: string): string => status.split('-')[0] ?? status;
const finalClasses = new Set<string>(FINAL_STATUS_CLASSES);

interface TopUpRow {
  readonly id: string;
  readonly external_id: string;
  readonly status_class: string;
  readonly status: string;
}

const topUpsOf = async (dataSource: DataSource, accountId: string): Promise<TopUpRow[]> =>
  (await dataSource.query(
    'SELECT id, external_id, status_class, status FROM top_ups WHERE account_id = $1 ORDER BY external_id',
    [accountId],
  )) as TopUpRow[];

/** Valid commands of `accountId` without a top-up, and its top-ups that are not final. */
export const lostTopUps = async (
  dataSource: DataSource,
  accountId: string,
  externalIds: readonly string[],
): Promise<string[]> => {
  const topUps = await topUpsOf(dataSource, accountId);
  const known = new Map(topUps.map((row) => [row.external_id, row]));
  return [
    ...externalIds.filter((id) => !known.has(id)).map((id) => `${id}: no top-up`),
    ...topUps
      .filter((row) => !finalClasses.has(row.status_class))
      .map((row) => `${row.external_id}: still ${row.status} (not final)`),
  ];
};

/**
 * Per command: the provider's transactions of its attempts (their provider
 * external ids), in the order they were created. At most one may not have
 * failed, nothing may follow one that did not fail, and a final top-up's
 * status must agree (COMPLETED exactly when one completed). Transactions of the
 * account's provider ids that belong to no command are listed too.
 */
export const doubleSends = async (
  dataSource: DataSource,
  accountId: string,
  externalIds: readonly string[],
  providerTransactions: readonly ProviderSideTransaction[],
): Promise<string[]> => {
  const topUps = new Map((await topUpsOf(dataSource, accountId)).map((row) => [row.external_id, row]));
  const byProviderId = new Map(providerTransactions.map((transaction) => [transaction.externalId, transaction]));
  const violations: string[] = [];
  for (const externalId of externalIds) {
    const sends = providerExternalIdsOf(accountId, externalId)
      .flatMap((providerId) => byProviderId.get(providerId) ?? [])
      .sort((a, b) => a.createdAtMs - b.createdAtMs);
    const notFailed = sends.filter((send) => !FAILURE_CLASSES.has(classOf(send.status)));
    if (notFailed.length > 1) {
      violations.push(`${externalId}: ${notFailed.length} transactions at the provider did not fail`);
    }
    sends.slice(0, -1).forEach((send, index) => {
      if (!FAILURE_CLASSES.has(classOf(send.status))) {
        violations.push(`${externalId}: sent again after transaction ${index + 1} (${send.status})`);
      }
    });
    const topUp = topUps.get(externalId);
    const completed = sends.filter((send) => classOf(send.status) === 'COMPLETED').length;
    const final = topUp !== undefined && finalClasses.has(topUp.status_class);
    if (final && (topUp.status_class === 'COMPLETED') !== (completed === 1)) {
      violations.push(`${externalId}: top-up ${topUp.status}, ${completed} completed at the provider`);
    }
  }
  return violations;
};

interface ExchangeRow {
  readonly top_up_id: string;
  readonly external_id: string;
  readonly reference: string;
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly started_at: string;
  readonly id: string;
}

/** A send (creates a transaction) or a status query (reads by external id), as the DT One adapter calls them. */
const kindOf = (exchange: ExchangeRow): 'send' | 'status-query' | 'other' => {
  if (exchange.method === 'POST' && /\/transactions(\?|$)/.test(exchange.url)) return 'send';
  if (exchange.method === 'GET' && /\/transactions\?/.test(exchange.url) && exchange.url.includes('external_id='))
    return 'status-query';
  return 'other';
};

/** A send answered with a refusal that proves nothing was done (4xx but 408 and 409). */
const definitelyRefused = (exchange: ExchangeRow): boolean =>
  exchange.status !== null && exchange.status >= 400 && exchange.status < 500 && ![408, 409].includes(exchange.status);

/**
 * Sends of a top-up (transfer log, by start time) that follow an earlier
 * send without a status query of the earlier send's reference in between,
 * unless the earlier send was definitely refused; and attempts after the
 * first whose predecessor reached the provider (a transaction there) with
 * no status query of it logged at all (its send may have gone unlogged: the
 * process was killed before the answer).
 */
export const resendsWithoutStatusQuery = async (
  dataSource: DataSource,
  accountId: string,
  providerTransactions: readonly ProviderSideTransaction[],
): Promise<string[]> => {
  const exchanges = (await dataSource.query(
    `SELECT t.id AS top_up_id, t.external_id, l.reference, l.record->>'method' AS method, l.record->>'url' AS url,
            (l.record->>'status')::int AS status, l.record->>'startedAt' AS started_at, l.id::text AS id
       FROM transfer_log l
       JOIN top_up_attempts a ON a.provider_external_id = l.reference
       JOIN top_ups t ON t.id = a.top_up_id
      WHERE t.account_id = $1
      ORDER BY t.id, l.record->>'startedAt', l.id`,
    [accountId],
  )) as ExchangeRow[];
  const violations: string[] = [];
  const byTopUp = new Map<string, ExchangeRow[]>();
  for (const exchange of exchanges) {
    const list = byTopUp.get(exchange.top_up_id) ?? [];
    // one row per (exchange, attempt) when attempts share a reference: keep each exchange once
    if (!list.some((seen) => seen.id === exchange.id)) list.push(exchange);
    byTopUp.set(exchange.top_up_id, list);
  }
  for (const list of byTopUp.values()) {
    let previousSend: ExchangeRow | undefined;
    let queriedSince = false;
    for (const exchange of list) {
      const kind = kindOf(exchange);
      if (kind === 'status-query' && previousSend !== undefined && exchange.reference === previousSend.reference) {
        queriedSince = true;
      }
      if (kind !== 'send') continue;
      if (previousSend !== undefined && !queriedSince && !definitelyRefused(previousSend)) {
        violations.push(
          `${exchange.external_id}: send of ${exchange.reference} at ${exchange.started_at} after the send of ` +
            `${previousSend.reference} (HTTP ${previousSend.status ?? 'none'}) with no status query between`,
        );
      }
      previousSend = exchange;
      queriedSince = false;
    }
  }
  // attempts whose predecessor's transaction exists at the provider: that predecessor was queried
  const attempts = (await dataSource.query(
    `SELECT t.external_id, a.number, a.provider_external_id
       FROM top_up_attempts a JOIN top_ups t ON t.id = a.top_up_id
      WHERE t.account_id = $1 ORDER BY t.external_id, a.number`,
    [accountId],
  )) as { external_id: string; number: number; provider_external_id: string }[];
  const atProvider = new Set(providerTransactions.map((transaction) => transaction.externalId));
  const queried = new Set(exchanges.filter((e) => kindOf(e) === 'status-query').map((e) => e.reference));
  const sent = new Set(exchanges.filter((e) => kindOf(e) === 'send').map((e) => e.reference));
  attempts.forEach((attempt, index) => {
    const previous = attempts[index - 1];
    if (previous === undefined || previous.external_id !== attempt.external_id) return;
    if (previous.provider_external_id === attempt.provider_external_id) return;
    const reachedProvider = atProvider.has(previous.provider_external_id);
    const followedUp =
      queried.has(previous.provider_external_id) ||
      exchanges.some(
        (e) => e.reference === previous.provider_external_id && kindOf(e) === 'send' && definitelyRefused(e),
      );
    const attemptSent = sent.has(attempt.provider_external_id) || atProvider.has(attempt.provider_external_id);
    if (reachedProvider && attemptSent && !followedUp) {
      violations.push(
        `${attempt.external_id}: attempt ${attempt.number} sent while attempt ${previous.number} ` +
          `(at the provider) was never queried`,
      );
    }
  });
  return violations;
};

/** Ledger rows that break the books, and final top-ups whose hold is still held. */
export const ledgerViolations = async (dataSource: DataSource): Promise<string[]> => {
  const unbalanced = (await dataSource.query(
    `SELECT account_id, currency FROM ledger_accounts
      WHERE available_minor + holding_minor + captured_minor - reversed_minor <> funded_minor`,
  )) as { account_id: string; currency: string }[];
  const journal = (await dataSource.query(
    `SELECT a.account_id, a.currency FROM ledger_accounts a
       LEFT JOIN (SELECT account_id, currency, SUM(available_delta_minor) AS av, SUM(holding_delta_minor) AS ho
                    FROM ledger_journal GROUP BY account_id, currency) j USING (account_id, currency)
      WHERE COALESCE(j.av, 0) <> a.available_minor OR COALESCE(j.ho, 0) <> a.holding_minor`,
  )) as { account_id: string; currency: string }[];
  const held = (await dataSource.query(
    `SELECT t.external_id, t.status FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id
      WHERE h.status = 'HELD' AND t.status_class = ANY($1)`,
    [[...FINAL_STATUS_CLASSES]],
  )) as { external_id: string; status: string }[];
  return [
    ...unbalanced.map(
      (row) => `${row.account_id} ${row.currency}: available + holding + captured - reversed <> funded`,
    ),
    ...journal.map((row) => `${row.account_id} ${row.currency}: the journal does not sum to the balances`),
    ...held.map((row) => `${row.external_id}: ${row.status} but its hold is still HELD`),
  ];
};

/** Every check of a finished batch of `accountId`. */
export const flowViolations = async (
  dataSource: DataSource,
  accountId: string,
  externalIds: readonly string[],
  providerTransactions: readonly ProviderSideTransaction[],
): Promise<{
  readonly lost: string[];
  readonly sentTwice: string[];
  readonly resentBlindly: string[];
  readonly ledger: string[];
}> => ({
  lost: await lostTopUps(dataSource, accountId, externalIds),
  sentTwice: await doubleSends(dataSource, accountId, externalIds, providerTransactions),
  resentBlindly: await resendsWithoutStatusQuery(dataSource, accountId, providerTransactions),
  ledger: await ledgerViolations(dataSource),
});
