// The console's templates, compiled once with Eta (autoEscape on: every
// `<%= %>` is HTML-escaped; `<%~ %>` is used only for markup this code made,
// the page body and the chart). A page is its body template rendered, then
// the layout around it.
import { Eta } from 'eta';
import { LAYOUT_TEMPLATE } from './layout';
import { MESSAGE_TEMPLATE } from './message';
import { OVERVIEW_TEMPLATE, RATES_TEMPLATE } from './overview';
import { RESEND_TEMPLATE } from './resend';
import { SIGN_IN_TEMPLATE } from './sign-in';
import { TOP_UP_DETAIL_TEMPLATE } from './top-up-detail';
import { TOP_UP_LIST_TEMPLATE } from './top-up-list';

const TEMPLATES = {
  signIn: SIGN_IN_TEMPLATE,
  message: MESSAGE_TEMPLATE,
  topUpList: TOP_UP_LIST_TEMPLATE,
  topUpDetail: TOP_UP_DETAIL_TEMPLATE,
  resend: RESEND_TEMPLATE,
  overview: OVERVIEW_TEMPLATE,
  rates: RATES_TEMPLATE,
} as const;

export type PageTemplate = keyof typeof TEMPLATES;

/** What the layout shows around a page. */
export interface PageFrame {
  readonly title: string;
  /** Signed in: the sign-out form is shown, with this CSRF token. */
  readonly csrf?: string | undefined;
  /** The URL the live-update script fetches this page from (a top-up not final yet). */
  readonly liveUrl?: string | undefined;
}

const eta = new Eta({ autoEscape: true, autoTrim: false, cache: true, useWith: false });
eta.loadTemplate('@layout', LAYOUT_TEMPLATE);
for (const [name, text] of Object.entries(TEMPLATES)) eta.loadTemplate(`@${name}`, text);

/** A template's markup for `data` (a fragment, without the layout). */
export const renderFragment = (template: PageTemplate, data: object): string => eta.render(`@${template}`, data);

/** A whole HTML page: the template rendered with `data`, inside the layout. */
export const renderPage = (template: PageTemplate, data: object, frame: PageFrame): string =>
  eta.render('@layout', {
    title: frame.title,
    signedIn: frame.csrf !== undefined,
    csrf: frame.csrf ?? '',
    liveUrl: frame.liveUrl,
    body: renderFragment(template, data),
  });
