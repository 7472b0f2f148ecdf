import { Data } from 'effect';

/** Not a valid E.164 mobile number. */
export class InvalidPhoneNumber extends Data.TaggedError('InvalidPhoneNumber')<{
  readonly input: string;
  readonly reason: string;
}> {
  readonly code = 'INVALID_PHONE_NUMBER' as const;
  override get message(): string {
    return `invalid phone number "${this.input}": ${this.reason}`;
  }
}
