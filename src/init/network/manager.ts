// The network phase's owner: loopback, static interfaces, DHCP on every wired
// link with carrier, link watching, /etc/resolv.conf, the clock, the
// fallback hostname, and the `online` promise the runtime phase and k3s wait on.

import { writeFileAtomic } from '../../lib/atomic-write.ts';
import { join } from 'node:path';
import type { K3OSConfig } from '../../config/schema.ts';
import type { Closable, NetLink, NetSys } from '../../sys/net-types.ts';
import { monotonicClock, realDelay } from '../../lib/time.ts';
import type { Clock, Delay } from '../../lib/time.ts';
import type { Owned } from '../../lib/owned.ts';
import { DhcpClient, type DhcpClientOptions, type NetLog } from './dhcp-client.ts';
import type { Lease } from './dhcp-machine.ts';
import { chooseHostname, readSavedHostname, saveHostname } from './hostname.ts';
import { LeaseStore, LEASE_DIR } from './lease-store.ts';
import { DEFAULT_ONLINE_TIMEOUT_S, defaultRoute, nodeIp, planLink, planStatic, type LinkPlan } from './plan.ts';
import { planResolv, renderResolv } from './resolv.ts';
import { SntpOwner } from './sntp.ts';

export interface NetworkContext {
  net: NetSys;
  config: K3OSConfig;
  log: NetLog;
  /** Prefix for every file written (/etc/resolv.conf, /var/lib/...); "/" on a node. */
  root?: string;
  clock?: Clock;
  delay?: Delay;
  random?: () => number;
  sethostname?: (name: string) => Promise<void> | void;
  /** rtnl kinds treated as wired for automatic DHCP (physical NICs have none). */
  autoKinds?: readonly string[];
  dhcp?: DhcpClientOptions['machine'];
  /** Release leases on stop (shutdown). Default true. */
  releaseOnStop?: boolean;
  /** Budget for the first SNTP answer before `online` resolves. */
  ntpTimeoutMs?: number;
  ntpPort?: number;
  /** Called after addresses may have changed (lease bound or lost, static applied, link gone). */
  onChange?: () => void;
}

export interface OnlineResult {
  online: boolean;
  nodeIp?: string;
  iface?: string;
  waitedMs: number;
  reason: string;
}

export interface NetworkManager extends Owned {
  /** Resolves once a default route and an address on its link exist, or the configured timeout passed (online: false). */
  readonly online: Promise<OnlineResult>;
  nodeIp(): string | undefined;
  leases(): ReadonlyMap<string, Lease>;
}

export async function startNetwork(ctx: NetworkContext): Promise<NetworkManager> {
  const m = new Manager(ctx);
  await m.start();
  return m;
}

interface Tracked { link: NetLink; plan: LinkPlan; dhcp?: DhcpClient; staticDone: boolean }

class Manager implements NetworkManager {
  readonly name = 'network';
  readonly online: Promise<OnlineResult>;
  private resolveOnline!: (r: OnlineResult) => void;
  private onlineSettled = false;
  private readonly ctx: NetworkContext;
  private readonly root: string;
  private readonly clock: Clock;
  private readonly startedAt: number;
  private readonly tracked = new Map<number, Tracked>();
  private readonly leaseMap = new Map<string, Lease>();
  private watch: Closable | undefined;
  private sntp: SntpOwner | undefined;
  private onlineTimer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private resolvWrite: Promise<void> = Promise.resolve();
  private hostnameDone = false;
  private stopped = false;

  constructor(ctx: NetworkContext) {
    this.ctx = ctx;
    this.root = ctx.root ?? '/';
    this.clock = ctx.clock ?? monotonicClock;
    this.startedAt = this.clock.now();
    this.online = new Promise((resolve) => { this.resolveOnline = resolve; });
  }

  leases(): ReadonlyMap<string, Lease> { return this.leaseMap; }

  nodeIp(): string | undefined {
    return nodeIp(this.ctx.net.routes(), this.ctx.net.addresses());
  }

  async start(): Promise<void> {
    const { net, log } = this.ctx;
    for (const l of net.links()) if (l.loopback && !l.up) net.setLink(l.index, { up: true });
    // Subscribe before listing, so no carrier change falls between the two.
    this.watch = net.watchLinks((ev) => {
      if (this.stopped) return;
      if (ev.type === 'error') { log.warn({ code: ev.code }, 'network: link events lost, re-listing'); this.resync(); return; }
      if (ev.type === 'del') { void this.forget(ev.link.index); return; }
      void this.onLink(ev.link);
    });
    this.resync();
    const timeoutS = this.ctx.config.k3os?.network?.online_timeout ?? DEFAULT_ONLINE_TIMEOUT_S;
    this.onlineTimer = setTimeout(() => this.settleOnline(false, `no default route after ${timeoutS} s; going on without network`), timeoutS * 1000);
    // Nothing to wait for (no wired link at all): waiting out the timeout would only delay k3s.
    if (this.tracked.size === 0) this.settleOnline(false, 'no wired links; going on without network');
    this.checkOnline();
    await this.writeResolv();
  }

  private resync(): void {
    for (const l of this.ctx.net.links()) void this.onLink(l);
  }

  private async onLink(link: NetLink): Promise<void> {
    const { net, log } = this.ctx;
    let t = this.tracked.get(link.index);
    if (!t) {
      const plan = planLink(link, this.ctx.config.k3os?.network, this.ctx.autoKinds);
      if (!plan) return;
      t = { link, plan, staticDone: false };
      this.tracked.set(link.index, t);
      log.info({ iface: link.name, dhcp: plan.dhcp, static: !!plan.static }, 'network: link managed');
    }
    const wasCarrier = t.link.carrier && t.link.up;
    t.link = link;
    if (!link.up) {
      try { net.setLink(link.index, { up: true }); } catch (err) { log.warn({ err, iface: link.name }, 'network: link up failed'); }
      return;
    }
    if (t.plan.static && !t.staticDone) {
      t.staticDone = true;
      this.applyStatic(t);
    }
    const carrier = link.carrier;
    if (t.plan.dhcp) {
      if (carrier && !t.dhcp) {
        t.dhcp = this.newClient(t);
        await t.dhcp.start();
      } else if (t.dhcp && carrier !== wasCarrier) {
        log.info({ iface: link.name, carrier }, 'network: carrier changed');
        await t.dhcp.linkChanged(carrier);
      }
    }
    if (t.plan.static && carrier && !wasCarrier && t.staticDone) this.applyStatic(t);
  }

  private applyStatic(t: Tracked): void {
    const { net, log } = this.ctx;
    const plan = planStatic(t.link.index, t.plan.static!);
    try {
      if (plan.mtu !== undefined && t.link.mtu !== plan.mtu) net.setLink(t.link.index, { mtu: plan.mtu });
      for (const a of plan.addresses) net.addAddress(a);
      for (const r of plan.routes) net.addRoute(r);
      log.info({ iface: t.link.name, addresses: t.plan.static!.addresses ?? [], routes: plan.routes.length }, 'network: static config applied');
    } catch (err) {
      // A gateway can be unreachable until the link has carrier; retried on carrier up.
      log.warn({ err, iface: t.link.name }, 'network: static config failed');
    }
    this.checkOnline();
    void this.writeResolv();
    this.ctx.onChange?.();
  }

  private newClient(t: Tracked): DhcpClient {
    const hostname = this.ctx.config.hostname;
    const o: DhcpClientOptions = {
      net: this.ctx.net,
      link: { index: t.link.index, name: t.link.name, mac: t.link.mac ?? '00:00:00:00:00:00' },
      store: new LeaseStore(join(this.root, LEASE_DIR)),
      log: this.ctx.log,
      clock: this.clock,
      releaseOnStop: this.ctx.releaseOnStop ?? true,
      onEvent: (ev) => {
        if (ev.type === 'bound') this.leaseMap.set(t.link.name, ev.lease);
        else if (ev.type === 'lost') this.leaseMap.delete(t.link.name);
        else return;
        this.checkOnline();
        void this.writeResolv();
        this.ctx.onChange?.();
      },
    };
    if (hostname) o.hostname = hostname;
    if (this.ctx.random) o.random = this.ctx.random;
    if (this.ctx.dhcp) o.machine = this.ctx.dhcp;
    return new DhcpClient(o);
  }

  private async forget(index: number): Promise<void> {
    const t = this.tracked.get(index);
    if (!t) return;
    this.tracked.delete(index);
    await t.dhcp?.stop();
    this.leaseMap.delete(t.link.name);
    void this.writeResolv();
    this.ctx.onChange?.();
  }

  private checkOnline(): void {
    if (this.onlineSettled) return;
    const d = defaultRoute(this.ctx.net.routes());
    // A static gateway is routed before DHCP gives the link an address: not online until there is a node IP.
    if (!d || this.nodeIp() === undefined) return;
    const iface = [...this.tracked.values()].find((t) => t.link.index === d.oif)?.link.name;
    void this.finishOnline(iface);
  }

  private async finishOnline(iface: string | undefined): Promise<void> {
    if (this.onlineSettled) return;
    this.onlineSettled = true;
    clearTimeout(this.onlineTimer);
    await this.startClock();
    await this.applyHostname();
    // k3s starts once online: /etc/resolv.conf for the lease that made us online is written by then.
    await this.resolvWrite;
    const r: OnlineResult = { online: true, waitedMs: Math.round(this.clock.now() - this.startedAt), reason: 'default route' };
    const ip = this.nodeIp();
    if (ip) r.nodeIp = ip;
    if (iface) r.iface = iface;
    this.ctx.log.info({ ...r }, 'network: online');
    this.resolveOnline(r);
  }

  private settleOnline(online: boolean, reason: string): void {
    if (this.onlineSettled) return;
    this.onlineSettled = true;
    clearTimeout(this.onlineTimer);
    const r: OnlineResult = { online, waitedMs: Math.round(this.clock.now() - this.startedAt), reason };
    this.ctx.log.warn({ ...r }, `network: ${reason}`);
    void this.applyHostname().finally(() => this.resolveOnline(r));
  }

  private ntpServers(): string[] {
    const configured = this.ctx.config.k3os?.ntp_servers;
    if (configured && configured.length > 0) return configured;
    return [...new Set([...this.leaseMap.values()].flatMap((l) => l.ntp))];
  }

  private async startClock(): Promise<void> {
    if (this.sntp || this.ntpServers().length === 0) return;
    const { net, log } = this.ctx;
    const o: ConstructorParameters<typeof SntpOwner>[0] = {
      servers: () => this.ntpServers(),
      setClock: (ms) => net.setClock(ms),
      slewClock: (ms) => net.slewClock(ms),
      log,
      delay: this.ctx.delay ?? realDelay,
      timeoutMs: this.ctx.ntpTimeoutMs ?? 2000,
    };
    if (this.ctx.ntpPort !== undefined) o.port = this.ctx.ntpPort;
    this.sntp = new SntpOwner(o);
    // The first round is awaited (TLS needs a sane clock before k3s); later ones run in the owner.
    await this.sntp.start();
  }

  private async applyHostname(): Promise<void> {
    if (this.hostnameDone || !this.ctx.sethostname) return;
    this.hostnameDone = true;
    const dhcp = [...this.leaseMap.values()].find((l) => l.hostname)?.hostname;
    const inputs: Parameters<typeof chooseHostname>[0] = { random: this.ctx.random ?? Math.random };
    if (this.ctx.config.hostname) inputs.configured = this.ctx.config.hostname;
    if (dhcp) inputs.dhcp = dhcp;
    const saved = await readSavedHostname(this.root);
    if (saved) inputs.saved = saved;
    const choice = chooseHostname(inputs);
    // A configured name is applied by the config phase (apply/hostname.ts).
    if (choice.source === 'config') return;
    try {
      await this.ctx.sethostname(choice.name);
      if (choice.save) await saveHostname(this.root, choice.name);
      this.ctx.log.info({ hostname: choice.name, source: choice.source }, 'network: hostname');
    } catch (err) {
      this.ctx.log.warn({ err }, 'network: hostname failed');
    }
  }

  private writeResolv(): Promise<void> {
    const learned: { dns: string[]; domain?: string }[] = [];
    for (const t of this.tracked.values()) {
      if (t.plan.static?.dns) learned.push({ dns: t.plan.static.dns });
      const lease = this.leaseMap.get(t.link.name);
      if (lease) learned.push(lease.domain ? { dns: lease.dns, domain: lease.domain } : { dns: lease.dns });
    }
    const inputs: Parameters<typeof planResolv>[0] = { learned };
    const configured = this.ctx.config.k3os?.dns_nameservers;
    if (configured) inputs.configured = configured;
    const text = renderResolv(planResolv(inputs));
    const path = join(this.root, 'etc/resolv.conf');
    this.resolvWrite = this.resolvWrite.then(async () => {
      await writeFileAtomic(path, text, { dirMode: 0o755, mode: 0o644 });
    }).catch((err: unknown) => this.ctx.log.warn({ err }, 'network: resolv.conf not written'));
    return this.resolvWrite;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    clearTimeout(this.onlineTimer);
    this.watch?.close();
    await this.sntp?.stop();
    await Promise.all([...this.tracked.values()].map((t) => t.dhcp?.stop()));
    await this.resolvWrite;
    this.settleOnline(false, 'network stopped');
  }
}
