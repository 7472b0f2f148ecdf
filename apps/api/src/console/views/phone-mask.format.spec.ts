import fc from 'fast-check';
import { maskedPhone } from './phone-mask.format';

describe('maskedPhone', () => {
  it('keeps the calling code and the last four digits', () => {
    expect(maskedPhone('+639171234100')).toBe('+63 ••••••4100');
    expect(maskedPhone('+14155552671')).toBe('+1 ••••••2671');
    expect(maskedPhone('+254712345678')).toBe('+254 •••••5678');
  });

  it('never shows more than the calling code and four digits of any number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), (e164) => {
        const masked = maskedPhone(e164);
        const shownDigits = masked.replace(/[^0-9]/g, '');
        const code = masked.startsWith('+') ? (masked.slice(1).split(' ')[0] ?? '') : '';
        expect(shownDigits.length).toBeLessThanOrEqual(code.length + 4);
        expect(masked.endsWith(e164.slice(-4))).toBe(true);
      }),
    );
  });
});
