import { Data } from 'effect';

/** The error codes of the DVS reference used by the simulator, with their HTTP status and message. */
export const DVS_ERRORS = {
  1000400: { httpStatus: 400, message: 'Bad Request' },
  1000401: { httpStatus: 401, message: 'Unauthorized' },
  1000404: { httpStatus: 404, message: 'Resource not found' },
  1000429: { httpStatus: 429, message: 'Too many requests' },
  1003001: { httpStatus: 404, message: 'Product is not available in your account' },
  1003002: { httpStatus: 400, message: 'Requested product amount is out of range' },
  1003003: { httpStatus: 400, message: 'Requested product unit is invalid' },
  1003101: { httpStatus: 404, message: 'Benefits not defined for available products' },
  1003201: { httpStatus: 404, message: 'Promotion not found' },
  1003301: { httpStatus: 404, message: 'Campaign not found' },
  1005003: { httpStatus: 400, message: 'Credit party mobile number is invalid' },
  1005004: { httpStatus: 404, message: 'Service not found' },
  1005005: { httpStatus: 404, message: 'Country not found' },
  1005006: { httpStatus: 404, message: 'Operator not found' },
  1006001: { httpStatus: 400, message: 'Insufficient balance' },
  1006009: { httpStatus: 404, message: 'Account balance not found' },
  1007001: { httpStatus: 400, message: 'Transaction external ID has already been used' },
  1007002: { httpStatus: 400, message: 'Transaction has already been confirmed' },
  1007004: { httpStatus: 400, message: 'Transaction can no longer be confirmed' },
  1007005: { httpStatus: 400, message: 'Transaction has already been cancelled' },
  1007007: { httpStatus: 400, message: 'Transaction can no longer be cancelled' },
  1008004: { httpStatus: 404, message: 'Transaction not found' },
  1009001: { httpStatus: 500, message: 'Unexpected error, please contact our support team' },
  1009503: { httpStatus: 503, message: 'Service unavailable, please retry later' },
} as const;

export type DvsErrorCode = keyof typeof DVS_ERRORS;

/** A refusal of the simulated DVS platform: one DVS error code, with an optional detail. */
export class DvsError extends Data.TaggedError('DvsError')<{
  readonly code: DvsErrorCode;
  readonly detail?: string | undefined;
}> {
  get httpStatus(): number {
    return DVS_ERRORS[this.code].httpStatus;
  }
  /** The reference's message, then the detail when there is one. */
  override get message(): string {
    const base = DVS_ERRORS[this.code].message;
    return this.detail === undefined ? base : `${base}: ${this.detail}`;
  }
}

export const dvsError = (code: DvsErrorCode, detail?: string): DvsError =>
  detail === undefined ? new DvsError({ code }) : new DvsError({ code, detail });
