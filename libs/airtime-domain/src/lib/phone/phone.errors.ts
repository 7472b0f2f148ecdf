import { taggedError } from '../errors/tagged-error';

/** Not a valid E.164 mobile number. */
export class InvalidPhoneNumber extends taggedError('InvalidPhoneNumber', {
  code: 'INVALID_PHONE_NUMBER',
  retryable: false,
})<{
  /** The form that was read ("E.164 text", "international digits", "national number"), never the number. */
  readonly input: string;
  readonly reason: string;
}>((e) => `invalid phone number (${e.input}): ${e.reason}`) {}
