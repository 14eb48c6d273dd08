// Cucumber profiles. `npm run conformance` is the documented way to run the
// suite (it adds the summary and the HTML report); these profiles also work
// with a plain `npx cucumber-js`.
const common = {
  requireModule: ['ts-node/register'],
  require: ['support/world/*.ts', 'steps/**/*.ts'],
  format: ['progress', ['allure-cucumberjs/reporter', 'reports/allure-formatter.log']],
  formatOptions: { resultsDir: 'reports/allure-results' },
};

module.exports = {
  default: common,
  // Against an external implementation through its adapter:
  // TCK_ADAPTER="<command line>" npx cucumber-js --profile adapter
  adapter: { ...common, worldParameters: { adapter: process.env.TCK_ADAPTER ?? '' } },
};
