import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHART_DIR, parseYamlDocuments, runOk, tool } from './tools';

/** A Kubernetes object, loosely typed: tests read the fields they check. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface Rendered {
  /** The YAML exactly as helm printed it (what kubernetes-validate reads). */
  file: string;
  objects: K8sObject[];
}

const RELEASE = 'checks';
const NAMESPACE = 'registry';

/** `helm template` of the chart with extra values files and --set flags; throws with helm's output on failure. */
export function renderChart(valuesFiles: string[] = [], sets: string[] = []): Rendered {
  const args = ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...valuesFiles.flatMap((f) => ['-f', f]), ...sets.flatMap((s) => ['--set', s])];
  const yaml = runOk(tool('HELM'), args);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-'));
  const file = path.join(dir, 'rendered.yaml');
  writeFileSync(file, yaml);
  return { file, objects: parseYamlDocuments(yaml) as K8sObject[] };
}

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function componentOf(o: K8sObject): string {
  const c = o.metadata.labels?.['app.kubernetes.io/component'];
  if (!c) throw new Error(`${o.kind}/${o.metadata.name} has no app.kubernetes.io/component label`);
  return c;
}

interface EnvVar { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface EnvFrom { configMapRef?: { name: string }; secretRef?: { name: string } }
export interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: EnvFrom[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  [field: string]: unknown;
}

export function podSpec(deployment: K8sObject): { containers: Container[]; volumes?: Record<string, unknown>[]; [f: string]: unknown } {
  return (deployment as unknown as { spec: { template: { spec: { containers: Container[] } } } }).spec.template.spec;
}

/** Data of a ConfigMap rendered in the same release, by name (a reference to a missing one is an error). */
export function configMapData(objects: K8sObject[], name: string): Record<string, string> {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!cm) throw new Error(`envFrom references ConfigMap ${name}, which the chart does not render`);
  return (cm as unknown as { data?: Record<string, string> }).data ?? {};
}

/**
 * Every variable name a Deployment's containers receive: env entries plus the keys of envFrom
 * ConfigMaps. (envFrom Secrets would hide their names from this check, so the chart must not use them.)
 */
export function envNames(objects: K8sObject[], deployment: K8sObject): string[] {
  const names = new Set<string>();
  for (const c of podSpec(deployment).containers) {
    for (const e of c.env ?? []) names.add(e.name);
    for (const from of c.envFrom ?? []) {
      if (from.secretRef) throw new Error(`${deployment.metadata.name}: envFrom secretRef hides variable names; use env[].valueFrom.secretKeyRef`);
      if (from.configMapRef) for (const key of Object.keys(configMapData(objects, from.configMapRef.name))) names.add(key);
    }
  }
  return [...names].sort();
}
