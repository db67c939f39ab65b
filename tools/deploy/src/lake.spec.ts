import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMPOSE_FILE, PRODUCTION_VALUES, REPO_ROOT, parseYamlDocuments, run, tool } from './tools';
import { ofKind, renderChart, type K8sObject } from './manifests';
import { LAKE_PROCESS_VARIABLES, lakeEnvKeys } from './lake-env';

// The lake job where users run it: the compose `lake` profile, the chart's optional SparkApplication (validated
// against the Spark operator's CRD, vendored in schemas/), and its image recipe.
const CRD = path.join(REPO_ROOT, 'tools', 'deploy', 'schemas', 'sparkoperator.k8s.io_sparkapplications.yaml');
const LAKE_DOCKERFILE = path.join(REPO_ROOT, 'infra', 'lake', 'Dockerfile');
const validateCrd = (file: string) => run(tool('PYTHON'), [path.join(__dirname, '..', 'scripts', 'validate-crd.py'), CRD, file]);

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface SparkPod { env: EnvVar[]; volumeMounts: { name: string; mountPath: string }[]; podSecurityContext: { runAsNonRoot: boolean }; securityContext: { readOnlyRootFilesystem: boolean } }
type SparkApplication = K8sObject & { spec: { image: string; mainApplicationFile: string; volumes: { name: string; emptyDir?: object }[]; driver: SparkPod; executor: SparkPod } };

function expectOnlyLakeVariables(names: string[]): void {
  const known = [...lakeEnvKeys(), ...LAKE_PROCESS_VARIABLES];
  expect(names.filter((n) => !known.includes(n))).toEqual([]);
}

describe('compose profile `lake`', () => {
  const services = (parseYamlDocuments(readFileSync(COMPOSE_FILE, 'utf8'))[0] as { services: Record<string, { profiles?: string[]; environment?: Record<string, string>; build?: { dockerfile?: string }; depends_on?: Record<string, unknown>; command?: string[] }> }).services;

  it('runs the lake job only in the lake profile, built from infra/lake/Dockerfile', () => {
    expect(services['lake']?.profiles).toEqual(['lake']);
    expect(services['lake-init']?.profiles).toEqual(['lake']);
    expect(services['lake']?.build?.dockerfile).toBe('infra/lake/Dockerfile');
    expect(Object.keys(services['lake']?.depends_on ?? {}).sort()).toEqual(['lake-init', 'tansu-init']);
  });

  it('passes only variables the job reads, with the checkpoint and the warehouse in the object store', () => {
    const env = services['lake']!.environment!;
    expectOnlyLakeVariables(Object.keys(env));
    expect(env['LAKE_WAREHOUSE']).toMatch(/^s3:\/\//);
    expect(env['LAKE_CHECKPOINT_LOCATION']).toMatch(/^s3:\/\//);
    expect(env['KAFKA_BROKERS']).toBe(services['audit-gateway']!.environment!['KAFKA_BROKERS']);
    expect(env['KAFKA_AUDIT_TOPIC']).toBe(services['audit-gateway']!.environment!['KAFKA_AUDIT_TOPIC']);
    expect(env['S3_ENDPOINT']).toBe('http://minio:9000');
    const bucket = /^s3:\/\/([^/]+)\//.exec(env['LAKE_WAREHOUSE']!)![1];
    expect(/^s3:\/\/([^/]+)\//.exec(env['LAKE_CHECKPOINT_LOCATION']!)![1]).toBe(bucket);
    expect(String(services['lake-init']!.command)).toContain(`mc mb --ignore-existing local/${bucket}`);
  });
});

describe('chart component `lake` (SparkApplication)', () => {
  const render = (files: string[], sets: string[] = []) => renderChart(files, ['lake.enabled=true', 'kafka.brokers=kafka-0.kafka:9092', ...sets]);

  it('is off by default, and refuses to run without a broker', () => {
    expect(ofKind(renderChart().objects, 'SparkApplication')).toEqual([]);
    expect(() => renderChart([], ['lake.enabled=true'])).toThrow(/lake.enabled: set kafka.brokers or kafka.existingSecret/);
  });

  it.each([
    ['default values', []],
    ['values-production.yaml', [PRODUCTION_VALUES]],
  ])('validates against the Spark operator CRD schema with %s', (_label, files) => {
    const { file, objects } = render(files);
    expect(ofKind(objects, 'SparkApplication')).toHaveLength(1);
    const r = validateCrd(file);
    expect({ code: r.code, violations: r.stdout }).toEqual({ code: 0, violations: '' });
  });

  it('the CRD check catches a malformed SparkApplication (negative control)', () => {
    const { file } = render([]);
    const broken = readFileSync(file, 'utf8').replace(/(\n {2}mainApplicationFile: .*\n)/, '$1  bogusField: true\n').replace(/\n {2}sparkVersion: .*\n/, '\n');
    const badFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-')), 'bad-spark.yaml');
    writeFileSync(badFile, broken);
    const r = validateCrd(badFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/bogusField/);
    expect(r.stdout).toMatch(/'sparkVersion' is a required property/);
  });

  it('gives driver and executors the lake variables, the object store for checkpoint and warehouse, secrets by reference', () => {
    const [app] = ofKind(render([PRODUCTION_VALUES]).objects, 'SparkApplication') as SparkApplication[];
    for (const role of [app!.spec.driver, app!.spec.executor]) {
      const env = new Map(role.env.map((e) => [e.name, e]));
      expectOnlyLakeVariables([...env.keys()]);
      expect(env.get('LAKE_WAREHOUSE')?.value).toMatch(/^s3:\/\//);
      expect(env.get('LAKE_CHECKPOINT_LOCATION')?.value).toMatch(/^s3:\/\//);
      expect(env.get('LAKE_SPARK_MASTER')?.value).toBe(''); // spark-submit's master, not local[2]
      expect(env.get('S3_SECRET_ACCESS_KEY')?.valueFrom?.secretKeyRef).toEqual({ name: 'registry-s3-credentials', key: 'secret-access-key' });
      expect(env.get('KAFKA_BROKERS')?.valueFrom?.secretKeyRef).toEqual({ name: 'registry-kafka', key: 'bootstrap-servers' });
      expect(role.env.some((e) => e.value !== undefined && /secret/i.test(e.name))).toBe(false);
      // Non-root on a read-only root filesystem, with /tmp writable for Spark's scratch files.
      expect([role.podSecurityContext.runAsNonRoot, role.securityContext.readOnlyRootFilesystem]).toEqual([true, true]);
      expect(role.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    }
    expect(app!.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(app!.spec.image).toBe('registry.example.com/platform/lake:0.1.0');
    expect(app!.spec.mainApplicationFile).toBe('local:///app/infra/lake/job/registry_lake/stream_job.py');
    expect(readFileSync(path.join(REPO_ROOT, 'infra/lake/job/registry_lake/stream_job.py'), 'utf8')).toMatch(/if __name__ == "__main__":/);
  });

  it.each([
    ['a catalog the job does not know', 'lake.catalogType=glue'],
    ['a warehouse outside the object store', 'lake.warehouse=/tmp/warehouse'],
    ['a jdbc catalog without its URI', 'lake.catalogType=jdbc'],
    ['an env name that is not a LAKE_ variable', 'lake.env.FOO=1'],
  ])('values.schema.json rejects %s', (_why, set) => {
    expect(() => render([], [set])).toThrow(/schema/i);
  });
});

describe('infra/lake/Dockerfile', () => {
  const text = readFileSync(LAKE_DOCKERFILE, 'utf8');

  it('passes hadolint', () => {
    const r = run(tool('HADOLINT'), ['--no-color', LAKE_DOCKERFILE]);
    expect({ code: r.code, findings: r.stdout + r.stderr }).toEqual({ code: 0, findings: '' });
  });

  it('builds with the tested pins (tools/lake/install.sh), runs non-root, and puts the job where the chart points', () => {
    expect(text).toMatch(/RUN LAKE_VENV_DIR=\S+ LAKE_JARS_DIR=\S+ bash tools\/lake\/install\.sh/);
    expect(text).toMatch(/^USER 1000:1000$/m);
    expect(text).toMatch(/^COPY infra\/lake \/app\/infra\/lake$/m);
    expect(text).toMatch(/^CMD \["python", "-m", "registry_lake\.stream_job"\]$/m);
  });
});
