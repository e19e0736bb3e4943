/**
 * `RoomSocket`: a tab's one WebSocket in a room (docs/protocol.md, "WebSocket protocol v1").
 *
 * - **Handshake**: fetches a token (`getToken`), opens `/ws`, says `hello`; once the server's
 *   `hello` says the versions are compatible it sends `room:join {roomCode, lastSequence,
 *   lastMessageId}`, and the socket is `open` when that is acknowledged. Both come from the caller
 *   (the engine's snapshot, the newest chat message held), so a rejoin resumes with catch-ups
 *   instead of a jump.
 * - **Requests**: {@link RoomSocket.request} sends a frame with an `id` and settles on the `ack` or
 *   `room:error` with that id, or rejects with a {@link LiveError} (`timeout`) when neither comes;
 *   {@link RoomSocket.requestHistory} the same for `chat:history_request`, answered by `chat:history`.
 *   Requests still out when the socket drops reject at once (`disconnected`).
 * - **Reconnects**: after an unexpected close, exponential backoff with full jitter (a random wait
 *   up to 0.5 s, 1 s, 2 s, … 15 s), so the tabs of a restarted server do not come back in step;
 *   after `server:shutdown {reconnectIn}` it waits that long plus a little jitter. Never again after
 *   4403 (removed), 4000 (incompatible: the page must be reloaded) or {@link RoomSocket.close}. A 4401
 *   (token refused) gets one retry with a freshly fetched token; a second one ends it (signed out).
 * - Nothing pauses when the tab is hidden: the owner's tab must keep saying it is there.
 *
 * The `WebSocket` constructor, timers and randomness are injected, so tests run on fake ones.
 */
import type { Timers, TimerHandle } from '@/features/sync/engine/timers';
import { hostTimers } from '@/features/sync/engine/timers';
import { env, type AppEnv } from '@/lib/env';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ChatHistory,
  type ChatHistoryRequest,
  type ClientFrame,
  type ClientFrames,
  type RequestId,
  type ServerFrame,
} from '@/lib/protocol/v1.gen';

import { LiveError, type ConnectionState, type LiveEndReason } from './live-room';

/** Close codes of protocol v1 that change what the client does next. */
export const CLOSE_INCOMPATIBLE = 4000;
export const CLOSE_AUTH = 4401;
export const CLOSE_REMOVED = 4403;

/** The token for `hello`: a guest token for this room, or an access token. `refresh` asks for a new one. */
export type GetToken = (options: { refresh: boolean }) => Promise<string | null>;

/** What of the DOM `WebSocket` this client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const WS_CONNECTING = 0;
const WS_OPEN = 1;

/**
 * Close a socket we no longer want, quietly. One still connecting is closed once it opens:
 * closing it earlier makes the browser log "closed before the connection is established".
 */
function shut(ws: WebSocketLike): void {
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = null;
  if (ws.readyState === WS_CONNECTING) {
    ws.onopen = () => {
      ws.close(1000, 'bye');
    };
    return;
  }
  ws.onopen = null;
  try {
    if (ws.readyState === WS_OPEN) ws.close(1000, 'bye');
  } catch {
    // Already closing.
  }
}

export interface BackoffOptions {
  /** Cap of the first retry's random wait (ms). */
  baseMs: number;
  /** The cap never grows beyond this (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };
/** After `server:shutdown`, up to this much is added to `reconnectIn` (ms). */
export const SHUTDOWN_JITTER_MS = 1_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** The full-jitter wait before retry number `attempt` (0-based): uniform in [0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return random() * cap;
}

/**
 * The socket's address: `VITE_WS_URL` when it is an absolute ws(s) URL; else its path on the
 * API's origin when `VITE_API_BASE_URL` is absolute (the API lives elsewhere); else the path on
 * the page's own origin, `wss:` under `https:`.
 */
export function socketUrl(config: Pick<AppEnv, 'apiBaseUrl' | 'wsUrl'> = env, location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  if (/^wss?:\/\//i.test(config.wsUrl)) return config.wsUrl;
  if (/^https?:\/\//i.test(config.apiBaseUrl)) {
    const api = new URL(config.apiBaseUrl);
    return `${api.protocol === 'https:' ? 'wss:' : 'ws:'}//${api.host}${config.wsUrl}`;
  }
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${config.wsUrl}`;
}

export const CLIENT_ID_KEY = 'sw_client_id';

function randomId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** This tab's client id: random, kept in sessionStorage so a reload stays the same client. */
export function tabClientId(storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeSessionStorage()): string {
  try {
    const stored = storage?.getItem(CLIENT_ID_KEY);
    if (stored) return stored;
  } catch {
    // Storage disabled: a fresh id per page is the fallback.
  }
  const id = `c_${randomId()}`;
  try {
    storage?.setItem(CLIENT_ID_KEY, id);
  } catch {
    // As above.
  }
  return id;
}

function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export interface RoomSocketStatus {
  connection: ConnectionState;
  /** Why the socket is closed for good (`connection` is `closed`); null otherwise. */
  endReason: LiveEndReason | null;
}

export interface RoomSocketOptions {
  roomCode: string;
  getToken: GetToken;
  /** Every frame the server sends, in order (acks and errors too). */
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: RoomSocketStatus) => void;
  /** The last command sequence applied, for `room:join` on a reconnect. */
  lastSequence: () => number | null;
  /** The newest chat message held, for `room:join` on a reconnect (a chat catch-up). */
  lastMessageId?: () => string | null;
  url?: string;
  clientId?: string;
  WebSocket?: WebSocketConstructor;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
}

/** The frames that answer a request: `ack`, or `chat:history` for `chat:history_request`. */
type AnswerFrame = Extract<ServerFrame, { type: 'ack' | 'chat:history' }>;

interface Pending {
  resolve: (answer: AnswerFrame) => void;
  reject: (error: LiveError) => void;
  timer: TimerHandle;
}

/** Join refusals that another try will not change: the visitor is not (or no longer) in the room. */
const FINAL_JOIN_ERRORS = new Set(['not_member', 'forbidden', 'not_found', 'room_not_found', 'room_ended', 'kicked', 'banned']);

export class RoomSocket {
  private readonly options: RoomSocketOptions;
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly clientId: string;
  private ws: WebSocketLike | null = null;
  /** Bumps with every connection attempt; callbacks of an older one are ignored. */
  private generation = 0;
  private connection: ConnectionState = 'connecting';
  private endReason: LiveEndReason | null = null;
  private ended = false;
  private started = false;
  private attempt = 0;
  /** The next connect fetches a new token (after a 4401). */
  private refreshToken = false;
  /** A 4401 was answered with a fresh token and no compatible `hello` has come since. */
  private authRetried = false;
  private shutdownIn: number | null = null;
  private removed = false;
  private reconnectTimer: TimerHandle | null = null;
  private readonly pending = new Map<RequestId, Pending>();
  private nextId = 1;

  constructor(options: RoomSocketOptions) {
    this.options = options;
    this.timers = options.timers ?? hostTimers();
    this.random = options.random ?? Math.random;
    this.clientId = options.clientId ?? tabClientId();
  }

  get status(): RoomSocketStatus {
    return { connection: this.connection, endReason: this.endReason };
  }

  /** Connect (once; later calls do nothing). */
  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    void this.connect();
  }

  /** Close for good: no reconnect. */
  close(): void {
    this.end('closed');
  }

  /** Send a frame without an id (nothing answers it). Dropped while the socket is not open. */
  send(frame: ClientFrame): void {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WS_OPEN) return;
    ws.send(JSON.stringify(frame));
  }

  /** Send a request and wait for its `ack`; rejects with {@link LiveError} (`room:error`, `timeout`, `disconnected`). */
  request<K extends keyof ClientFrames>(type: K, data: ClientFrames[K], timeoutMs?: number): Promise<Ack> {
    if (this.connection !== 'open') {
      return Promise.reject(new LiveError('disconnected', 'Not connected to the room right now.'));
    }
    return this.sendRequest(type, data, timeoutMs).then((answer) => {
      if (answer.type === 'ack') return answer.data;
      throw new LiveError('invalid_answer', 'The server answered with something else.');
    });
  }

  /** Ask for a page of chat history and wait for its `chat:history`; rejects like {@link RoomSocket.request}. */
  requestHistory(data: ChatHistoryRequest, timeoutMs?: number): Promise<ChatHistory> {
    if (this.connection !== 'open') {
      return Promise.reject(new LiveError('disconnected', 'Not connected to the room right now.'));
    }
    return this.sendRequest('chat:history_request', data, timeoutMs).then((answer) => {
      if (answer.type === 'chat:history') return answer.data;
      throw new LiveError('invalid_answer', 'The server answered with something else.');
    });
  }

  // ---- connection ----------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const refresh = this.refreshToken;
    let token: string | null;
    try {
      token = await this.options.getToken({ refresh });
    } catch {
      if (generation === this.generation && !this.ended) this.retryLater();
      return;
    }
    if (generation !== this.generation || this.ended) return;
    // Nobody to say hello as (signed out, the guest token is gone): the server would refuse it.
    if (token === null || token === '') {
      this.end('auth');
      return;
    }
    const Ctor = this.options.WebSocket ?? globalThis.WebSocket;
    let ws: WebSocketLike;
    try {
      ws = new Ctor(this.options.url ?? socketUrl());
    } catch {
      this.retryLater();
      return;
    }
    this.ws = ws;
    const current = (): boolean => generation === this.generation && this.ws === ws;
    ws.onopen = () => {
      if (!current()) return;
      ws.send(
        JSON.stringify({
          type: 'hello',
          data: { protocolVersion: PROTOCOL_VERSION, clientId: this.clientId, capabilities: ['seek', 'rate_change'], token },
        } satisfies ClientFrame),
      );
    };
    ws.onmessage = (event) => {
      if (current()) this.onMessage(event.data);
    };
    ws.onclose = (event) => {
      if (current()) this.onClose(event.code);
    };
    // Every error is followed by a close; the close decides.
    ws.onerror = () => undefined;
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return;
    if (
      (frame.type === 'ack' || frame.type === 'room:error' || frame.type === 'chat:history') &&
      frame.id !== undefined &&
      frame.id !== null
    ) {
      this.settle(frame);
    }
    switch (frame.type) {
      case 'server:shutdown':
        this.shutdownIn = Math.max(0, frame.data.reconnectIn);
        break;
      case 'room:removed':
        this.removed = true;
        break;
      default:
        break;
    }
    this.options.onFrame(frame);
    if (frame.type === 'hello') this.onHello(frame.data.compatible);
    else if (frame.type === 'room:removed') this.end('removed');
  }

  private onHello(compatible: boolean): void {
    if (!compatible) {
      this.end('incompatible');
      return;
    }
    this.authRetried = false;
    this.refreshToken = false;
    const lastSequence = this.options.lastSequence();
    const lastMessageId = this.options.lastMessageId?.() ?? null;
    const generation = this.generation;
    this.sendRequest('room:join', {
      roomCode: this.options.roomCode,
      ...(lastSequence === null ? {} : { lastSequence }),
      ...(lastMessageId === null ? {} : { lastMessageId }),
    }).then(
      () => {
        if (generation !== this.generation || this.ended) return;
        this.attempt = 0;
        this.setStatus('open');
      },
      (error: LiveError) => {
        if (generation !== this.generation || this.ended) return;
        if (FINAL_JOIN_ERRORS.has(error.code)) {
          this.end('refused');
          return;
        }
        // The server could not let us in just now (busy, a timeout): try again from the start.
        this.drop();
      },
    );
  }

  private onClose(code: number): void {
    this.ws = null;
    this.failPending();
    if (this.ended) return;
    if (this.removed || code === CLOSE_REMOVED) {
      this.end('removed');
    } else if (code === CLOSE_INCOMPATIBLE) {
      this.end('incompatible');
    } else if (code === CLOSE_AUTH) {
      if (this.authRetried) {
        this.end('auth');
      } else {
        this.authRetried = true;
        this.refreshToken = true;
        this.setStatus('reconnecting');
        void this.connect();
      }
    } else {
      this.retryLater();
    }
  }

  /** Close this socket and go through the reconnect path (as if the server had dropped it). */
  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    this.generation += 1;
    this.failPending();
    if (ws !== null) shut(ws);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.ended) return;
    this.setStatus('reconnecting');
    let delay: number;
    if (this.shutdownIn !== null) {
      delay = this.shutdownIn + this.random() * SHUTDOWN_JITTER_MS;
      this.shutdownIn = null;
    } else {
      delay = backoffDelay(this.attempt, this.random, this.options.backoff);
      this.attempt += 1;
    }
    this.clearReconnect();
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.ended) void this.connect();
    }, delay);
  }

  private end(reason: LiveEndReason): void {
    if (this.ended) return;
    this.ended = true;
    this.generation += 1;
    this.clearReconnect();
    const ws = this.ws;
    this.ws = null;
    this.failPending();
    if (ws !== null) shut(ws);
    this.endReason = reason;
    this.setStatus('closed');
  }

  /** Every loss of a connection is told (`reconnecting` again), so the caller can stop what ran on it. */
  private setStatus(connection: ConnectionState): void {
    const changed = connection !== this.connection;
    this.connection = connection;
    if (changed || connection === 'reconnecting') this.options.onStatus(this.status);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  // ---- requests ------------------------------------------------------------------------------

  private sendRequest<K extends keyof ClientFrames>(type: K, data: ClientFrames[K], timeoutMs?: number): Promise<AnswerFrame> {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WS_OPEN) {
      return Promise.reject(new LiveError('disconnected', 'Not connected to the room right now.'));
    }
    const id = `r${this.nextId++}`;
    return new Promise<AnswerFrame>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new LiveError('timeout', 'The server did not answer in time.'));
      }, timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ type, data, id }));
    });
  }

  private settle(frame: Extract<ServerFrame, { type: 'ack' | 'room:error' | 'chat:history' }>): void {
    const id = frame.id as RequestId;
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    this.timers.clearTimeout(pending.timer);
    if (frame.type === 'room:error') {
      const { code, message, retryAfter, currentSequence } = frame.data;
      pending.reject(new LiveError(code, message, retryAfter ?? null, currentSequence ?? null));
    } else {
      pending.resolve(frame);
    }
  }

  private failPending(): void {
    const error = new LiveError('disconnected', 'The connection to the room dropped.');
    for (const pending of this.pending.values()) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}
