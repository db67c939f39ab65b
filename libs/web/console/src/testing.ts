// Test-only API of web-console: a cookie-keeping browser for the console's component specs.
export { consoleBrowser, type ConsoleBrowser } from './lib/testing-console-browser';
