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
        input,
      });
    }
    expect(Either.isLeft(parseInternationalDigits('+254711000111'))).toBe(true);
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
