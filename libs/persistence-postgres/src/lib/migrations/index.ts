import { InitialSchema1763900000000 } from './1763900000000-initial-schema.migration';

/** Every committed migration, oldest first. */
export const migrations = [InitialSchema1763900000000];
