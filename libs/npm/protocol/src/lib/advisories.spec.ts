import { isAppError } from '@registry/shared-errors';
import {
  filterLegacyAuditBody, legacyAuditNames, mergeBulkAdvisories, parseBulkAdvisoryRequest, parseBulkAdvisoryResponse, splitBulkAdvisoryRequest,
} from './advisories';

describe('npm audit requests (protocols §5.2)', () => {
  it('reads a bulk request, dropping names no registry can have and refusing malformed versions', () => {
    expect(parseBulkAdvisoryRequest({ lodash: ['4.0.0'], '@acme/x': ['1.0.0', '1.1.0'], '../etc': ['1'], _hidden: ['1'] }))
      .toEqual({ lodash: ['4.0.0'], '@acme/x': ['1.0.0', '1.1.0'] });
    for (const body of [[], 'x', null, { lodash: '4.0.0' }, { lodash: [4] }]) {
      let code: string | undefined;
      try {
        parseBulkAdvisoryRequest(body);
      } catch (err) {
        code = isAppError(err) ? err.code : 'other';
      }
      expect(code).toBe('invalid_request');
    }
  });

  it('splits a request by what may go upstream, and merges two answers without duplicates or prototype keys', () => {
    expect(splitBulkAdvisoryRequest({ a: ['1'], b: ['2'] }, (n) => n === 'a')).toEqual({ upstream: { a: ['1'] }, withheld: { b: ['2'] } });
    const merged = mergeBulkAdvisories({ a: [{ id: 1 }] }, parseBulkAdvisoryResponse(JSON.parse('{"a":[{"id":1},{"id":2}],"__proto__":[{"id":3}],"c":"junk"}')));
    expect(merged).toEqual(JSON.parse('{"a":[{"id":1},{"id":2}],"__proto__":[{"id":3}]}'));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('filters a legacy tree at every depth and replaces the project name', () => {
    const body = {
      name: 'secret-app', version: '3.0.0', requires: { pub: '^1', secret: '^1' },
      dependencies: { pub: { version: '1.0.0', requires: { secret: '^1' }, dependencies: { secret: { version: '1.0.0' } } }, secret: { version: '1.0.0' } },
    };
    expect([...legacyAuditNames(body)].sort()).toEqual(['pub', 'secret']);
    expect(filterLegacyAuditBody(body, (n) => n === 'pub')).toEqual({
      name: 'npm-audit-request', version: '0.0.0', requires: { pub: '^1' }, dependencies: { pub: { version: '1.0.0', requires: {}, dependencies: {} } },
    });
  });
});
