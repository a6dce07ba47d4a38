// Node labels and taints from spec.k3os.labels/taints. The agent remembers
// which ones it manages in an annotation, so removing a label from the spec
// removes it from the Node while labels set by others stay. Pure: the
// reconciler sends what these functions return.

export const MANAGED_LABELS = 'k3os.io/managed-labels';
export const MANAGED_TAINTS = 'k3os.io/managed-taints';

export interface Taint { key: string; value?: string; effect: string }

export interface NodeView {
  metadata: { resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { taints?: Taint[] };
  /** The kubelet reports the k3s version here (v1.31.4+k3s1). */
  status?: { nodeInfo?: { kubeletVersion?: string } };
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** "key=value:Effect" or "key:Effect", as k3s --node-taint takes them. */
export function parseTaint(s: string): Taint | undefined {
  const m = /^([^=:\s]+)(?:=([^:\s]*))?:(\S+)$/.exec(s.trim());
  if (!m || !EFFECTS.has(m[3] as string)) return undefined;
  return { key: m[1] as string, ...(m[2] !== undefined && m[2] !== '' ? { value: m[2] } : {}), effect: m[3] as string };
}

const taintId = (t: Taint): string => `${t.key}:${t.effect}`;
const list = (s: string | undefined): string[] => (s ? s.split(',').filter(Boolean) : []);

export interface NodePlan {
  /** Merge patch for metadata (labels + the managed-labels annotation), if anything differs. */
  labels?: Record<string, unknown>;
  /** Merge patch replacing spec.taints (guarded by resourceVersion), if anything differs. */
  taints?: Record<string, unknown>;
  /** Taint strings that could not be parsed. */
  invalidTaints: string[];
}

export function planNode(node: NodeView, desiredLabels: Record<string, string> = {}, desiredTaints: string[] = []): NodePlan {
  const labels = node.metadata.labels ?? {};
  const annotations = node.metadata.annotations ?? {};
  const plan: NodePlan = { invalidTaints: [] };

  const managed = list(annotations[MANAGED_LABELS]);
  const labelChanges: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(desiredLabels)) if (labels[k] !== v) labelChanges[k] = v;
  for (const k of managed) if (!(k in desiredLabels) && k in labels) labelChanges[k] = null;
  const managedNow = Object.keys(desiredLabels).sort().join(',');
  if (Object.keys(labelChanges).length > 0 || (annotations[MANAGED_LABELS] ?? '') !== managedNow) {
    plan.labels = { metadata: { labels: labelChanges, annotations: { [MANAGED_LABELS]: managedNow || null } } };
  }

  const parsed: Taint[] = [];
  for (const s of desiredTaints) {
    const t = parseTaint(s);
    if (t) parsed.push(t); else plan.invalidTaints.push(s);
  }
  const current = node.spec?.taints ?? [];
  const wanted = new Set(parsed.map(taintId));
  const managedTaints = new Set(list(annotations[MANAGED_TAINTS]));
  const kept = current.filter((t) => !(managedTaints.has(taintId(t)) && !wanted.has(taintId(t))) && !wanted.has(taintId(t)));
  const next = [...kept, ...parsed.map((t) => current.find((c) => taintId(c) === taintId(t) && c.value === t.value) ?? t)];
  const managedTaintsNow = [...wanted].sort().join(',');
  const same = next.length === current.length && next.every((t) => current.some((c) => taintId(c) === taintId(t) && c.value === t.value));
  if (!same || (annotations[MANAGED_TAINTS] ?? '') !== managedTaintsNow) {
    plan.taints = {
      metadata: { resourceVersion: node.metadata.resourceVersion, annotations: { [MANAGED_TAINTS]: managedTaintsNow || null } },
      spec: { taints: next.length > 0 ? next : null },
    };
  }
  return plan;
}
