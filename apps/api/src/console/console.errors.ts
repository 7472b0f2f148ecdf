// The console's own refusals (the HTML transport's, not a use case's).
import { taggedError } from '@airtime/domain';

/** A form posted without the session's CSRF token, or with another (403). */
export class CsrfRefused extends taggedError('CsrfRefused', { code: 'CSRF_REFUSED', retryable: false })(
  () => 'the form is out of date or was not sent by the console; reload the page and try again',
) {}

/** A page that needs a session, asked for without one (a GET is sent to the sign-in page; anything else is 401). */
export class ConsoleSignInRequired extends taggedError('ConsoleSignInRequired', {
  code: 'SIGN_IN_REQUIRED',
  retryable: false,
})(() => 'sign in with your API key first') {}
