import { readFileSync, writeFileSync } from 'node:fs';
import { CHART_DIR, PRODUCTION_VALUES, run, tool } from './tools';
import { ofKind, renderChart } from './manifests';

// helm lint --strict, helm template and offline Kubernetes schema validation.
const variants: [string, string[]][] = [
  ['default values', []],
  ['values-production.yaml', [PRODUCTION_VALUES]],
];

describe.each(variants)('chart with %s', (_label, valuesFiles) => {
  it('passes helm lint --strict', () => {
    const r = run(tool('HELM'), ['lint', '--strict', CHART_DIR, ...valuesFiles.flatMap((f) => ['-f', f])]);
    expect({ code: r.code, out: r.code === 0 ? '' : r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders objects that validate --strict against the Kubernetes schemas', () => {
    const { file, objects } = renderChart(valuesFiles);
    expect(ofKind(objects, 'Deployment')).toHaveLength(3);
    const r = run(tool('KUBERNETES_VALIDATE'), ['--strict', '--quiet', file]);
    expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({ code: 0, out: expect.not.stringMatching(/ERROR/) });
    // Only the optional ServiceMonitor CRD may lack a built-in schema; it is checked by shape in helm-production.spec.ts.
    const unknownKinds = [...(r.stdout + r.stderr).matchAll(/Couldn't find schema for kind (\S+)/g)].map((m) => m[1]);
    expect(new Set(unknownKinds)).toEqual(new Set(unknownKinds.length ? ['ServiceMonitor'] : []));
  });
});

describe('kubernetes-validate catches what it should (negative control)', () => {
  it('rejects a rendered Deployment with an unknown field', () => {
    const { file } = renderChart();
    const broken = readFileSync(file, 'utf8').replace(/(kind: Deployment\n)/, '$1bogusField: true\n');
    writeFileSync(file, broken);
    const r = run(tool('KUBERNETES_VALIDATE'), ['--strict', '--quiet', file]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/bogusField/);
  });
});

describe('values.schema.json', () => {
  const rejected: [string, string][] = [
    ['a port that is not a number', 'pypiProxy.port=http'],
    ['a malformed broker list', 'kafka.brokers=not a broker'],
    ['a public URL that is not http(s)', 'pypiProxy.publicUrl=ftp://mirror.internal/pypi'],
    ['a TRUST_PROXY the app would reject', 'npmProxy.env.TRUST_PROXY=maybe'],
    ['an env name that is not a variable name', 'npmProxy.env.lower-case=1'],
    ['an unknown key (typo)', 'pypiProxy.trustProxies=true'],
    ['two gateway replicas on one ReadWriteOnce spool', 'auditGateway.replicaCount=2'],
    ['an unknown log level', 'logLevel=verbose'],
  ];

  it.each(rejected)('rejects %s', (_why, set) => {
    expect(() => renderChart([], [set])).toThrow(/values don't meet the specifications of the schema|schema/i);
  });

  it('accepts an external broker list and an upstream URL', () => {
    const { objects } = renderChart([], ['kafka.brokers=kafka-0.kafka:9092\\,kafka-1.kafka:9092', 'npmProxy.env.NPM_UPSTREAM_URL=http://mirror.internal/npm']);
    expect(ofKind(objects, 'Deployment')).toHaveLength(3);
  });

  it('refuses an env entry for a variable the chart wires itself', () => {
    expect(() => renderChart([], ['pypiProxy.env.HOST=127.0.0.1'])).toThrow(/pypi-proxy\.env\.HOST: the chart sets this variable itself/);
  });
});
