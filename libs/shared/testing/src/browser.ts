// The e2e suites' browser (Debian's chromium, axe-core, screenshots): its own entry point, as it needs the DOM types.
export { launchChromium, screenshot, seriousAxeViolations, SCREENSHOT_DIR, type AxeViolation } from './lib/browser';
