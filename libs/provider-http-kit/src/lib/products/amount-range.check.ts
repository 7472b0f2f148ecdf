// Before any HTTP call: a send must go to a country the adapter has an
// amount range for, in that range's currency (Africa's Talking and
// engageSPARK take a bare amount in the destination's local currency, so a
// KES amount posted for a Tanzanian number would be sent as it stands).
import { ProviderRejected, type SendRequest, sameCurrency } from '@airtime/domain';
import type { AmountRange } from '../config/amount-ranges.config';

/**
 * The refusal of a send whose destination has no configured range
 * (`COUNTRY_NOT_CONFIGURED`) or whose amount is in another currency than the
 * range's (`CURRENCY_NOT_SUPPORTED`); undefined when the send may go.
 * Definite and not retryable: nothing was sent.
 */
export const amountRangeRefusal = (
  provider: string,
  providerName: string,
  ranges: readonly AmountRange[],
  request: Pick<SendRequest, 'destination' | 'receive'>,
): ProviderRejected | undefined => {
  const range = ranges.find((candidate) => candidate.countryIso === request.destination.countryIso);
  if (range === undefined)
    return new ProviderRejected({
      provider,
      providerCode: 'COUNTRY_NOT_CONFIGURED',
      reason: `no ${providerName} amount range is configured for ${request.destination.countryIso}`,
      retryable: false,
    });
  if (!sameCurrency(range.min.currency, request.receive.currency))
    return new ProviderRejected({
      provider,
      providerCode: 'CURRENCY_NOT_SUPPORTED',
      reason: `${providerName} is configured to send ${range.min.currency.code} to ${range.countryIso}, not ${request.receive.currency.code}`,
      retryable: false,
    });
  return undefined;
};
