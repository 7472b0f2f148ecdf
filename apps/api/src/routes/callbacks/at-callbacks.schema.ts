// The JSON of Africa's Talking's two callbacks as the OpenAPI document
// describes them (reference: airtime-service-endpoints.txt). They describe
// only: the handlers read the bodies with the AT adapter's own schemas
// (extra fields ignored, so the documented bodies are open: AT may add
// fields).
import { AT_STATUSES } from '@airtime/provider-africastalking';
import { Schema } from 'effect';

export const AtValidationRequest = Schema.Struct({
  transactionId: Schema.String.annotations({ description: "AT's requestId of the send" }),
  phoneNumber: Schema.String.annotations({ description: 'the number receiving airtime (with or without "+")' }),
  sourceIpAddress: Schema.optional(Schema.String),
  currencyCode: Schema.String.annotations({ description: 'ISO 4217, e.g. KES' }),
  amount: Schema.Union(Schema.Number, Schema.String).annotations({ description: 'the amount of airtime, e.g. 100' }),
}).annotations({ identifier: 'AtValidationCallback', jsonSchema: { additionalProperties: true } });

export const AtValidationAnswerView = Schema.Struct({
  status: Schema.Literal('Validated', 'Failed'),
}).annotations({ identifier: 'AtValidationAnswer' });

export const AtStatusRequest = Schema.Struct({
  phoneNumber: Schema.String,
  description: Schema.optional(Schema.String),
  status: Schema.Literal(...AT_STATUSES),
  requestId: Schema.String.annotations({ description: "AT's requestId of the send" }),
  discount: Schema.optional(Schema.String.annotations({ description: 'e.g. "KES 0.6000"' })),
  value: Schema.optional(Schema.String.annotations({ description: 'e.g. "KES 100.0000"' })),
}).annotations({ identifier: 'AtStatusCallback', jsonSchema: { additionalProperties: true } });

/** The answer of the status callback: the text OK. */
export const AtStatusAnswerText = Schema.Literal('OK');
