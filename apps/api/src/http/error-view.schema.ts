// The one JSON shape of every error the API answers:
// `{ "error": { "code": "EXTERNAL_ID_CONFLICT", "message": "...", "field": "max_amount" } }`.
import { Schema } from 'effect';

export const ErrorView = Schema.Struct({
  error: Schema.Struct({
    code: Schema.String.annotations({ description: 'stable and machine-readable, e.g. EXTERNAL_ID_CONFLICT' }),
    message: Schema.String.annotations({ description: 'for people; never quotes a value that was sent' }),
    field: Schema.optional(Schema.String).annotations({ description: 'the field, parameter or header at fault' }),
  }),
}).annotations({ identifier: 'Error' });

export type ErrorView = typeof ErrorView.Type;

/** The error body of a code, a message and, when known, the field at fault. */
export const errorView = (code: string, message: string, field?: string | undefined): ErrorView => ({
  error: field === undefined ? { code, message } : { code, message, field },
});
