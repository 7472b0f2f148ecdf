module.exports = {
  displayName: 'provider-africastalking',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
