// Public API of pypi-protocol.
export {};
