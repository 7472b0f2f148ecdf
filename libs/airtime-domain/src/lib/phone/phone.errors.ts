import { Data } from 'effect';

/** Not a valid E.164 mobile number. */
export class InvalidPhoneNumber extends Data.TaggedError('InvalidPhoneNumber')<{
  /** The form that was read ("E.164 text", "international digits", "national number"), never the number. */
  readonly input: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_PHONE_NUMBER' as const;
  override get message(): string {
    return `invalid phone number (${this.input}): ${this.reason}`;
  }
}
