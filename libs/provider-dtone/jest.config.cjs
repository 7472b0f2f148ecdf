module.exports = {
  displayName: 'provider-dtone',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
