// What the database of a consumer must show whatever commands it took: each top-up traced (its request, one
// hold of its cost, refused exactly when it is REJECTED, its journal entry, its event, one attempt unless
// refused), no hold, request or journal entry without its top-up, the journal summing to every balance within
// its funds, and every attempt sent once.
import type { ConsumerHarness } from './consumer-harness.fixture';

export interface TopUpRow {
  readonly id: string;
  readonly account_id: string;
  readonly external_id: string;
  readonly status_class: string;
  readonly cost_minor: string;
  readonly requests: number;
  readonly holds: number;
  readonly hold_status: string | null;
  readonly hold_amount: string | null;
  readonly hold_account: string | null;
  readonly authorized: number;
  readonly attempts: number;
  readonly created_events: number;
}

export const topUps = (harness: ConsumerHarness) =>
  harness.query<TopUpRow>(
    `SELECT t.id, t.account_id, t.external_id, t.status_class, t.cost_minor,
            (SELECT count(*)::int FROM top_up_requests r WHERE r.top_up_id = t.id
               AND r.account_id = t.account_id AND r.external_id = t.external_id) AS requests,
            (SELECT count(*)::int FROM ledger_holds h WHERE h.transaction_id = t.id) AS holds,
            (SELECT h.status FROM ledger_holds h WHERE h.transaction_id = t.id) AS hold_status,
            (SELECT h.amount_minor FROM ledger_holds h WHERE h.transaction_id = t.id) AS hold_amount,
            (SELECT h.account_id FROM ledger_holds h WHERE h.transaction_id = t.id) AS hold_account,
            (SELECT count(*)::int FROM ledger_journal j WHERE j.reference = t.id AND j.kind = 'AUTHORIZE') AS authorized,
            (SELECT count(*)::int FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts,
            (SELECT count(*)::int FROM outbox o WHERE o.aggregate_id = t.id AND o.type = 'topup.created') AS created_events
       FROM top_ups t ORDER BY t.account_id, t.external_id`,
  );

/** Every written top-up has its request, one hold of its cost (REFUSED exactly when REJECTED), its journal entry and event. */
export const expectEachTopUpTraced = (rows: readonly TopUpRow[]) => {
  for (const row of rows) {
    const rejected = row.status_class === 'REJECTED';
    expect({ key: [row.account_id, row.external_id], requests: row.requests, holds: row.holds }).toEqual({
      key: [row.account_id, row.external_id],
      requests: 1,
      holds: 1,
    });
    expect({
      id: row.id,
      hold: [row.hold_status === 'REFUSED', row.hold_amount, row.hold_account],
      authorized: row.authorized,
      attempts: row.attempts,
      created: row.created_events,
    }).toEqual({
      id: row.id,
      hold: [rejected, row.cost_minor, row.account_id],
      authorized: rejected ? 0 : 1,
      attempts: rejected ? 0 : 1,
      created: 1,
    });
  }
};

/** No hold, request or journal entry without its top-up; the journal sums to each balance, within its funds. */
export const expectLedgerBalanced = async (harness: ConsumerHarness) => {
  const orphans = await harness.query<{ what: string; id: string }>(
    `SELECT 'hold' AS what, transaction_id AS id FROM ledger_holds h
      WHERE NOT EXISTS (SELECT 1 FROM top_ups t WHERE t.id = h.transaction_id)
     UNION ALL SELECT 'request', top_up_id FROM top_up_requests r
      WHERE NOT EXISTS (SELECT 1 FROM top_ups t WHERE t.id = r.top_up_id)
     UNION ALL SELECT 'journal', reference FROM ledger_journal j
      WHERE j.kind <> 'DEPOSIT' AND NOT EXISTS (SELECT 1 FROM top_ups t WHERE t.id = j.reference)`,
  );
  expect(orphans).toEqual([]);
  const accounts = await harness.query<Record<string, string>>(
    `SELECT a.account_id, a.available_minor::text AS available, a.holding_minor::text AS holding,
            a.captured_minor::text AS captured, a.funded_minor::text AS funded,
            COALESCE(sum(j.available_delta_minor), 0)::text AS journal_available,
            COALESCE(sum(j.holding_delta_minor), 0)::text AS journal_holding
       FROM ledger_accounts a LEFT JOIN ledger_journal j USING (account_id, currency)
      GROUP BY a.account_id, a.currency ORDER BY a.account_id`,
  );
  for (const account of accounts) {
    expect({ ...account, journal_available: account['available'], journal_holding: account['holding'] }).toEqual(
      account,
    );
    expect(BigInt(account['holding'] ?? '0') + BigInt(account['captured'] ?? '0')).toBeLessThanOrEqual(
      BigInt(account['funded'] ?? '0'),
    );
  }
};

/** Each attempt POSTed once and known to the provider once; no top-up sent twice. */
export const expectSentOnce = async (harness: ConsumerHarness) => {
  const attempts = await harness.query<{ reference: string; posts: number }>(
    `SELECT a.provider_external_id AS reference,
            (SELECT count(*)::int FROM transfer_log l WHERE l.reference = a.provider_external_id
               AND l.record->>'method' = 'POST') AS posts
       FROM top_up_attempts a`,
  );
  expect(attempts.filter((attempt) => attempt.posts !== 1)).toEqual([]);
  const atProvider = harness.simulator.engine.transactions({ fromMs: 0 }).map((transaction) => transaction.externalId);
  expect(atProvider.length).toBe(new Set(atProvider).size);
  expect(new Set(atProvider)).toEqual(new Set(attempts.map((attempt) => attempt.reference)));
};

/** The most inbox claims one transaction (or savepoint) wrote: above 1 only when requests were written in batches. */
export const largestClaimBatch = async (harness: ConsumerHarness): Promise<number> => {
  const [row] = await harness.query<{ largest: number }>(
    `SELECT COALESCE(max(n), 0)::int AS largest FROM (SELECT count(*) AS n FROM processed_messages GROUP BY xmin::text) c`,
  );
  return row?.largest ?? 0;
};

/**
 * The most attempt rows one transaction (or savepoint) wrote last: above 1
 * only when the sends' changes were written in batches (CHANGE_BATCH_MAX).
 */
export const largestAttemptBatch = async (harness: ConsumerHarness): Promise<number> => {
  const [row] = await harness.query<{ largest: number }>(
    `SELECT COALESCE(max(n), 0)::int AS largest FROM (SELECT count(*) AS n FROM top_up_attempts GROUP BY xmin::text) c`,
  );
  return row?.largest ?? 0;
};

/** Per key, whether a top-up holds its cost, was refused for funds, or was never written. */
export const keyOutcomes = (rows: readonly TopUpRow[]) =>
  new Map(
    rows.map((row) => [`${row.account_id}/${row.external_id}`, row.status_class === 'REJECTED' ? 'refused' : 'held']),
  );
