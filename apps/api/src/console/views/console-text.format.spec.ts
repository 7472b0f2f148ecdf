import { bodyText } from './top-up-detail.mapper';
import { visibleText } from './console-text.format';

// What a caller or a provider wrote (a top-up's metadata, an exchange's
// body) is shown in the page's <pre> blocks: HTML-escaped by the template,
// and, here, with every character that a browser acts on or hides (a bidi
// override reordering the rest of the line, a zero-width character, a line
// separator) written as a visible \uXXXX escape.
describe('visibleText', () => {
  it('writes bidi, zero-width, separator and control characters as \\u escapes, keeping line feeds and tabs', () => {
    expect(visibleText('a\u202Eb\u2066c\u200Bd\u2028e\u0085f\u007Fg\nh\ti\u0000')).toBe(
      'a\\u202eb\\u2066c\\u200bd\\u2028e\\u0085f\\u007fg\nh\ti\\u0000',
    );
  });

  it('writes a character beyond the BMP as its two UTF-16 escapes, and a lone surrogate as one', () => {
    expect(visibleText('x\u{E0041}y\uD800z')).toBe('x\\udb40\\udc41y\\ud800z');
  });

  it('leaves every other text as it is', () => {
    expect(visibleText('Globe PHP 30 — 30 ₱ ok 👍 عربي <b>')).toBe('Globe PHP 30 — 30 ₱ ok 👍 عربي <b>');
  });
});

describe('bodyText', () => {
  it('pretty-prints a JSON body whose strings hold a bidi override with the override escaped, still the same JSON', () => {
    const stored = JSON.stringify({ metadata: { note: '<script>x</script>\u202Eevil' } });
    const shown = bodyText(stored);
    expect(shown).not.toMatch(/\u202E/u);
    expect(shown).toContain('\\u202e');
    expect(JSON.parse(shown)).toEqual(JSON.parse(stored));
  });

  it('escapes a body that is not JSON as well', () => {
    expect(bodyText('plain \u202Etext\r\nnext')).toBe('plain \\u202etext\\u000d\nnext');
  });
});
