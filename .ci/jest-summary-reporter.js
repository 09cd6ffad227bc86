/** Prints the closing `N passed, N failed` line CI reads, after jest's own summary. */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    console.log(
      results.numPendingTests > 0
        ? `${line}, ${results.numPendingTests} skipped`
        : line,
    );
  }
}
module.exports = SummaryLineReporter;
