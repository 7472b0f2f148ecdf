// Test helpers of @airtime/messaging-in-process.
export { type LogRecord, type RecordingLogger, recordingLogger } from '@airtime/application/testing';
