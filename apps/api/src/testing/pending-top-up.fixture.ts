// A top-up sent once to the DVS simulator and pending there, as the provider
// callback specs need one: requested through POST /v1/topups, its first
// attempt sent (sendAttempt), with the callback token of its URL, and the
// DVS transaction object as DVS has it now (what it POSTs to that URL).
import { sendAttempt } from '@airtime/application';
import type { ApiHarness } from './api-harness.fixture';

/** A pending top-up: its id, its callback token and its attempt at the simulator. */
export interface PendingTopUp {
  readonly topUpId: string;
  readonly token: string;
  readonly providerExternalId: string;
  readonly transactionId: string;
}

/**
 * Requests a top-up of PHP 100 to `phone` with the API key `key` under
 * `idempotencyKey`, sends its first attempt and answers it pending (fails
 * when the request is not accepted or the attempt did not reach the
 * simulator). The phone's last digits choose the simulator's outcome.
 */
export const pendingTopUp = async (
  api: ApiHarness,
  key: string,
  idempotencyKey: string,
  phone: string,
): Promise<PendingTopUp> => {
  const created = await api.request('POST', '/v1/topups', {
    key,
    headers: { 'idempotency-key': idempotencyKey },
    body: { phone_number: phone, currency: 'PHP', max_amount: '100' },
  });
  if (created.status !== 202) throw new Error(`the top-up was not accepted: ${created.status}`);
  const topUpId = (created.body as { id: string }).id;
  const sent = await api.runtime.runPromise(sendAttempt(topUpId));
  const attempt = sent.attempts[0];
  if (attempt?.providerTransactionId === undefined) throw new Error('expected an attempt at the simulator');
  if (sent.status.class === 'COMPLETED') throw new Error('expected a pending top-up');
  const rows: { callback_token: string }[] = await api.db.dataSource.query(
    'SELECT callback_token FROM top_up_requests WHERE top_up_id = $1',
    [topUpId],
  );
  return {
    topUpId,
    token: rows[0]?.callback_token ?? '',
    providerExternalId: attempt.providerExternalId,
    transactionId: attempt.providerTransactionId,
  };
};

/** The transaction object as DVS has it now (what it POSTs to a callback URL). */
export const dvsTransaction = async (api: ApiHarness, transactionId: string): Promise<Record<string, unknown>> => {
  const response = await fetch(`${api.simulator.baseUrl}/transactions/${transactionId}`, {
    headers: { authorization: api.simulator.authorization },
  });
  if (response.status !== 200) throw new Error(`the simulator answered ${response.status} for ${transactionId}`);
  return (await response.json()) as Record<string, unknown>;
};
