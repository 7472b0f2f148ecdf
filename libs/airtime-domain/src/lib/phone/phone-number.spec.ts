import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import {
  lastDigits,
  parseInternationalDigits,
  parseNationalNumber,
  parsePhoneNumber,
  toE164,
  toInternationalDigits,
} from './phone-number';

describe('phone numbers', () => {
  it('parses E.164 and knows the country', () => {
    const phone = Either.getOrThrow(parsePhoneNumber('+254711000111'));
    expect(phone).toEqual({ e164: '+254711000111', countryIso: 'KE', callingCode: '254' });
    expect(Either.getOrThrow(parsePhoneNumber('+639171234567')).countryIso).toBe('PH');
    expect(Either.getOrThrow(parsePhoneNumber('+6595123100')).countryIso).toBe('SG');
  });

  it('writes the number for each provider', () => {
    const phone = Either.getOrThrow(parsePhoneNumber('+254711000111'));
    expect(toE164(phone)).toBe('+254711000111'); // DT One DVS
    expect(toInternationalDigits(phone)).toBe('254711000111'); // Africa's Talking, engageSPARK
    expect(lastDigits(phone, 3)).toBe('111');
  });

  it('gives at most the last count digits: never the + and never the whole number for 0 or a negative count', () => {
    const phone = Either.getOrThrow(parsePhoneNumber('+254711000111'));
    // slice(-0) is slice(0): 0 gave the whole number, -1 all but its first character
    expect(lastDigits(phone, 0)).toBe('');
    expect(lastDigits(phone, -1)).toBe('');
    expect(lastDigits(phone, Number.NaN)).toBe('');
    expect(lastDigits(phone, 2.5)).toBe('');
    expect(lastDigits(phone, 100)).toBe('254711000111');
    expect(lastDigits(phone, 12)).toBe('254711000111');
  });

  it('reads provider digits and national formats back to E.164', () => {
    expect(Either.getOrThrow(parseInternationalDigits('639171234567')).e164).toBe('+639171234567');
    expect(Either.getOrThrow(parseNationalNumber('0711 000111', 'KE')).e164).toBe('+254711000111');
  });

  it('refuses anything but a valid E.164 number, with a reason', () => {
    for (const input of [
      '',
      '254711000111',
      '+254711XXXYYY',
      '+254 711 000111',
      '+0123456789',
      '+2547',
      '+25471100011122233',
      '+999123456789',
      '+254000000000',
    ]) {
      const result = parsePhoneNumber(input);
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'InvalidPhoneNumber',
        code: 'INVALID_PHONE_NUMBER',
        input: 'E.164 text',
      });
    }
    expect(Either.isLeft(parseInternationalDigits('+254711000111'))).toBe(true);
  });

  it('reads national numbers strictly: no letters, no extension, no other country', () => {
    const refused = (input: unknown, country = 'KE') => {
      const result = parseNationalNumber(input, country);
      return Either.isLeft(result) && result.left._tag;
    };
    expect(refused('0711000111abc')).toBe('InvalidPhoneNumber');
    expect(refused('+254 711 000 111 x12')).toBe('InvalidPhoneNumber');
    expect(refused('0711 000 111 ext. 12')).toBe('InvalidPhoneNumber');
    expect(refused('tel:0711000111')).toBe('InvalidPhoneNumber');
    expect(refused('07\uff111000111')).toBe('InvalidPhoneNumber'); // a full-width digit
    expect(refused('+255712000111')).toBe('InvalidPhoneNumber'); // a Tanzanian number is not a KE one
    expect(refused('0711000111', 'ZZ')).toBe('InvalidPhoneNumber');
    for (const input of [null, undefined, 711000111, {}]) expect(refused(input)).toBe('InvalidPhoneNumber');
    expect(Either.getOrThrow(parseNationalNumber('(0711) 000-111', 'KE')).e164).toBe('+254711000111');
    expect(Either.getOrThrow(parseNationalNumber('+254 711 000 111', 'ke')).e164).toBe('+254711000111');
  });

  it('never carries the number in an error, neither as given nor as rewritten', () => {
    for (const [input, country] of [
      ['0711000111abc', 'KE'],
      ['+254 711 000 111 x12', 'KE'],
      ['+255712000111', 'KE'],
      ['071100', 'KE'],
    ] as const) {
      const result = parseNationalNumber(input, country);
      const error = Either.isLeft(result) ? result.left : undefined;
      const text = `${error?.message} ${JSON.stringify({ ...error })}`;
      expect(error).toBeDefined();
      expect(text).not.toMatch(/\d{4}/);
    }
    for (const input of ['+254711XXXYYY', '+25471100011122233', '+254000000000', '254711000111']) {
      const result = Either.isLeft(parsePhoneNumber(input)) ? parsePhoneNumber(input) : parseInternationalDigits(input);
      expect(Either.isLeft(result) && `${result.left.message} ${result.left.input}`).not.toMatch(/\d{4}/);
    }
  });

  test.prop([
    fc.stringMatching(/^\+?[0-9]{6,15}$/),
    fc.constantFrom('', 'abc', ' x12', ';ext=9', '#', '*'),
    fc.constantFrom('KE', 'PH', 'SG', 'US', 'ZZ'),
  ])('an error never contains digits of the number it was given', (digits, suffix, country) => {
    const text = `${digits}${suffix}`;
    const results = [parseNationalNumber(text, country), parsePhoneNumber(text), parseInternationalDigits(text)];
    for (const result of results) {
      if (Either.isLeft(result)) {
        const shown = `${result.left.message} ${JSON.stringify({ ...result.left })}`;
        expect(shown).not.toMatch(/\d{4}/);
        expect(shown).not.toContain(digits.replace('+', ''));
      }
    }
    if (suffix !== '') expect(results.every(Either.isLeft)).toBe(true);
  });

  test.prop([fc.constantFrom('+2547', '+6391', '+6595', '+1201'), fc.stringMatching(/^\d{7,8}$/)])(
    'a parsed number round-trips through both provider formats',
    (prefix, rest) => {
      const parsed = parsePhoneNumber(prefix + rest);
      fc.pre(Either.isRight(parsed));
      const phone = Either.getOrThrow(parsed);
      expect(Either.getOrThrow(parsePhoneNumber(toE164(phone)))).toEqual(phone);
      expect(Either.getOrThrow(parseInternationalDigits(toInternationalDigits(phone)))).toEqual(phone);
    },
  );
});
