// The pino JSON lines of the platform's processes (the API and its workers,
// or a consumer) as `npm start` shows them: the time, the level, the
// message, then the other fields as key=value. A line that is not a pino
// object is shown as it is. Their logs hold no phone number or secret
// (pino redacts them); nothing is added here.
//
// Nothing of a line reaches the terminal as a character it would act on or
// hide: control characters (C0, DEL, C1), format characters (bidi
// overrides and isolates, zero-width ones), line and paragraph separators,
// lone surrogates and the other default-ignorable characters are written as
// JSON's \uXXXX escapes. A value, a field name or a message holding one is
// quoted as a JSON string (JSON.parse gives it back), as is one holding
// whitespace, `"`, `=` or a backslash, or an empty one.

import { escapeHiddenCharacters, HIDDEN_CHARACTER } from '@airtime/application';

/** The fields every line has, shown in their own places or left out. */
const PLACED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

const LEVEL_WIDTH = 5;

/** A character a terminal acts on or does not show, or one that is not a character (a lone surrogate). */
const UNSAFE = HIDDEN_CHARACTER;

/** The text with each unsafe character as its escape, the rest as it is. */
export const escapeUnsafe = (text: string): string => escapeHiddenCharacters(text);

/** A JSON text with its unsafe characters escaped (JSON.stringify leaves DEL, C1, bidi and U+2028 as they are). */
const safeJson = (value: unknown): string => escapeUnsafe(JSON.stringify(value) ?? String(value));

/** A string as it is, or as a JSON string when it is empty or holds whitespace, `"`, `=`, a backslash or an unsafe character. */
const wordText = (text: string): string =>
  text === '' || /[\s"=\\]/.test(text) || UNSAFE.test(text) ? safeJson(text) : text;

const valueText = (value: unknown): string => {
  if (typeof value === 'string') return wordText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return safeJson(value);
};

/** The message as it is (it has spaces), quoted only when it holds an unsafe character. */
const messageText = (message: unknown): string => {
  const text = String(message);
  return UNSAFE.test(text) ? safeJson(text) : text;
};

const timeText = (time: unknown): string => {
  if (typeof time === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(time)) return time.slice(11, 19);
  if (typeof time === 'number' && Number.isFinite(new Date(time).getTime())) {
    return new Date(time).toISOString().slice(11, 19);
  }
  return '--:--:--';
};

/** A pino level as a label (pino writes labels here, numbers by default). */
const levelText = (level: unknown): string => {
  const byNumber: Readonly<Record<number, string>> = {
    10: 'trace',
    20: 'debug',
    30: 'info',
    40: 'warn',
    50: 'error',
    60: 'fatal',
  };
  const label = typeof level === 'number' ? (byNumber[level] ?? String(level)) : String(level ?? '');
  return escapeUnsafe(label.toUpperCase()).padEnd(LEVEL_WIDTH);
};

/** The object of a pino line, or undefined when the line is not one. */
export const parseLogLine = (line: string): Readonly<Record<string, unknown>> | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'msg' in value
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** One readable line for a pino log line (the line itself, its unsafe characters escaped, when it is not one). */
export const prettyLogLine = (line: string): string => {
  const entry = parseLogLine(line);
  if (entry === undefined) return escapeUnsafe(line);
  const fields = Object.entries(entry)
    .filter(([name]) => !PLACED.has(name))
    .map(([name, value]) => `${wordText(name)}=${valueText(value)}`);
  return [timeText(entry['time']), levelText(entry['level']), messageText(entry['msg']), ...fields].join(' ').trimEnd();
};
