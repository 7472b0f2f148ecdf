// The one table of the console's error pages (the HTML transport): every
// error a console route can fail with, by `_tag`, to its status, page
// heading and message. The errors the JSON API also answers keep the API
// table's status and message (api-errors.table.ts), so both transports say
// the same; the console's own are listed here, typed with `satisfies`, so a
// new one fails the type-check until it is named.
//
// A page that needs a session, asked for by a GET without one, is not an
// error page: it is a 303 to the sign-in page (console.routes.ts).
import type { ConsoleSessionEnded, TopUpNotResendable } from '@airtime/application';
import { type ApiError, answerOf, isApiError } from '../http/api-errors.table';
import type { ConsoleSignInRequired, CsrfRefused } from './console.errors';

/** The console's own errors (not in the API's table). */
export type ConsoleOnlyError = ConsoleSessionEnded | ConsoleSignInRequired | CsrfRefused | TopUpNotResendable;

/** Every error a console route can answer with a page. */
export type ConsoleError = ApiError | ConsoleOnlyError;

export interface ConsoleErrorPage {
  readonly status: number;
  /** The page's h1. */
  readonly heading: string;
  /** What the page says (never an id or a value the user sent, never a store's or a provider's text). */
  readonly message: string;
}

const CONSOLE_ERRORS = {
  ConsoleSessionEnded: { status: 401, heading: 'Signed out', message: 'Your session has ended; sign in again.' },
  ConsoleSignInRequired: { status: 401, heading: 'Signed out', message: 'Sign in with your API key first.' },
  TopUpNotResendable: {
    status: 409,
    heading: 'Cannot be resent',
    message:
      'Only a declined, rejected or cancelled top-up whose resends all failed can be resent; a completed one, one whose outcome is unknown, or one an operator settled as failed by hand never is.',
  },
  CsrfRefused: {
    status: 403,
    heading: 'Refused',
    message: 'The form is out of date or was not sent by the console; go back, reload the page and try again.',
  },
} as const satisfies Record<ConsoleOnlyError['_tag'], ConsoleErrorPage>;

/** The heading of an error page of the API's table, by status. */
const HEADINGS: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Signed out',
  404: 'Not found',
  409: 'Conflict',
  422: 'Cannot be sold',
  429: 'Too many requests',
  502: 'Provider unavailable',
  503: 'Unavailable',
};

/** Headings by the API's code where the status's heading would mislead: a 422 that is not about what is sold. */
const HEADINGS_BY_CODE: Readonly<Record<string, string>> = {
  CALLBACK_SECRET_MISSING: 'Callbacks not set up',
};

const isConsoleOnlyError = (value: unknown): value is ConsoleOnlyError =>
  typeof value === 'object' &&
  value !== null &&
  '_tag' in value &&
  typeof value._tag === 'string' &&
  Object.prototype.hasOwnProperty.call(CONSOLE_ERRORS, value._tag);

/** Whether a value is an error of the table. */
export const isConsoleError = (value: unknown): value is ConsoleError => isConsoleOnlyError(value) || isApiError(value);

/** The page of an error of the table. */
export const consolePageOf = (error: ConsoleError): ConsoleErrorPage => {
  if (isConsoleOnlyError(error)) return CONSOLE_ERRORS[error._tag];
  const answer = answerOf(error);
  const heading = HEADINGS_BY_CODE[answer.code] ?? HEADINGS[answer.status] ?? 'Refused';
  return { status: answer.status, heading, message: answer.message };
};
