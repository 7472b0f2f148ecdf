module.exports = {
  displayName: 'provider-http-kit',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
