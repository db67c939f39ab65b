import { PRODUCTION_VALUES } from './tools';
import { componentOf, configMapData, ofKind, podSpec, renderChart, type K8sObject } from './manifests';

// What the production overlay must produce: TLS ingress per proxy, HPAs for the stateless proxies only,
// PDBs, credentials from existing Secrets, a persistent gateway spool, and the optional ServiceMonitor.
type Spec<T> = K8sObject & { spec: T };
const byComponent = (objects: K8sObject[], kind: string) => new Map(ofKind(objects, kind).map((o) => [componentOf(o), o]));

describe('chart with values-production.yaml', () => {
  let objects: K8sObject[] = [];
  beforeAll(() => {
    objects = renderChart([PRODUCTION_VALUES]).objects;
  });

  it('has one TLS Ingress per proxy, routing its host to the proxy Service', () => {
    const ingresses = byComponent(objects, 'Ingress') as Map<string, Spec<{ tls: { hosts: string[] }[]; rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[] }>>;
    expect([...ingresses.keys()].sort()).toEqual(['npm-proxy', 'pypi-proxy']);
    const services = byComponent(objects, 'Service');
    for (const [app, ing] of ingresses) {
      const host = ing.spec.rules[0]!.host;
      expect(ing.spec.tls[0]!.hosts).toEqual([host]);
      expect(ing.spec.rules[0]!.http.paths[0]!.backend.service.name).toBe(services.get(app)!.metadata.name);
    }
  });

  it('trusts X-Forwarded-* behind the ingress and derives the public URL from the TLS host', () => {
    const cms = byComponent(objects, 'ConfigMap');
    const npm = configMapData(objects, cms.get('npm-proxy')!.metadata.name);
    expect(npm['TRUST_PROXY']).toBe('1');
    expect(npm['NPM_PUBLIC_URL']).toBe('https://npm.example.com');
    expect(configMapData(objects, cms.get('pypi-proxy')!.metadata.name)['PYPI_PUBLIC_URL']).toBe('https://pypi.example.com');
  });

  it('autoscales the proxies, never the gateway, and leaves replicas to the HPA', () => {
    const hpas = byComponent(objects, 'HorizontalPodAutoscaler') as Map<string, Spec<{ scaleTargetRef: { name: string }; minReplicas: number }>>;
    expect([...hpas.keys()].sort()).toEqual(['npm-proxy', 'pypi-proxy']);
    const deployments = byComponent(objects, 'Deployment') as Map<string, Spec<{ replicas?: number; strategy?: { type: string } }>>;
    for (const [app, hpa] of hpas) {
      expect(hpa.spec.scaleTargetRef.name).toBe(deployments.get(app)!.metadata.name);
      expect(deployments.get(app)!.spec.replicas).toBeUndefined();
    }
    expect(deployments.get('audit-gateway')!.spec.replicas).toBe(1);
    expect(deployments.get('audit-gateway')!.spec.strategy?.type).toBe('Recreate');
  });

  it('has PodDisruptionBudgets selecting the proxy pods', () => {
    const pdbs = byComponent(objects, 'PodDisruptionBudget') as Map<string, Spec<{ minAvailable: number; selector: { matchLabels: Record<string, string> } }>>;
    expect([...pdbs.keys()].sort()).toEqual(['npm-proxy', 'pypi-proxy']);
    for (const [app, pdb] of pdbs) expect(pdb.spec.selector.matchLabels['app.kubernetes.io/component']).toBe(app);
  });

  it('takes S3 credentials and the Kafka brokers from existing Secrets and renders no Secret itself', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const deployments = byComponent(objects, 'Deployment');
    const s3 = podSpec(deployments.get('pypi-proxy')!).containers[0]!.env!.find((e) => e.name === 'S3_ACCESS_KEY_ID')!;
    expect(s3.valueFrom?.secretKeyRef).toEqual({ name: 'registry-s3-credentials', key: 'access-key-id' });
    const kafka = podSpec(deployments.get('audit-gateway')!).containers[0]!.env!.find((e) => e.name === 'KAFKA_BROKERS')!;
    expect(kafka.valueFrom?.secretKeyRef).toEqual({ name: 'registry-kafka', key: 'bootstrap-servers' });
  });

  it('gives both proxies one identity store, sign-up off and reads that need credentials', () => {
    const cms = byComponent(objects, 'ConfigMap');
    const npm = configMapData(objects, cms.get('npm-proxy')!.metadata.name);
    const pypi = configMapData(objects, cms.get('pypi-proxy')!.metadata.name);
    expect(npm['STORAGE_PREFIX']).toBe(pypi['STORAGE_PREFIX']);
    expect(npm['NPM_ALLOW_SIGNUP']).toBe('false');
    expect(npm['NPM_ANONYMOUS_READ']).toBe('false');
    expect(pypi['PYPI_ANONYMOUS_READ']).toBe('false');
  });

  it('keeps the gateway spool on a PersistentVolumeClaim that survives uninstall', () => {
    const [pvc] = ofKind(objects, 'PersistentVolumeClaim') as Spec<{ storageClassName: string }>[];
    expect(pvc?.spec.storageClassName).toBe('fast-ssd');
    expect(pvc?.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    const volumes = podSpec(byComponent(objects, 'Deployment').get('audit-gateway')!).volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[];
    expect(volumes.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe(pvc!.metadata.name);
  });

  it('scrapes /metrics on each component Service through a ServiceMonitor', () => {
    const monitors = byComponent(objects, 'ServiceMonitor') as Map<string, Spec<{ selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] }>>;
    expect([...monitors.keys()].sort()).toEqual(['audit-gateway', 'npm-proxy', 'pypi-proxy']);
    const services = byComponent(objects, 'Service') as Map<string, K8sObject & { spec: { ports: { name: string }[] } }>;
    for (const [app, sm] of monitors) {
      expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(sm.metadata.labels?.['release']).toBe('kube-prometheus-stack');
      const svc = services.get(app)!;
      for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels?.[k]).toBe(v);
      expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
      expect(svc.spec.ports.map((p) => p.name)).toContain('http');
    }
  });
});

describe('chart with default values', () => {
  it('renders no Ingress or ServiceMonitor, and chart-made Secrets for S3 and the secret variables', () => {
    const { objects } = renderChart();
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    expect(ofKind(objects, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(objects, 'Secret').map((s) => s.metadata.name).sort()).toEqual(
      ['checks-registry-audit-token', 'checks-registry-npm-proxy-env', 'checks-registry-pypi-proxy-env', 'checks-registry-s3'],
    );
  });

  it('puts the gateway spool on an emptyDir when persistence is off (development only)', () => {
    const { objects } = renderChart([], ['auditGateway.spool.persistent=false']);
    expect(ofKind(objects, 'PersistentVolumeClaim')).toEqual([]);
    const volumes = podSpec(byComponent(objects, 'Deployment').get('audit-gateway')!).volumes as { name: string; emptyDir?: object }[];
    expect(volumes.find((v) => v.name === 'data')?.emptyDir).toEqual({});
  });
});
