// Test support of shared-http-server (spec files only).
export { expectAnsweredAlike, sendBothWays, sendEachBothWays, type Answer, type BothWays, type Send } from './lib/testing/both-paths';
