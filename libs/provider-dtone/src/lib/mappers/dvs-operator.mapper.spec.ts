import { Either } from 'effect';
import { alpha2Of, alpha3Of } from './country-code.table';
import { operatorMatchOf, operatorOf } from './dvs-operator.mapper';

describe('operators', () => {
  it('converts DVS alpha-3 countries to the alpha-2 of the domain, both ways', () => {
    expect(alpha2Of('PHL')).toBe('PH');
    expect(alpha2Of('ken')).toBe('KE');
    expect(alpha3Of('sg')).toBe('SGP');
    expect(alpha2Of('GXX')).toBeUndefined();
    expect(alpha3Of('ZZ')).toBeUndefined();
  });

  it('maps an operator and keeps the identified flag of a lookup', () => {
    const country = { iso_code: 'SGP', name: 'Singapore' };
    expect(Either.getOrThrow(operatorOf({ id: 12, name: 'Singtel', country }))).toEqual({
      id: '12',
      name: 'Singtel',
      countryIso: 'SG',
    });
    expect(Either.getOrThrow(operatorMatchOf({ id: 12, name: 'Singtel', country, identified: true })).identified).toBe(
      true,
    );
    expect(Either.getOrThrow(operatorMatchOf({ id: 12, name: 'Singtel', country, identified: false })).identified).toBe(
      false,
    );
    expect(Either.getOrThrow(operatorMatchOf({ id: 12, name: 'Singtel', country })).identified).toBe(false);
  });

  it('refuses an operator of a multi-country code', () => {
    expect(Either.isLeft(operatorOf({ id: 1, name: 'Global', country: { iso_code: 'EXX' } }))).toBe(true);
  });
});
