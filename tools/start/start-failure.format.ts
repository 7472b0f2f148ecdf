// npm start's one-line failures of a setting, naming the variable to change
// rather than node's raw error: an address or a port that cannot be
// listened on (API_HOST/API_PORT, SIMULATOR_HOST/SIMULATOR_PORT), and a data
// folder (START_DATA_DIR) that cannot be made.

/** The settings of one listener. */
export interface Listener {
  /** The variable of its address, e.g. API_HOST. */
  readonly hostSetting: string;
  /** The variable of its port, e.g. API_PORT. */
  readonly portSetting: string;
  readonly host: string;
  readonly port: number;
}

/** The `code` of a node error, if any. */
export const errorCodeOf = (error: unknown): string | undefined => {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Why `listener` cannot listen, for node's error code: a port in use or
 * closed to this user names the port's variable; an address that is not of
 * this machine (EADDRNOTAVAIL, or a name that does not resolve) names the
 * address's variable; anything else names both, with the code.
 */
export const listenFailure = (code: string | undefined, listener: Listener): string => {
  const { host, port, hostSetting, portSetting } = listener;
  const otherPort = `set ${portSetting} to another port, or 0 for any free one`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${port} is in use (another npm start, or the API?): ${otherPort}`;
    case 'EACCES':
      return `port ${port} cannot be opened by this user (a port below 1024 needs privileges): ${otherPort}`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${hostSetting} ${host} is not an address of this machine: set ${hostSetting} to one (127.0.0.1, 0.0.0.0, ::)`;
    default:
      return `cannot listen on ${host}:${port} (${code ?? 'unknown error'}): check ${hostSetting} and ${portSetting}`;
  }
};

const DATA_DIR_REASONS: Readonly<Record<string, string>> = {
  EEXIST: 'a part of that path is a file, not a folder',
  ENOTDIR: 'a part of that path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** Why START_DATA_DIR `dataDir` cannot be made (or its lock file written), in one line. */
export const dataDirFailure = (dataDir: string, error: unknown): string => {
  const code = errorCodeOf(error);
  const reason = code === undefined ? undefined : DATA_DIR_REASONS[code];
  const detail =
    reason !== undefined
      ? `: ${reason} (${code})`
      : ` (${code ?? (error instanceof Error ? error.message : String(error))})`;
  return `START_DATA_DIR ${dataDir} cannot be made${detail}; set START_DATA_DIR to a folder path`;
};
