// Test helpers of @airtime/persistence-postgres (for its own and later libs' integration tests).
export { type TestDatabase, createTestDatabase } from './testing/test-database';
export { type BundledEntry, bundleEntry } from './testing/entry-bundle.fixture';
