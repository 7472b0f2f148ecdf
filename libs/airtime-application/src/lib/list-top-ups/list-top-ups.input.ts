// The input of "list top-ups" (GET /v1/topups?external_id=&status=&from=&to=&page=&per_page=;
// the route passes the query under these names; `phone_number` keeps the
// request's name, so that a refusal names what the caller sent).
import { TRANSACTION_CLASSES } from '@airtime/domain';
import { Schema } from 'effect';
import {
  AccountIdField,
  DEFAULT_PER_PAGE,
  ExternalIdField,
  IsoTimeText,
  PageField,
  PerPageField,
} from '../api-access/api-fields.schema';
import { PhoneSearchField } from './phone-search.schema';

/**
 * Every field is optional:
 * - `accountId`: one of the caller's accounts (default: all of them);
 * - `externalId`: the caller's idempotency key;
 * - `phone_number`: the destination, E.164 or international digits, spaces, dots, hyphens and
 *   parentheses allowed (`+63 917 123 4100`), decoded to E.164 and matched exactly;
 * - `status`: a transaction class (`CREATED`, `CONFIRMED`, `SUBMITTED`, `COMPLETED`, `REVERSED`,
 *   `REJECTED`, `CANCELLED`, `DECLINED`), upper case;
 * - `from`, `to`: ISO 8601 day (`2025-01-31`, UTC) or time with its zone; both inclusive (a day as
 *   `to` takes the whole day); `from` not after `to`;
 * - `page`: 1-based (default 1); `perPage`: 1..100 (default 20); numbers or texts of digits.
 */
export const ListTopUpsInput = Schema.Struct({
  accountId: Schema.optional(AccountIdField),
  externalId: Schema.optional(ExternalIdField),
  phone_number: Schema.optional(PhoneSearchField),
  status: Schema.optional(Schema.Literal(...TRANSACTION_CLASSES)),
  from: Schema.optional(IsoTimeText),
  to: Schema.optional(IsoTimeText),
  page: Schema.optionalWith(PageField, { default: () => 1 }),
  perPage: Schema.optionalWith(PerPageField, { default: () => DEFAULT_PER_PAGE }),
}).annotations({ identifier: 'ListTopUpsInput' });

export type ListTopUpsInput = typeof ListTopUpsInput.Type;
export type ListTopUpsInputJson = typeof ListTopUpsInput.Encoded;
