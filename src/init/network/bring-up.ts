// The network as the boot brings it up (network/manager.ts does the work):
// loopback, DHCP on wired links, static k3os.network, resolv.conf and SNTP,
// with /etc/issue following the addresses on a machine. It resolves once the
// node is online or the timeout passed, so the runtime config phase and k3s
// start after it and k3s learns the node IP.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setHostname } from '../../apply/hostname.ts';
import { createNetSys } from '../../sys/net.ts';
import type { NetSys } from '../../sys/net-types.ts';
import { createIssueUpdater, parseOsRelease, type IssueAddress } from '../console/issue.ts';
import type { Logger } from '../log/logger.ts';
import type { BootContext } from '../phases/types.ts';
import { startNetwork, type NetworkManager } from './manager.ts';

/** Every address with its interface name, as /etc/issue shows them. */
export function issueAddressesOf(net: Pick<NetSys, 'links' | 'addresses'>): IssueAddress[] {
  const names = new Map(net.links().map((l) => [l.index, l.name]));
  return net.addresses().map((a) => ({ iface: names.get(a.index) ?? `if${a.index}`, address: `${a.address}/${a.prefix}` }));
}

function issueFeed(net: NetSys, log: Logger): () => void {
  let base = { osName: 'k3OS-ts', version: 'unknown' };
  try { base = parseOsRelease(readFileSync('/etc/os-release', 'utf8')); } catch { /* the defaults say so */ }
  const issue = createIssueUpdater(base, { onError: (err) => log.warn({ err }, 'network: /etc/issue not updated') });
  return () => {
    try {
      issue.hostname(hostname());
      issue.addresses(issueAddressesOf(net));
    } catch (err) {
      log.warn({ err }, 'network: /etc/issue not updated');
    }
  };
}

/** The running manager, or undefined where the network is not PID 1's (a container without its own). */
export async function startBootNetwork(ctx: Pick<BootContext, 'node' | 'env' | 'sys'>, log: Logger): Promise<NetworkManager | undefined> {
  // A container shares the host's network unless it was given its own namespace:
  // only the one who started it knows, so it has to say so.
  if (ctx.node.runtime !== 'machine' && ctx.env.K3OS_CONTAINER_NET !== '1') {
    log.info('network: not configured in a container (K3OS_CONTAINER_NET=1 when it has its own network namespace)');
    return undefined;
  }
  const net = createNetSys();
  const changed = ctx.node.runtime === 'machine' ? issueFeed(net, log) : undefined;
  const manager = await startNetwork({
    net,
    config: ctx.node.config ?? {},
    log,
    // /etc/hosts too: sudo and k3s look the node's own name up.
    sethostname: (name) => setHostname(ctx.sys, '/', name),
    ...(changed ? { onChange: changed } : {}),
  });
  changed?.();
  const r = await manager.online;
  if (r.nodeIp) ctx.node.networkOnline(r.nodeIp);
  // The manager logged why it went on without a default route.
  if (r.online) log.info({ nodeIp: r.nodeIp, iface: r.iface, ms: r.waitedMs }, `network online${r.nodeIp ? ` (node IP ${r.nodeIp})` : ''}`);
  changed?.();
  return manager;
}
