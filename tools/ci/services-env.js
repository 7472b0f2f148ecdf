// Loads tmp/services.env, written by tools/ci/ensure-services.sh (the URLs of
// the local PostgreSQL and RabbitMQ, a generated password included), into
// process.env. A variable already set in the environment wins; a missing file
// changes nothing. Required by jest.preset.js (before jest forks its workers,
// so the workers and the processes tests spawn inherit the URLs) and by the
// tools (`tsx --require ./tools/ci/services-env.js ...`). Never prints values.
const fs = require('node:fs');
const path = require('node:path');

/** The variables the file may set; any other line is ignored. */
const SERVICE_VARIABLES = ['DATABASE_URL', 'AMQP_URL'];

const defaultServicesEnvFile = () =>
  process.env.SERVICES_ENV_FILE || path.join(__dirname, '..', '..', 'tmp', 'services.env');

/** `KEY=value` lines (no quoting, no expansion; `#` starts a comment line) to an object of the known keys. */
const parseServicesEnv = (text) => {
  const values = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match && SERVICE_VARIABLES.includes(match[1])) values[match[1]] = match[2].trim();
  }
  return values;
};

/** Sets each variable of the file that `environment` does not already have; returns the names it set. */
const loadServicesEnv = (file = defaultServicesEnvFile(), environment = process.env) => {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const loaded = [];
  for (const [name, value] of Object.entries(parseServicesEnv(text))) {
    if (environment[name] === undefined || environment[name] === '') {
      environment[name] = value;
      loaded.push(name);
    }
  }
  return loaded;
};

loadServicesEnv();

module.exports = { SERVICE_VARIABLES, parseServicesEnv, loadServicesEnv, defaultServicesEnvFile };
