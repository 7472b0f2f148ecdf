// The JSON shape of a top-up's transfer log: each provider exchange of each
// attempt, as stored (redacted by the provider transport before it was kept).
import { Schema } from 'effect';

export const ExchangeView = Schema.Struct({
  attempt_number: Schema.Number,
  provider: Schema.String,
  reference: Schema.NullOr(Schema.String),
  method: Schema.String,
  url: Schema.String,
  started_at: Schema.String,
  duration_ms: Schema.Number,
  status: Schema.NullOr(Schema.Number),
  request_body: Schema.NullOr(Schema.String),
  response_body: Schema.NullOr(Schema.String),
  failure: Schema.NullOr(Schema.String),
}).annotations({ identifier: 'ProviderExchange' });
export type ExchangeView = typeof ExchangeView.Type;

export const TransferLogView = Schema.Struct({
  top_up_id: Schema.String,
  exchanges: Schema.Array(ExchangeView),
}).annotations({ identifier: 'TransferLog' });
export type TransferLogView = typeof TransferLogView.Type;
