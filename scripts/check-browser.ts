// Run before the suites: a machine with no Chromium learns how to get one at once, in one line,
// rather than after the other suites, from a browser launch's stack trace.
import { requireChromium } from "../tests/support/browser-path";

console.log(`browser tests use ${requireChromium()}`);
