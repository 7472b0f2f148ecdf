// The console's error pages: a heading that says what went wrong, the API's status and message.
import { CallbackSecretMissing } from '@airtime/application';
import { NoMatchingProduct } from '@airtime/domain';
import { consolePageOf } from './console-errors.table';

describe('consolePageOf', () => {
  it('heads a missing callback signing secret as such, not as something that cannot be sold', () => {
    const page = consolePageOf(new CallbackSecretMissing());
    expect(page).toMatchObject({ status: 422, heading: 'Callbacks not set up' });
    expect(page.message).toContain('callback signing secret');
  });

  it('keeps the heading of the status for the other 422s', () => {
    expect(consolePageOf(new NoMatchingProduct({ currency: 'PHP', maxAmountMinor: 100n }))).toMatchObject({
      status: 422,
      heading: 'Cannot be sold',
    });
  });
});
