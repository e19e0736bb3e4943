import type { Ban, Member, Room, RoomSummary } from '@/features/room/api/rooms-api';
import type { InvitableFriend } from '@/features/room/lib/invites';
import { makeRoom } from '@/features/room/testing/fixtures';
import { json, mockApi, noContent, problem, type Handler, type RecordedRequest } from '@/testing/fetch-mock';

/**
 * An in-memory room service behind the mocked fetch, following docs/api/rooms.md closely
 * enough for the page: who is calling comes from the bearer token (`<username>-token` for a
 * user, `guest:<memberId>:<n>` for a guest), members join, leave and are removed, the owner
 * moderates and changes settings. `override(route, handler)` replaces one answer.
 */
export interface RoomBackendOptions {
  room?: Partial<Room>;
  members?: Member[];
  /** The room password, when it has one. */
  password?: string;
  friends?: InvitableFriend[];
  bans?: Ban[];
}

type Removal = { kind: 'kicked' | 'banned'; reason: string };

const identityOf = (member: Member): string => (member.kind === 'user' ? `user:${member.user.id}` : `guest:${member.id}`);

export function roomBackend(options: RoomBackendOptions = {}) {
  let room: Room = makeRoom(options.room);
  let members: Member[] = options.members ?? [];
  let password = options.password ?? null;
  let gone: string | null = null;
  const removals = new Map<string, Removal>();
  let bans: Ban[] = options.bans ?? [];
  const overrides = new Map<string, Handler>();
  let guestTokens = 0;
  let memberIds = 0;
  const base = `/api/rooms/${room.code}`;

  const fullRoom = (): Room => ({ ...room, seatsTaken: members.length, hasPassword: password !== null });
  const summary = (): RoomSummary => {
    const { code, name, owner, seatsTaken, maxParticipants, hasPassword, playbackControl, nowPlaying, expiresAt } =
      fullRoom();
    return { code, name, owner, seatsTaken, maxParticipants, hasPassword, playbackControl, nowPlaying, expiresAt };
  };
  const withControl = (member: Member): Member => ({
    ...member,
    canControl:
      member.role === 'owner' ||
      room.playbackControl === 'all' ||
      (room.playbackControl === 'selected' && room.controllers.includes(member.id)),
  });
  const membership = (member: Member) => ({
    room: fullRoom(),
    member: withControl(member),
    members: members.map(withControl),
  });

  /** The identity key of the caller: `user:<id>` or `guest:<memberId>`, or null. */
  const caller = (request: RecordedRequest): { key: string; username?: string } | null => {
    const token = request.headers.Authorization?.replace(/^Bearer /, '');
    if (token === undefined) return null;
    if (token.startsWith('guest:')) return { key: `guest:${token.split(':')[1] ?? ''}` };
    const username = token.replace(/-token$/, '');
    return { key: `user:u_${username}`, username };
  };
  const memberOf = (request: RecordedRequest): Member | undefined => {
    const who = caller(request);
    return who === null ? undefined : members.find((member) => identityOf(member) === who.key);
  };
  const removeMember = (id: string, removal: Removal): void => {
    const target = members.find((member) => member.id === id);
    if (target === undefined) return;
    members = members.filter((member) => member.id !== id);
    removals.set(identityOf(target), removal);
  };

  const asMember = (request: RecordedRequest): Response | Member => {
    if (gone !== null) return problem(404, gone);
    const who = caller(request);
    if (who === null) return problem(401, 'auth_required');
    const member = memberOf(request);
    if (member !== undefined) return member;
    const removal = removals.get(who.key);
    if (removal !== undefined) return problem(403, removal.kind, { reason: removal.reason });
    return who.key.startsWith('guest:') ? problem(401, 'auth_required') : problem(403, 'not_member');
  };
  const asOwner = (request: RecordedRequest): Response | Member => {
    const member = asMember(request);
    if (member instanceof Response) return member;
    return member.role === 'owner' ? member : problem(403, 'owner_only');
  };

  const join: Handler = (request) => {
    if (gone !== null) return problem(404, gone);
    const body = (request.body ?? {}) as { password?: string; guestName?: string };
    const who = caller(request);
    const existing = memberOf(request);
    if (existing !== undefined) return json(200, membership(existing));
    const asGuest = who === null || who.key.startsWith('guest:');
    if (asGuest) {
      const name = body.guestName?.trim() ?? '';
      if (name === '' || name.length > 32) {
        return problem(400, 'invalid_request', { errors: [{ field: 'guestName', message: 'use 1 to 32 characters' }] });
      }
    }
    const removal = who === null ? undefined : removals.get(who.key);
    if (removal?.kind === 'banned') return problem(403, 'banned', { reason: removal.reason });
    if (password !== null) {
      if (body.password === undefined || body.password === '') return problem(401, 'password_required');
      if (body.password !== password) return problem(403, 'wrong_password');
    }
    if (members.length >= room.maxParticipants) return problem(409, 'room_full');
    memberIds += 1;
    const joinedAt = new Date(Date.parse('2026-11-23T21:00:00Z') + memberIds * 1000).toISOString();
    let member: Member;
    if (asGuest) {
      member = { id: `m_guest${memberIds}`, kind: 'guest', guestName: (body.guestName ?? '').trim(), role: 'member', joinedAt, canControl: false };
    } else {
      const username = who.username ?? 'someone';
      member = { id: `m_${username}`, kind: 'user', user: { id: `u_${username}`, username }, role: 'member', joinedAt, canControl: false };
    }
    members = [...members, member];
    if (member.kind !== 'guest') return json(201, membership(member));
    guestTokens += 1;
    return json(201, { ...membership(member), guestToken: `guest:${member.id}:${guestTokens}`, guestTokenExpiresIn: 3600 });
  };

  const dispatch = (request: RecordedRequest): Response | Promise<Response> => {
    const path = request.path.split('?')[0] ?? '';
    const route = `${request.method} ${path}`;
    const override = overrides.get(route);
    if (override !== undefined) return override(request);
    if (route === 'GET /api/rooms') {
      const who = caller(request);
      if (who === null || who.key.startsWith('guest:')) return problem(401, 'auth_required');
      const member = memberOf(request);
      const removal = removals.get(who.key);
      const entry = (leftAt: string | null) => ({ room: summary(), role: member?.role ?? 'member', joinedAt: '', leftAt, live: gone === null });
      if (member !== undefined) return json(200, { rooms: [entry(null)] });
      return json(200, { rooms: removal === undefined ? [] : [entry('2026-11-23T21:40:00Z')] });
    }
    if (route === 'GET /api/friends') {
      return json(200, { friends: options.friends ?? [], incoming: [], outgoing: [], blocked: [] });
    }
    const sub = path.startsWith(base) ? path.slice(base.length) : null;
    if (sub === null) return new Response(null, { status: 404 });

    if (request.method === 'GET' && sub === '') return gone === null ? json(200, { room: summary() }) : problem(404, gone);
    if (request.method === 'POST' && sub === '/join') return join(request);
    if (request.method === 'GET' && sub === '/members') {
      const member = asMember(request);
      return member instanceof Response ? member : json(200, membership(member));
    }
    if (request.method === 'POST' && sub === '/guest-token') {
      const member = asMember(request);
      if (member instanceof Response) return member;
      guestTokens += 1;
      return json(200, { guestToken: `guest:${member.id}:${guestTokens}`, guestTokenExpiresIn: 3600 });
    }
    if (request.method === 'POST' && sub === '/leave') {
      const member = asMember(request);
      if (member instanceof Response) return member;
      members = members.filter((entry) => entry.id !== member.id);
      return noContent();
    }
    if (request.method === 'POST' && sub === '/invites') {
      const member = asMember(request);
      if (member instanceof Response) return member;
      const { userId } = request.body as { userId: string };
      if (members.some((entry) => entry.kind === 'user' && entry.user.id === userId)) return problem(409, 'already_member');
      const friend = options.friends?.find((entry) => entry.user.id === userId);
      if (friend === undefined) return problem(403, 'not_friends');
      return json(201, { invite: { id: `inv_${userId}`, room: summary(), from: { id: 'u_x', username: 'x' }, createdAt: '' } });
    }

    const owner = asOwner(request);
    if (owner instanceof Response) return owner;
    if (request.method === 'PATCH' && sub === '') {
      const patch = request.body as Record<string, unknown>;
      if (typeof patch.maxParticipants === 'number' && patch.maxParticipants < members.length) {
        return problem(400, 'below_seats_taken', {
          detail: `${members.length} people are in the room; the limit cannot go below that`,
          errors: [{ field: 'maxParticipants', message: `${members.length} people are in the room; the limit cannot go below that` }],
        });
      }
      if ('password' in patch) password = (patch.password as string | null) ?? null;
      const { password: _password, handover, buffering, ...rest } = patch;
      room = {
        ...room,
        ...(rest as Partial<Room>),
        handover: { ...room.handover, ...(handover as object | undefined) },
        buffering: { ...room.buffering, ...(buffering as object | undefined) },
      };
      return json(200, { room: fullRoom() });
    }
    if (request.method === 'DELETE' && sub === '') {
      gone = 'room_ended';
      members = [];
      return noContent();
    }
    const kick = /^\/members\/([^/]+)\/kick$/.exec(sub);
    if (request.method === 'POST' && kick) {
      const id = decodeURIComponent(kick[1] ?? '');
      if (!members.some((member) => member.id === id)) return problem(404, 'member_not_found');
      removeMember(id, { kind: 'kicked', reason: (request.body as { reason?: string }).reason ?? '' });
      return noContent();
    }
    if (request.method === 'POST' && sub === '/bans') {
      const { memberId, reason = '' } = request.body as { memberId: string; reason?: string };
      const target = members.find((member) => member.id === memberId);
      if (target === undefined) return problem(404, 'member_not_found');
      removeMember(memberId, { kind: 'banned', reason });
      bans = [
        ...bans,
        {
          id: `b_${memberId}`,
          ...(target.kind === 'user' ? { user: target.user } : { guestName: target.guestName }),
          reason,
          createdAt: '2026-11-23T21:30:00Z',
        },
      ];
      return noContent();
    }
    if (request.method === 'GET' && sub === '/bans') return json(200, { bans });
    const unban = /^\/bans\/([^/]+)$/.exec(sub);
    if (request.method === 'DELETE' && unban) {
      const id = decodeURIComponent(unban[1] ?? '');
      const ban = bans.find((entry) => entry.id === id);
      if (ban === undefined) return problem(404, 'ban_not_found');
      bans = bans.filter((entry) => entry.id !== id);
      return noContent();
    }
    const control = /^\/controllers\/([^/]+)$/.exec(sub);
    if (control && (request.method === 'PUT' || request.method === 'DELETE')) {
      const id = decodeURIComponent(control[1] ?? '');
      const others = room.controllers.filter((entry) => entry !== id);
      room = { ...room, controllers: request.method === 'PUT' ? [...others, id] : others };
      return noContent();
    }
    if (request.method === 'POST' && sub === '/owner') {
      const { memberId } = request.body as { memberId: string };
      const target = members.find((member) => member.id === memberId);
      if (target === undefined) return problem(404, 'member_not_found');
      if (target.kind === 'guest') return problem(400, 'guest_cannot_own');
      members = members.map((member) =>
        member.id === memberId ? { ...member, role: 'owner' } : member.id === owner.id ? { ...member, role: 'member' } : member,
      ) as Member[];
      room = { ...room, owner: target.user };
      return json(200, { room: fullRoom() });
    }
    return new Response(null, { status: 404 });
  };

  const api = mockApi({}, dispatch);

  return {
    ...api,
    get members() {
      return members;
    },
    get room() {
      return fullRoom();
    },
    /** Replaces the answer of one route, `"METHOD /path"`, for the rest of the test. */
    override(route: string, handler: Handler) {
      overrides.set(route, handler);
    },
    /** Someone else joins (e.g. between two polls). */
    add(member: Member) {
      members = [...members, member];
    },
    /** The owner removed `memberId` elsewhere. */
    remove(memberId: string, removal: Removal) {
      removeMember(memberId, removal);
    },
    end(code = 'room_ended') {
      gone = code;
      members = [];
    },
  };
}
