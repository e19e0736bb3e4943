import { apiRequest } from '@/lib/api-client';
import type { PublicUser } from '@/lib/auth-types';
import { send } from '@/lib/http';
import { clearGuestSession, readGuestSession, saveGuestSession } from '@/features/room/lib/guest-session';

/** The rooms REST contract of docs/api/rooms.md. */

export type PlaybackControl = 'owner_only' | 'all' | 'selected';
export type HandoverOrder = 'join_order' | 'explicit_delegate';

export interface Handover {
  enabled: boolean;
  order: HandoverOrder;
}

/**
 * What playback does while a member's player is buffering: `wait_then_continue` pauses, then goes on
 * without them after the grace; `always_wait` pauses until everyone can play; `never_wait` never
 * pauses for anyone (they catch up).
 */
export type BufferingPolicy = 'wait_then_continue' | 'always_wait' | 'never_wait';

export interface Buffering {
  policy: BufferingPolicy;
  /** 1..120; how long `wait_then_continue` waits for a buffering member. */
  graceSeconds: number;
}

/** Public facts: what `GET /api/rooms/:code` answers to anyone. */
export interface RoomSummary {
  code: string;
  name: string;
  owner: PublicUser;
  seatsTaken: number;
  maxParticipants: number;
  hasPassword: boolean;
  playbackControl: PlaybackControl;
  nowPlaying: unknown;
  expiresAt: string;
}

/** What members get. */
export interface Room extends RoomSummary {
  id: string;
  createdAt: string;
  handover: Handover;
  buffering: Buffering;
  delegateId: string | null;
  controllers: string[];
  inviteUrl: string;
}

export type Member =
  | { id: string; kind: 'user'; user: PublicUser; role: 'owner' | 'member'; joinedAt: string; canControl: boolean }
  | { id: string; kind: 'guest'; guestName: string; role: 'member'; joinedAt: string; canControl: boolean };

export interface Membership {
  room: Room;
  member: Member;
  members: Member[];
  guestToken?: string;
  guestTokenExpiresIn?: number;
}

export interface MyRoom {
  room: RoomSummary;
  role: 'owner' | 'member';
  joinedAt: string;
  leftAt: string | null;
  live: boolean;
}

export interface Ban {
  id: string;
  user?: PublicUser;
  guestName?: string;
  reason: string;
  createdAt: string;
}

export interface Invite {
  id: string;
  room: RoomSummary;
  from: PublicUser;
  createdAt: string;
}

export interface CreateRoomInput {
  name?: string;
  maxParticipants: number;
  password?: string;
  playbackControl: PlaybackControl;
  handover?: Partial<Handover>;
  buffering?: Partial<Buffering>;
}

export interface RoomSettingsPatch {
  name?: string;
  maxParticipants?: number;
  /** A string sets the password, null removes it. */
  password?: string | null;
  playbackControl?: PlaybackControl;
  handover?: Partial<Handover>;
  buffering?: Partial<Buffering>;
  delegateId?: string | null;
}

const roomPath = (code: string) => `/rooms/${encodeURIComponent(code)}`;

/** The display name of a member. */
export function memberName(member: Member): string {
  return member.kind === 'user' ? member.user.username : member.guestName;
}

/**
 * A request in a room as whoever the visitor is there: a guest with this room's guest token
 * (kept in sessionStorage by `guest-session.ts`), else the signed-in user (`apiRequest`, with its
 * refresh), else nobody.
 */
function inRoom<T>(code: string, path: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const guest = readGuestSession(code);
  if (guest !== null) return send<T>(path, { ...init, token: guest.token });
  return apiRequest<T>(path, init);
}

export function createRoom(input: CreateRoomInput): Promise<{ room: Room; member: Member }> {
  return apiRequest('/rooms', { method: 'POST', body: input });
}

export async function myRooms(signal?: AbortSignal): Promise<MyRoom[]> {
  const body = await apiRequest<{ rooms?: MyRoom[] }>('/rooms', { signal });
  return body.rooms ?? [];
}

/** Public facts; anyone may ask (no token sent, so a stale token never turns it into a 401). */
export async function getRoomSummary(code: string, signal?: AbortSignal): Promise<RoomSummary> {
  const body = await send<{ room: RoomSummary }>(roomPath(code), { signal });
  return body.room;
}

export function getMembership(code: string, signal?: AbortSignal): Promise<Membership> {
  return inRoom<Membership>(code, `${roomPath(code)}/members`, { signal });
}

/**
 * Join as the signed-in user (`guestName` undefined) or as a guest (`asGuest`). A guest's token
 * is stored for this room so later calls act as that guest.
 */
export async function joinRoom(
  code: string,
  input: { password?: string; guestName?: string },
  asGuest: boolean,
): Promise<Membership> {
  const path = `${roomPath(code)}/join`;
  const body = { password: input.password || undefined, guestName: asGuest ? input.guestName : undefined };
  const existing = asGuest ? readGuestSession(code) : null;
  const answer = asGuest
    ? await send<Membership>(path, { method: 'POST', body, token: existing?.token ?? null })
    : await apiRequest<Membership>(path, { method: 'POST', body });
  if (answer.guestToken) saveGuestSession(code, answer.guestToken, answer.guestTokenExpiresIn ?? 3600, answer.member.id);
  return answer;
}

export async function renewGuestToken(code: string): Promise<void> {
  const guest = readGuestSession(code);
  if (guest === null) return;
  const answer = await send<{ guestToken: string; guestTokenExpiresIn: number }>(`${roomPath(code)}/guest-token`, {
    method: 'POST',
    token: guest.token,
  });
  saveGuestSession(code, answer.guestToken, answer.guestTokenExpiresIn, guest.memberId);
}

export async function leaveRoom(code: string): Promise<void> {
  await inRoom<null>(code, `${roomPath(code)}/leave`, { method: 'POST' });
  clearGuestSession(code);
}

export function updateRoom(code: string, patch: RoomSettingsPatch): Promise<{ room: Room }> {
  return apiRequest(roomPath(code), { method: 'PATCH', body: patch });
}

export function deleteRoom(code: string): Promise<null> {
  return apiRequest(roomPath(code), { method: 'DELETE' });
}

export function kickMember(code: string, memberId: string, reason?: string): Promise<null> {
  return apiRequest(`${roomPath(code)}/members/${encodeURIComponent(memberId)}/kick`, {
    method: 'POST',
    body: { reason: reason ?? '' },
  });
}

export function banMember(code: string, memberId: string, reason?: string): Promise<null> {
  return apiRequest(`${roomPath(code)}/bans`, { method: 'POST', body: { memberId, reason: reason ?? '' } });
}

export async function listBans(code: string, signal?: AbortSignal): Promise<Ban[]> {
  const body = await apiRequest<{ bans?: Ban[] }>(`${roomPath(code)}/bans`, { signal });
  return body.bans ?? [];
}

export function unban(code: string, banId: string): Promise<null> {
  return apiRequest(`${roomPath(code)}/bans/${encodeURIComponent(banId)}`, { method: 'DELETE' });
}

export function setControl(code: string, memberId: string, allowed: boolean): Promise<null> {
  return apiRequest(`${roomPath(code)}/controllers/${encodeURIComponent(memberId)}`, {
    method: allowed ? 'PUT' : 'DELETE',
  });
}

export function transferOwnership(code: string, memberId: string): Promise<{ room: Room }> {
  return apiRequest(`${roomPath(code)}/owner`, { method: 'POST', body: { memberId } });
}

export function inviteFriend(code: string, userId: string): Promise<{ invite: Invite }> {
  return apiRequest(`${roomPath(code)}/invites`, { method: 'POST', body: { userId } });
}

export async function myInvites(signal?: AbortSignal): Promise<Invite[]> {
  const body = await apiRequest<{ invites?: Invite[] }>('/rooms/invites', { signal });
  return body.invites ?? [];
}

export function dismissInvite(inviteId: string): Promise<null> {
  return apiRequest(`/rooms/invites/${encodeURIComponent(inviteId)}`, { method: 'DELETE' });
}
