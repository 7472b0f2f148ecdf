import { listHref, pageLinks } from './top-up-list.mapper';
import { formOf, givenOf } from './form-fields.mapper';

describe('the list page', () => {
  it('keeps the filters in its pagination links and leaves out page 1', () => {
    const filters = { status: 'DECLINED', phone_number: '+63 917', external_id: undefined };
    expect(listHref(filters, 1)).toBe('/console/topups?status=DECLINED&phone_number=%2B63+917');
    expect(pageLinks(filters, 2, 25, 60)).toEqual({
      number: 2,
      pages: 3,
      total: 60,
      previousHref: '/console/topups?status=DECLINED&phone_number=%2B63+917',
      nextHref: '/console/topups?status=DECLINED&phone_number=%2B63+917&page=3',
      firstHref: '/console/topups?status=DECLINED&phone_number=%2B63+917',
    });
    expect(pageLinks({}, 1, 25, 0)).toEqual({ number: 1, pages: 1, total: 0, firstHref: '/console/topups' });
  });

  it('reads a form as strings, the first of a repeated field, and drops blank ones', () => {
    expect(formOf({ a: 'x', b: ['y', 'z'], c: 3, d: '  ' })).toEqual({ a: 'x', b: 'y', d: '  ' });
    expect(givenOf(formOf({ a: ' x ', d: '  ' }))).toEqual({ a: 'x' });
    expect(formOf('text')).toEqual({});
    expect(formOf(null)).toEqual({});
  });
});
