import { Schema } from 'effect';
import { AT_STATUSES } from '../status/status.mapper';

/** One recipient's line of the immediate send answer (unknown fields are ignored). */
export const AtRecipientAnswer = Schema.Struct({
  phoneNumber: Schema.String,
  status: Schema.Literal(...AT_STATUSES),
  requestId: Schema.optional(Schema.String),
  amount: Schema.optional(Schema.String),
  discount: Schema.optional(Schema.String),
  errorMessage: Schema.optional(Schema.String),
});
export type AtRecipientAnswer = typeof AtRecipientAnswer.Type;

/**
 * The immediate answer to POST /version1/airtime/send: an acceptance (or
 * refusal) per recipient, not the final status, which comes by callback.
 */
export const AtSendAnswer = Schema.Struct({
  errorMessage: Schema.optional(Schema.String),
  // a count, as a number or as its text ("1")
  numSent: Schema.optional(Schema.Union(Schema.Number, Schema.NumberFromString)),
  totalAmount: Schema.optional(Schema.String),
  totalDiscount: Schema.optional(Schema.String),
  responses: Schema.optionalWith(Schema.Array(AtRecipientAnswer), { default: () => [] }),
});
export type AtSendAnswer = typeof AtSendAnswer.Type;

export const AtSendAnswerFromJson = Schema.parseJson(AtSendAnswer);

/** AT writes "None" where there is nothing to say (errorMessage, requestId of a refusal). */
export const isMeaningful = (text: string | undefined): text is string =>
  text !== undefined && text.trim() !== '' && text.trim() !== 'None';
