// GET /airtime/invoke-send-airtime is a POST /v1/topups under other names:
// its query parameters are mapped to the request's fields (amount to
// max_amount, phone to phone_number, ...). An error of the submission that
// names a request field is answered with the parameter the caller sent.
import { fieldOf, isApiError } from '../../http/api-errors.table';
import { withErrorFields } from '../../http/error-fields.mapper';

/** The request field each query parameter of the send is mapped to, and back. */
export const AIRTIME_FIELD_OF_REQUEST_FIELD: Readonly<Record<string, string>> = {
  max_amount: 'amount',
  phone_number: 'phone',
  external_id: 'idempotencyKey',
  // the submission names the key it was given apart from the body as the header it usually comes from
  'Idempotency-Key': 'idempotencyKey',
  account_id: 'accountId',
  currency: 'currency',
};

const REQUEST_FIELD = /\b(max_amount|phone_number|external_id|account_id|Idempotency-Key)\b/g;

const renamedText = (text: string): string =>
  text.replace(REQUEST_FIELD, (name) => AIRTIME_FIELD_OF_REQUEST_FIELD[name] ?? name);

/**
 * `error` naming the query parameter instead of the request field (its
 * `field`, the field names in its `reason`, its part the query string), or
 * `error` itself when it names no request field of the send.
 */
export const inAirtimeFieldNames = (error: unknown): unknown => {
  if (!isApiError(error)) return error;
  const field = fieldOf(error);
  const [head = '', ...rest] = field?.split('.') ?? [];
  const parameter = AIRTIME_FIELD_OF_REQUEST_FIELD[head];
  if (parameter === undefined) return error;
  const renamed: Record<string, unknown> = { field: [parameter, ...rest].join('.') };
  if ('reason' in error && typeof error.reason === 'string') renamed['reason'] = renamedText(error.reason);
  if ('part' in error) renamed['part'] = 'query';
  return withErrorFields(error, renamed);
};
