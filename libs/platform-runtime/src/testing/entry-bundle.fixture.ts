// The esbuild entry bundler of the tests, kept under this entry for the apps'
// fault fixtures and the tools: it lives in @airtime/persistence-postgres's
// testing entry, where that lib's own kill -9 specs may import it too (an
// adapter may not import the runtime).
export { type BundledEntry, bundleEntry } from '@airtime/persistence-postgres/testing';
