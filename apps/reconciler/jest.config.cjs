module.exports = {
  displayName: 'reconciler',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // integration tests run the reconciler against the shared PostgreSQL (each file its own database)
  // and the DVS simulator's HTTP server, in-process and as a child process (kill -9)
  testTimeout: 120_000,
};
