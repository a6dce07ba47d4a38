// The DHCPv4 client's edge: runs the pure machine (dhcp-machine.ts) against
// real sockets, timers and the interface. Broadcast exchanges go through the
// packet socket (no address needed); RENEWING talks unicast UDP from the
// leased address. The receive path in use follows listenMode(state), so no
// socket copies traffic to JS while the lease is simply BOUND.

import { createSocket, type Socket } from 'node:dgram';
import type { Clock } from '../../lib/time.ts';
import type { Owned } from '../../lib/owned.ts';
import type { NetSys, PacketSocket } from '../../sys/net-types.ts';
import { decode, encode } from './dhcp-codec.ts';
import {
  createMachine, listenMode, step, type DhcpAction, type DhcpEvent, type DhcpState, type Lease, type Machine,
  type MachineOptions, type TimerName,
} from './dhcp-machine.ts';
import { planLease } from './lease-plan.ts';
import type { LeaseStore } from './lease-store.ts';
import { buildIpUdp, parseIpUdp } from './udp-frame.ts';

export const DHCP_CLIENT_PORT = 68;
export const DHCP_SERVER_PORT = 67;
const ETH_P_IP = 0x0800;

export interface NetLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type DhcpClientEvent =
  | { type: 'state'; from: DhcpState; to: DhcpState }
  | { type: 'bound'; lease: Lease }
  | { type: 'lost'; lease: Lease; reason: string };

export interface DhcpClientOptions {
  net: NetSys;
  link: { index: number; name: string; mac: string };
  store: LeaseStore;
  log: NetLog;
  clock: Clock;
  random?: () => number;
  /** Wall clock for the stored lease's timestamp. */
  wallNow?: () => number;
  hostname?: string;
  /** Metric of the routes a lease installs. */
  metric?: number;
  machine?: Pick<MachineOptions, 'retransmitBaseMs' | 'rebootTimeoutMs' | 'minRenewRetryMs'>;
  /** Send DHCPRELEASE on stop() (RFC 2131 4.4.6). */
  releaseOnStop?: boolean;
  onEvent?: (event: DhcpClientEvent) => void;
}

export class DhcpClient implements Owned {
  readonly name: string;
  private readonly o: DhcpClientOptions;
  private m: Machine;
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private raw: PacketSocket | undefined;
  private udp: Socket | undefined;
  private udpAddress: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;

  constructor(o: DhcpClientOptions) {
    this.o = o;
    this.name = `dhcp ${o.link.name}`;
    const mo: MachineOptions = { mac: o.link.mac, random: o.random ?? Math.random, ...o.machine };
    if (o.hostname) mo.hostname = o.hostname;
    this.m = createMachine(mo);
  }

  get state(): DhcpState { return this.m.state; }
  get lease(): Lease | undefined { return this.m.configured ? this.m.lease : undefined; }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const stored = await this.o.store.load(this.o.link.name).catch(() => undefined);
    const ev: DhcpEvent = { type: 'start', now: this.o.clock.now() };
    if (stored) ev.lease = stored.lease;
    await this.feed(ev);
  }

  linkChanged(up: boolean): Promise<void> {
    return this.feed({ type: up ? 'linkUp' : 'linkDown', now: this.o.clock.now() });
  }

  async stop(): Promise<void> {
    if (this.stopped) return this.queue;
    if (this.started) await this.feed({ type: 'stop', now: this.o.clock.now(), release: this.o.releaseOnStop ?? false });
    this.stopped = true;
    await this.queue;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.closeRaw();
    this.closeUdp();
  }

  /** Events are applied one at a time, in order, each with its effects finished. */
  private feed(event: DhcpEvent): Promise<void> {
    this.queue = this.queue.then(() => this.apply(event)).catch((err: unknown) => {
      this.o.log.warn({ err, iface: this.o.link.name }, 'dhcp: event failed');
    });
    return this.queue;
  }

  private async apply(event: DhcpEvent): Promise<void> {
    if (this.stopped) return;
    const { machine, actions } = step(this.m, event);
    this.m = machine;
    // Open the receive path before sending, so an instant reply is not missed.
    this.syncListen();
    for (const a of actions) await this.perform(a);
    this.syncListen();
  }

  private async perform(a: DhcpAction): Promise<void> {
    const iface = this.o.link.name;
    switch (a.type) {
      case 'send': {
        const payload = encode(a.message);
        try {
          if (a.to === 'broadcast') this.sendRaw(payload, a.message.ciaddr);
          else await this.sendUdp(payload, a.to.unicast);
        } catch (err) {
          // A lost send is a lost packet: the retransmission timer covers it.
          this.o.log.warn({ err, iface }, 'dhcp: send failed');
        }
        return;
      }
      case 'setTimer': {
        clearTimeout(this.timers.get(a.timer));
        const delay = Math.max(0, a.at - this.o.clock.now());
        // setTimeout's limit is 2^31-1 ms; longer lease timers re-arm when they fire early.
        const t = setTimeout(() => {
          this.timers.delete(a.timer);
          const now = this.o.clock.now();
          if (now + 1 < a.at) void this.perform({ type: 'setTimer', timer: a.timer, at: a.at });
          else void this.feed({ type: 'timer', timer: a.timer, now: Math.max(now, a.at) });
        }, Math.min(delay, 0x7fffffff));
        this.timers.set(a.timer, t);
        return;
      }
      case 'cancelTimer':
        clearTimeout(this.timers.get(a.timer));
        this.timers.delete(a.timer);
        return;
      case 'configure':
        await this.configure(a.lease, a.previous);
        return;
      case 'deconfigure':
        await this.deconfigure(a.lease, a.reason);
        return;
      case 'drop':
        this.o.log.debug({ iface, reason: a.reason }, 'dhcp: dropped');
        return;
      case 'state':
        this.o.log.info({ iface, from: a.from, to: a.to }, `dhcp: ${a.to}`);
        this.o.onEvent?.({ type: 'state', from: a.from, to: a.to });
        return;
    }
  }

  private async configure(lease: Lease, previous: Lease | undefined): Promise<void> {
    const { net, link } = this.o;
    const plan = planLease(link.index, lease, this.o.metric ?? 100);
    if (previous && (previous.address !== lease.address || previous.prefix !== lease.prefix)) {
      this.removePlan(planLease(link.index, previous, this.o.metric ?? 100));
    }
    if (plan.mtu !== undefined) {
      const current = net.links().find((l) => l.index === link.index);
      if (current?.mtu !== plan.mtu) net.setLink(link.index, { mtu: plan.mtu });
    }
    net.addAddress(plan.address);
    for (const r of plan.routes) net.addRoute(r);
    this.o.log.info({ iface: link.name, address: `${lease.address}/${lease.prefix}`, server: lease.serverId, leaseTime: lease.leaseTime }, 'dhcp: lease applied');
    await this.o.store.save(link.name, { lease, acquiredAt: this.o.wallNow?.() ?? Date.now() }).catch((err: unknown) => {
      this.o.log.warn({ err, iface: link.name }, 'dhcp: could not save the lease');
    });
    this.o.onEvent?.({ type: 'bound', lease });
  }

  private removePlan(plan: ReturnType<typeof planLease>): void {
    for (const r of plan.routes) this.o.net.removeRoute(r);
    this.o.net.removeAddress(plan.address);
  }

  private async deconfigure(lease: Lease, reason: string): Promise<void> {
    const { link } = this.o;
    this.removePlan(planLease(link.index, lease, this.o.metric ?? 100));
    this.o.log.warn({ iface: link.name, address: lease.address, reason }, 'dhcp: lease removed');
    await this.o.store.forget(link.name).catch(() => undefined);
    this.o.onEvent?.({ type: 'lost', lease, reason });
  }

  private syncListen(): void {
    const mode = this.stopped ? 'none' : listenMode(this.m.state);
    if (mode === 'raw') this.openRaw(); else this.closeRaw();
    if (mode === 'udp') this.openUdp(); else this.closeUdp();
  }

  private openRaw(): void {
    if (this.raw) return;
    this.raw = this.o.net.openPacket(this.o.link.index, ETH_P_IP, (frame, type) => {
      if (type === 'outgoing') return;
      const ip = parseIpUdp(frame);
      if (!ip.ok || ip.value.dstPort !== DHCP_CLIENT_PORT || ip.value.srcPort !== DHCP_SERVER_PORT) return;
      this.receive(ip.value.payload);
    }, (code) => this.o.log.warn({ iface: this.o.link.name, code }, 'dhcp: packet socket error'));
  }

  private closeRaw(): void {
    this.raw?.close();
    this.raw = undefined;
  }

  private receive(payload: Uint8Array): void {
    const d = decode(payload);
    if (!d.ok) {
      this.o.log.debug({ iface: this.o.link.name, reason: `${d.error.code}: ${d.error.detail}` }, 'dhcp: dropped');
      return;
    }
    void this.feed({ type: 'reply', message: d.value, now: this.o.clock.now() });
  }

  private sendRaw(payload: Uint8Array, ciaddr: string): void {
    if (!this.raw) throw new Error('packet socket not open');
    const frame = buildIpUdp({ src: ciaddr, dst: '255.255.255.255', srcPort: DHCP_CLIENT_PORT, dstPort: DHCP_SERVER_PORT, payload });
    this.raw.send(frame, 'ff:ff:ff:ff:ff:ff');
  }

  private openUdp(): void {
    const address = this.m.lease?.address;
    if (!address || (this.udp && this.udpAddress === address)) return;
    this.closeUdp();
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    s.on('message', (msg) => this.receive(msg));
    s.on('error', (err) => this.o.log.warn({ err, iface: this.o.link.name }, 'dhcp: udp socket error'));
    this.udp = s;
    this.udpAddress = address;
  }

  private closeUdp(): void {
    if (!this.udp) return;
    const s = this.udp;
    this.udp = undefined;
    this.udpAddress = undefined;
    try { s.close(); } catch { /* already closed after a bind error */ }
  }

  private async sendUdp(payload: Uint8Array, to: string): Promise<void> {
    let s = this.udp;
    let temporary = false;
    if (!s) {
      // RELEASE is sent from BOUND/stop, where no UDP socket is kept open.
      s = createSocket({ type: 'udp4', reuseAddr: true });
      temporary = true;
    }
    try {
      const sock = s;
      if (!isBound(sock)) {
        await new Promise<void>((resolve, reject) => {
          sock.once('error', reject);
          sock.bind({ port: DHCP_CLIENT_PORT, address: this.m.lease?.address ?? '0.0.0.0', exclusive: false }, () => {
            sock.off('error', reject);
            resolve();
          });
        });
      }
      await new Promise<void>((resolve, reject) => sock.send(payload, DHCP_SERVER_PORT, to, (err) => (err ? reject(err) : resolve())));
    } finally {
      if (temporary) s.close();
    }
  }
}

function isBound(s: Socket): boolean {
  try {
    s.address();
    return true;
  } catch {
    return false;
  }
}
