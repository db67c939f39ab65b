// Test helpers of auth-identity: fakes and contract suites, for spec files only.
export {};
