// The list page's view: the filters as typed (to fill the form again), the
// status choices, one row per top-up (phone masked, status, amounts, time),
// and the pagination links, which keep the filters.
import { describeStatus, isFinalClass, TRANSACTION_CLASSES, type TopUp } from '@airtime/domain';
import { moneyText, timeText } from './console-text.format';
import { maskedPhone } from './phone-mask.format';

/** The filters of the list, as the form names them. */
export const LIST_FILTERS = ['status', 'from', 'to', 'phone_number', 'external_id'] as const;
export type ListFilters = { readonly [K in (typeof LIST_FILTERS)[number]]?: string | undefined };

export interface TopUpRow {
  readonly id: string;
  readonly href: string;
  readonly externalId: string;
  readonly phoneMasked: string;
  readonly statusId: string;
  readonly statusClass: string;
  readonly statusMessage: string;
  readonly final: boolean;
  readonly receives: string;
  readonly cost: string;
  readonly created: string;
  readonly createdIso: string;
}

export const topUpHref = (id: string): string => `/console/topups/${encodeURIComponent(id)}`;

export const topUpRow = (topUp: TopUp): TopUpRow => ({
  id: topUp.id,
  href: topUpHref(topUp.id),
  externalId: topUp.externalId,
  phoneMasked: maskedPhone(topUp.destination.e164),
  statusId: topUp.status.status,
  statusClass: topUp.status.class,
  statusMessage: describeStatus(topUp.status.status),
  final: isFinalClass(topUp.status.class),
  receives: moneyText(topUp.quote.receive),
  cost: moneyText(topUp.quote.cost),
  created: timeText(topUp.createdAt),
  createdIso: topUp.createdAt.toISOString(),
});

/** The status select's options: every class, the chosen one selected. */
export const statusOptions = (chosen: string | undefined) => [
  { value: '', label: 'Any status', selected: chosen === undefined },
  ...TRANSACTION_CLASSES.map((value) => ({ value, label: value, selected: value === chosen })),
];

/** The list's URL for `filters` at `page`. */
export const listHref = (filters: ListFilters, page: number): string => {
  const query = new URLSearchParams();
  for (const name of LIST_FILTERS) {
    const value = filters[name];
    if (value !== undefined) query.set(name, value);
  }
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text.length === 0 ? '/console/topups' : `/console/topups?${text}`;
};

export interface PageLinks {
  readonly number: number;
  readonly pages: number;
  readonly total: number;
  readonly previousHref?: string | undefined;
  readonly nextHref?: string | undefined;
  /** The first page (a page past the last shows a link to it). */
  readonly firstHref: string;
}

export const pageLinks = (filters: ListFilters, page: number, perPage: number, total: number): PageLinks => {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return {
    number: page,
    pages,
    total,
    previousHref: page > 1 ? listHref(filters, Math.min(page - 1, pages)) : undefined,
    nextHref: page < pages ? listHref(filters, page + 1) : undefined,
    firstHref: listHref(filters, 1),
  };
};
