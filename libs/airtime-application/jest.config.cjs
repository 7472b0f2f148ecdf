module.exports = {
  displayName: 'airtime-application',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 60_000,
};
