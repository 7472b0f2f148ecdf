// The pino JSON lines of the platform's processes (the API and its workers,
// or a consumer) as `npm start` shows them: the time, the level, the
// message, then the other fields as key=value. A line that is not a pino
// object is shown as it is. Their logs hold no phone number or secret
// (pino redacts them); nothing is added here.

/** The fields every line has, shown in their own places or left out. */
const PLACED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

const LEVEL_WIDTH = 5;

const valueText = (value: unknown): string => {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
};

const timeText = (time: unknown): string => {
  if (typeof time === 'string' && /T\d{2}:\d{2}:\d{2}/.test(time)) return time.slice(11, 19);
  if (typeof time === 'number') return new Date(time).toISOString().slice(11, 19);
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
  return label.toUpperCase().padEnd(LEVEL_WIDTH);
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

/** One readable line for a pino log line (the line itself when it is not one). */
export const prettyLogLine = (line: string): string => {
  const entry = parseLogLine(line);
  if (entry === undefined) return line;
  const fields = Object.entries(entry)
    .filter(([name]) => !PLACED.has(name))
    .map(([name, value]) => `${name}=${valueText(value)}`);
  return [timeText(entry['time']), levelText(entry['level']), String(entry['msg']), ...fields].join(' ').trimEnd();
};
