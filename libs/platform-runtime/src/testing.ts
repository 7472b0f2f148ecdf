// Test helpers of the platform runtime (the `@airtime/platform-runtime/testing` entry).
export { type RecordingLogger, makeRecordingLogger, silentLogger } from './testing/recording-logger.fake';
export { type BundledEntry, bundleEntry } from './testing/entry-bundle.fixture';
