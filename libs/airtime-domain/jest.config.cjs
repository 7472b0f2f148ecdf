module.exports = {
  displayName: 'airtime-domain',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
