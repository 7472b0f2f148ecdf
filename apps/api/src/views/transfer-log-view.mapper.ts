// A stored provider exchange as the API shows it.
import type { StoredExchange } from '@airtime/application';
import type { ExchangeView } from './transfer-log-view.schema';

export const exchangeView = (exchange: StoredExchange): ExchangeView => ({
  attempt_number: exchange.attemptNumber,
  provider: exchange.provider,
  reference: exchange.reference ?? null,
  method: exchange.method,
  url: exchange.url,
  started_at: exchange.startedAt,
  duration_ms: exchange.durationMs,
  status: exchange.status,
  request_body: exchange.requestBody,
  response_body: exchange.responseBody,
  failure: exchange.failure ?? null,
});
