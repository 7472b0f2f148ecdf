// Text from outside (a caller's metadata, a provider's id, a log field) as it
// may be shown to people: every character a terminal or a browser acts on or
// does not show is written as a visible \uXXXX escape. One definition for the
// reconciler's summary, the console's pages and npm start's log.

/**
 * A character a terminal or a browser acts on or does not show: control
 * characters (C0 such as an ANSI escape or a line feed, DEL, C1), format
 * characters (bidi overrides and isolates such as U+202E, zero-width ones),
 * line and paragraph separators, lone surrogates and the other
 * default-ignorable code points.
 */
export const HIDDEN_CHARACTER = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

const EVERY_HIDDEN_CHARACTER = new RegExp(HIDDEN_CHARACTER.source, 'gu');

const NONE: ReadonlySet<string> = new Set();

/** A character as JSON's \uXXXX escapes of its UTF-16 code units (`\u001b`; two beyond the BMP: `\udb40\udc01`). */
const escapeOf = (character: string): string =>
  Array.from(
    { length: character.length },
    (_, index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`,
  ).join('');

/**
 * `text` with each hidden character (`HIDDEN_CHARACTER`) but those in
 * `keep` written as its \uXXXX escapes; every other character as it is.
 * Inside a JSON string an escape is the same JSON.
 */
export const escapeHiddenCharacters = (text: string, keep: ReadonlySet<string> = NONE): string =>
  text.replace(EVERY_HIDDEN_CHARACTER, (character) => (keep.has(character) ? character : escapeOf(character)));
