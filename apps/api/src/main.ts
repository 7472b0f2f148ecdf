// The API's entry point: decode the configuration (a bad value stops the
// process with the variables named, never their values), start the API
// (refusing a database with pending migrations unless
// DATABASE_MIGRATE_ON_START=true), and on SIGTERM or SIGINT stop accepting,
// finish the requests in flight, close everything and exit 0. No
// decorators: every inversify binding is a factory or a constant.
import 'reflect-metadata';
import { runAppMain } from '@airtime/platform-runtime';
import { startApiApp } from './api-app.runner';
import { apiConfigFrom } from './config/api.config';

runAppMain({ name: 'api', config: () => apiConfigFrom(process.env), start: (config) => startApiApp({ config }) });
