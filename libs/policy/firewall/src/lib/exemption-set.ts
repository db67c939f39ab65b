import { Every } from '@registry/shared-util';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '@registry/shared-errors';
import { isActive, WAIVABLE_POLICIES, type Exemption } from './exemptions';

/** The one stored document every instance reads (README "Firewall": `policy/exemptions.json` in the store). */
export interface PolicyDocument {
  exemptions: Exemption[];
}

/** The store port: a JSON document read and updated with compare-and-swap (`updateDocument`). */
/** Where the shared exemption document lives in the store (one for both registries; entries name their ecosystem). */
export const POLICY_DOCUMENT_KEY = 'policy/exemptions.json';

export interface PolicyDocuments {
  read(): Promise<PolicyDocument | undefined>;
  update(mutate: (current: PolicyDocument | undefined) => PolicyDocument): Promise<PolicyDocument>;
}

/** An exemption as an admin or the policy file writes it. */
export const ExemptionInput = z.object({
  ecosystem: z.enum(['npm', 'pypi']),
  package: z.string().min(1).max(214).regex(/^[A-Za-z0-9@/._*-]+$/, 'a package name, `@scope/*`, or a glob of name characters and `*`'),
  version: z.string().min(1).max(256).optional(),
  policies: z.array(z.enum(WAIVABLE_POLICIES as [string, ...string[]])).min(1).default(['cooldown']),
  reason: z.string().min(1).max(1000),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
}).strict();
export type ExemptionInput = z.input<typeof ExemptionInput>;

/** Parses and checks one exemption (400 with the first problem on bad input). */
export function parseExemption(input: unknown, createdBy: string, now: number): Exemption {
  const parsed = ExemptionInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_request', `invalid exemption: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}`);
  }
  const v = parsed.data;
  return {
    id: randomUUID(), ecosystem: v.ecosystem, package: v.package, ...(v.version ? { version: v.version } : {}),
    policies: v.policies as Exemption['policies'], reason: v.reason,
    ...(v.expiresAt ? { expiresAt: new Date(v.expiresAt).toISOString() } : {}), createdBy, createdAt: new Date(now).toISOString(),
  };
}

/** The policy file: `{ "exemptions": [ ... ] }`; a bad file stops the start with its problem. */
export function parsePolicyFile(text: string, now: number): Exemption[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('invalid_request', `policy file is not JSON: ${(err as Error).message}`);
  }
  const list = (doc as { exemptions?: unknown } | null)?.exemptions;
  if (!Array.isArray(list)) throw new AppError('invalid_request', 'policy file: expected {"exemptions": [...]}');
  return list.map((entry, i) => ({ ...parseExemption(entry, 'policy-file', now), id: `policy-file-${i}` }));
}

/**
 * The exemptions in force on this instance: the policy file's, plus the shared stored document, reread every
 * `refreshMs` so every instance converges on the same set; writes go through compare-and-swap and show here at
 * once. Decisions read `current()` synchronously (no store round trip per request); expiry is the clock's job.
 */
export class ExemptionSet {
  private stored: readonly Exemption[] = [];
  private all: readonly Exemption[];
  private refresher: Every | undefined;

  constructor(private readonly opts: {
    documents: PolicyDocuments; fromFile: readonly Exemption[]; refreshMs: number; now: () => number;
    onRefreshError: (err: unknown) => void;
  }) {
    this.all = opts.fromFile;
  }

  current = (): readonly Exemption[] => this.all;

  /** Active ones first, each with whether it still applies (the admin view). */
  list(): Array<Exemption & { active: boolean }> {
    const now = this.opts.now();
    return this.all.map((e) => ({ ...e, active: isActive(e, now) })).sort((a, b) => Number(b.active) - Number(a.active));
  }

  async refresh(): Promise<void> {
    this.use((await this.opts.documents.read())?.exemptions);
  }

  start(): void {
    this.refresher ??= new Every(this.opts.refreshMs, () => this.refresh(), this.opts.onRefreshError);
    this.refresher.start();
  }

  stop(): void {
    this.refresher?.stop();
  }

  async add(input: unknown, createdBy: string): Promise<Exemption> {
    const exemption = parseExemption(input, createdBy, this.opts.now());
    const doc = await this.opts.documents.update((cur) => ({ exemptions: [...storedOf(cur), exemption] }));
    this.use(doc.exemptions);
    return exemption;
  }

  /** Removes a stored exemption; the policy file's can only be removed from the file. */
  async remove(id: string): Promise<void> {
    if (this.opts.fromFile.some((e) => e.id === id)) throw new AppError('conflict', `exemption ${id} comes from the policy file: remove it there`);
    if (!this.stored.some((e) => e.id === id)) await this.refresh();
    if (!this.stored.some((e) => e.id === id)) throw new AppError('not_found', `no exemption ${id}`);
    const doc = await this.opts.documents.update((cur) => ({ exemptions: storedOf(cur).filter((e) => e.id !== id) }));
    this.use(doc.exemptions);
  }

  private use(stored: unknown): void {
    // A hand-edited or foreign document never reaches the decisions malformed: bad entries are left out.
    this.stored = Array.isArray(stored) ? stored.filter(isWellFormed) : [];
    this.all = [...this.opts.fromFile, ...this.stored];
  }
}

function isWellFormed(e: unknown): e is Exemption {
  const x = e as Partial<Exemption> | null;
  return typeof x === 'object' && x !== null && typeof x.id === 'string' && (x.ecosystem === 'npm' || x.ecosystem === 'pypi')
    && typeof x.package === 'string' && Array.isArray(x.policies) && (x.version === undefined || typeof x.version === 'string')
    && (x.expiresAt === undefined || !Number.isNaN(Date.parse(x.expiresAt)));
}

const storedOf = (doc: PolicyDocument | undefined): Exemption[] => (Array.isArray(doc?.exemptions) ? doc.exemptions.filter(isWellFormed) : []);
