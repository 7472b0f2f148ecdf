// A provider's names (product, operator, provider) are the provider's text: each is rendered escaped and
// inside <bdi>, so a right-to-left name, or a bidi control in one, never reorders what is around it.
import { renderFragment } from './page-renderer';

const OVERRIDE = '\u202e';
const quote = { product: `Load 30${OVERRIDE}PHP 3000`, operator: `Globe <b>${OVERRIDE}</b>` };

describe('the console templates and a provider’s names', () => {
  it.each(['topUpDetail', 'resend'] as const)('isolates the product and the operator (%s)', (template) => {
    const html = renderFragment(template, {
      quote,
      attempts: [],
      exchanges: [],
      movements: [],
      events: [],
      resentAs: [],
    });
    expect(html).toContain(
      `<dd><bdi>Load 30${OVERRIDE}PHP 3000</bdi> (<bdi>Globe &lt;b&gt;${OVERRIDE}&lt;/b&gt;</bdi>)</dd>`,
    );
  });

  it('isolates the names of the success-rate table', () => {
    const html = renderFragment('rates', {
      what: 'Operator',
      rows: [{ name: `Smart${OVERRIDE}`, completed: 1, final: 1, rate: '100%' }],
    });
    expect(html).toContain(`<td><bdi>Smart${OVERRIDE}</bdi></td>`);
  });
});
