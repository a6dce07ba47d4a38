// The Kubernetes calls the agent makes, as a small interface over
// @kubernetes/client-node so the reconciler can be driven by a fake. Every
// patch names its content type.
import {
  ApiException, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions,
  type CoreV1Event, type KubeConfig, type V1Node,
} from '@kubernetes/client-node';
import type { K3OSConfigObject, K3OSConfigStatus } from './resource.ts';
import { GROUP, PLURAL, VERSION } from './resource.ts';
import type { NodeView } from './node-sync.ts';

export interface KubeApi {
  getConfig(name: string): Promise<K3OSConfigObject | undefined>;
  createConfig(obj: K3OSConfigObject): Promise<K3OSConfigObject>;
  /** Merge patch on the /status subresource. */
  patchStatus(name: string, status: Partial<K3OSConfigStatus>): Promise<void>;
  getNode(name: string): Promise<NodeView | undefined>;
  /** Merge patch on the Node. */
  patchNode(name: string, patch: Record<string, unknown>): Promise<void>;
  createEvent(namespace: string, event: CoreV1Event): Promise<void>;
  listConfigs(fieldSelector: string): Promise<{ items: K3OSConfigObject[]; metadata?: { resourceVersion?: string } }>;
}

/** HTTP status of a failed call, 0 when there was no HTTP answer. */
export const httpStatus = (e: unknown): number => (e instanceof ApiException ? e.code : 0);

/** The Status message from a failed call's body, else the error's message. */
export function apiMessage(e: unknown): string {
  if (e instanceof ApiException) {
    const body: unknown = typeof e.body === 'string' ? (() => { try { return JSON.parse(e.body as string); } catch { return e.body; } })() : e.body;
    if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
    return `HTTP ${e.code}`;
  }
  return e instanceof Error ? e.message : String(e);
}

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try { return await p; } catch (e) { if (httpStatus(e) === 404) return undefined; throw e; }
};

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function createKubeApi(kc: KubeConfig): KubeApi {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const ref = { group: GROUP, version: VERSION, plural: PLURAL };
  return {
    getConfig: (name) => orUndefined(custom.getClusterCustomObject({ ...ref, name }) as Promise<K3OSConfigObject>),
    createConfig: (obj) => custom.createClusterCustomObject({ ...ref, body: obj, fieldValidation: 'Strict' }) as Promise<K3OSConfigObject>,
    patchStatus: async (name, status) => {
      await custom.patchClusterCustomObjectStatus({ ...ref, name, body: { status } }, mergePatch);
    },
    getNode: (name) => orUndefined(core.readNode({ name }) as Promise<V1Node & NodeView>),
    patchNode: async (name, patch) => { await core.patchNode({ name, body: patch }, mergePatch); },
    createEvent: async (namespace, event) => { await core.createNamespacedEvent({ namespace, body: event }); },
    listConfigs: (fieldSelector) => custom.listClusterCustomObject({ ...ref, fieldSelector }) as Promise<{ items: K3OSConfigObject[]; metadata?: { resourceVersion?: string } }>,
  };
}
