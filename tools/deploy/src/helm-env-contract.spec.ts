import { PRODUCTION_VALUES } from './tools';
import { appEnvKeys } from './app-env-schemas';
import { expectSameVariables } from './expect-same-variables';
import { componentOf, configMapData, envNames, ofKind, podSpec, renderChart, type K8sObject } from './manifests';

// The variables in the rendered manifests are exactly the ones each app's zod config schema accepts:
// nothing the app would ignore (a typo), nothing the app reads that the chart cannot set.
const HTTP_PORT_VAR: Record<string, string> = {
  'pypi-proxy': 'PYPI_PROXY_PORT',
  'npm-proxy': 'NPM_PROXY_PORT',
  'audit-gateway': 'AUDIT_GATEWAY_HTTP_PORT',
};

describe.each([
  ['default values', [] as string[]],
  ['values-production.yaml', [PRODUCTION_VALUES]],
])('rendered with %s', (label, valuesFiles) => {
  let objects: K8sObject[] = [];
  let deployments: K8sObject[] = [];
  beforeAll(() => {
    objects = renderChart(valuesFiles).objects;
    deployments = ofKind(objects, 'Deployment');
  });

  it('deploys the three services', () => {
    expect(deployments.map(componentOf).sort()).toEqual(['audit-gateway', 'npm-proxy', 'pypi-proxy']);
  });

  it.each(Object.keys(HTTP_PORT_VAR))('%s gets exactly the variables of its config schema', (app) => {
    const deployment = deployments.find((d) => componentOf(d) === app)!;
    expectSameVariables(`infra/helm (${label})`, app, envNames(objects, deployment), appEnvKeys(app));
  });

  it.each(Object.keys(HTTP_PORT_VAR))('%s probes /-/ready and /-/health on the port its config listens on', (app) => {
    const deployment = deployments.find((d) => componentOf(d) === app)!;
    const [container] = podSpec(deployment).containers;
    const cmName = container!.envFrom![0]!.configMapRef!.name;
    const listenPort = Number(configMapData(objects, cmName)[HTTP_PORT_VAR[app]!]);
    expect(configMapData(objects, cmName)['HOST']).toBe('0.0.0.0');
    const http = container!.ports!.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(listenPort);
    expect(container!.readinessProbe?.httpGet).toEqual({ path: '/-/ready', port: 'http' });
    expect(container!.livenessProbe?.httpGet).toEqual({ path: '/-/health', port: 'http' });
  });

  it('keeps S3 credentials out of ConfigMaps (secretKeyRef only)', () => {
    for (const cm of ofKind(objects, 'ConfigMap')) {
      const data = (cm as unknown as { data: Record<string, string> }).data;
      expect(Object.keys(data)).not.toContain('S3_SECRET_ACCESS_KEY');
      expect(Object.keys(data)).not.toContain('S3_ACCESS_KEY_ID');
    }
    for (const d of deployments.filter((x) => componentOf(x) !== 'audit-gateway')) {
      const env = podSpec(d).containers[0]!.env ?? [];
      expect(env.find((e) => e.name === 'S3_SECRET_ACCESS_KEY')?.valueFrom?.secretKeyRef).toBeDefined();
    }
  });

  it('points the proxies at the in-chart gateway gRPC service', () => {
    const gatewaySvc = ofKind(objects, 'Service').find((s) => componentOf(s) === 'audit-gateway')!;
    const grpc = (gatewaySvc as unknown as { spec: { ports: { name: string; port: number }[] } }).spec.ports.find((p) => p.name === 'grpc')!;
    for (const app of ['pypi-proxy', 'npm-proxy']) {
      const cm = ofKind(objects, 'ConfigMap').find((c) => componentOf(c) === app)!;
      expect(configMapData(objects, cm.metadata.name)['AUDIT_GATEWAY_ADDR']).toBe(`${gatewaySvc.metadata.name}:${grpc.port}`);
    }
  });
});

describe('the variable contract catches drift (negative control)', () => {
  it('fails on a variable the app does not accept', () => {
    const { objects } = renderChart([], ['pypiProxy.env.PYPI_UPSTREAM_ULR=http://typo.internal']);
    const deployment = ofKind(objects, 'Deployment').find((d) => componentOf(d) === 'pypi-proxy')!;
    expect(() => expectSameVariables('infra/helm', 'pypi-proxy', envNames(objects, deployment), appEnvKeys('pypi-proxy'))).toThrow(
      /unknown to the app.*PYPI_UPSTREAM_ULR/,
    );
  });
});
