// Public API of shared-upstream-http.
export {};
