import type { ClientFrame, ServerFrame, ServerHello } from '@/lib/protocol/v1.gen';

import type { WebSocketLike } from '../live/room-socket';

/**
 * A scripted stand-in for the browser's WebSocket: every instance is recorded in
 * `FakeWebSocket.instances`; the test opens it, reads what the client sent (`frames`), answers
 * with `receive(frame)` and closes it from the server's side with `serverClose(code)`.
 */
export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  /** The newest socket. */
  static get last(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (socket === undefined) throw new Error('no socket was opened');
    return socket;
  }

  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  /** What the client sent, parsed. */
  get frames(): ClientFrame[] {
    return this.sent.map((raw) => JSON.parse(raw) as ClientFrame);
  }

  framesOf<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.frames.filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '', wasClean: true } as CloseEvent);
  }

  // ---- the server's side ---------------------------------------------------------------------

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  receive(frame: ServerFrame | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }

  /** The server's `hello`. */
  hello(patch: Partial<ServerHello> = {}): void {
    this.receive({ type: 'hello', data: serverHello(patch) });
  }

  /** Acknowledge the last request of `type` the client sent. */
  ack(type: ClientFrame['type']): void {
    const request = this.frames.filter((frame) => frame.type === type).at(-1);
    if (request?.id === undefined) throw new Error(`no ${type} request to acknowledge`);
    this.receive({ type: 'ack', id: request.id, data: { sequenceNumber: null, duplicate: false, commandId: null, message: null } });
  }

  /** Open, say hello and acknowledge the join: the socket is then `open`. */
  accept(patch: Partial<ServerHello> = {}): void {
    this.open();
    this.hello(patch);
    this.ack('room:join');
  }

  serverClose(code: number, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: true } as CloseEvent);
  }
}

export function serverHello(patch: Partial<ServerHello> = {}): ServerHello {
  return {
    protocolVersion: '1.0.0',
    serverTime: 1_767_225_600_000,
    compatible: true,
    upgradeRequired: false,
    serverId: 'gw-1',
    userId: 'u_ann',
    ownerHeartbeatMs: 5000,
    reportIntervalMs: 2000,
    limits: { maxFrameBytes: 65_536, framesPerSecond: 30, frameBurst: 60, idleTimeoutMs: 90_000 },
    ...patch,
  };
}
