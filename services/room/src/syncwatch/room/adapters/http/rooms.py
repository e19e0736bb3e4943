"""``/api/rooms/*``: create, look up, join, members, guest-token renewal, delete, moderation,
settings, and invites (``/api/rooms/invites`` is a static route: it wins over ``/{code}``, and codes
are 8 characters anyway)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.openapi.spec import SecurityRequirement, SecurityScheme
from litestar.params import FromPath, JSONBody

from syncwatch.core.openapi import BEARER_AUTH, SecuredProvide, problem_responses
from syncwatch.core.tokens import CurrentUser, TokenVerifier, bearer_token
from syncwatch.room.adapters.guest_tokens import GuestTokens, is_guest_token
from syncwatch.room.adapters.http.schemas import (
    BanBody,
    BansAnswer,
    BufferingBody,
    CreatedAnswer,
    CreateRoomBody,
    GuestTokenAnswer,
    InviteAnswer,
    InviteBody,
    InvitesAnswer,
    JoinBody,
    MembershipAnswer,
    MyRoom,
    MyRoomsAnswer,
    OwnerBody,
    ReasonBody,
    RoomAnswer,
    SettingsBody,
    SummaryAnswer,
    ban,
    invite,
    member,
    membership,
    room,
    summary,
)
from syncwatch.room.domain.rooms import BUFFERING_GRACE_DEFAULT_S, BufferingPolicy
from syncwatch.room.rooms import Caller, RoomService, RoomView

Rooms = NamedDependency[RoomService]
CallerDep = NamedDependency[Caller]
_GONE = ["room_not_found", "room_expired", "room_ended"]
_NOT_FOUND: dict[int, list[str]] = {404: _GONE}
#: What a member path answers someone who is not (or no longer) in the room.
_MEMBER_ONLY: dict[int, list[str]] = {
    401: ["auth_required"],
    403: ["not_member", "kicked", "banned"],
    **_NOT_FOUND,
}
_OWNER_ACTION: dict[int, list[str]] = {
    400: ["cannot_target_self"],
    401: ["auth_required"],
    403: ["owner_only"],
    404: [*_GONE, "member_not_found"],
}

#: The OpenAPI security scheme of a guest token (``Authorization: Bearer <guest token>``).
GUEST_AUTH = "guestToken"
_GUEST_TOKEN_SCHEME = SecurityScheme(
    type="http",
    scheme="bearer",
    bearer_format="JWT",
    description=(
        "A guest token (`guestToken` in the answer to `POST /api/rooms/{code}/join` as a guest, "
        "renewed with `POST /api/rooms/{code}/guest-token`); it is good for that one room only."
    ),
)
#: ``caller`` endpoints that answer nobody: an access token or a guest token.
_MEMBER_SECURITY: list[SecurityRequirement] = [{BEARER_AUTH: []}, {GUEST_AUTH: []}]


def caller_dependency(verifier: TokenVerifier, guest_tokens: GuestTokens) -> SecuredProvide:
    """``caller``: a user (access token), a guest (guest token), or nobody (no Authorization).

    The token is optional here, so operations using it are documented as taking either token or
    none; handlers that need someone (members, leave, guest-token renewal) declare it themselves.
    """

    async def caller(request: Request[Any, Any, Any]) -> Caller:
        header = request.headers.get("authorization")
        if not header:
            return Caller()
        token = bearer_token(header)
        if is_guest_token(token):
            return Caller(guest=guest_tokens.verify(token))
        return Caller(user=await verifier.verify(token))

    return SecuredProvide(
        caller,
        security=[{}, {BEARER_AUTH: []}, {GUEST_AUTH: []}],
        schemes={GUEST_AUTH: _GUEST_TOKEN_SCHEME},
    )


def ip_of(request: Request[Any, Any, Any]) -> str:
    """The caller's address (uvicorn resolves trusted proxies' X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


class RoomController(Controller):
    """Rooms and joining them."""

    path = "/api/rooms"
    tags = ["rooms"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @post(
        "/",
        status_code=201,
        summary="Create a room",
        responses=problem_responses(
            {400: ["invalid_request"], 401: ["auth_required"], 429: ["rate_limited"]}
        ),
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CreateRoomBody],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> CreatedAnswer:
        """A new room; you are its owner and first member."""
        handover = data.handover
        buffering = data.buffering or BufferingBody()
        view, owner = await rooms.create(
            current_user,
            name=data.name,
            max_participants=data.max_participants,
            playback_control=data.playback_control,
            password=data.password,
            handover_enabled=handover.enabled if handover else True,
            handover_order=handover.order if handover else "join_order",
            buffering_policy=(
                BufferingPolicy.WAIT_THEN_CONTINUE
                if buffering.policy is msgspec.UNSET
                else buffering.policy
            ),
            buffering_grace_s=(
                BUFFERING_GRACE_DEFAULT_S
                if buffering.grace_seconds is msgspec.UNSET
                else buffering.grace_seconds
            ),
            ip=ip_of(request),
        )
        return CreatedAnswer(room=room(view), member=member(view, owner))

    @get(
        "/{code:str}",
        summary="Public facts about a room",
        responses=problem_responses({**_NOT_FOUND, 429: ["rate_limited"]}),
    )
    async def show(
        self, request: Request[Any, Any, Any], code: FromPath[str], rooms: Rooms
    ) -> SummaryAnswer:
        """Name, owner, seats, whether a password is set — never a hash."""
        return SummaryAnswer(room=summary(await rooms.view(code, ip=ip_of(request))))

    @post(
        "/{code:str}/join",
        summary="Join a room (as a user, or as a guest with a name)",
        responses=problem_responses(
            {
                400: ["invalid_request"],
                401: ["password_required", "auth_required"],
                403: ["wrong_password", "banned"],
                409: ["room_full"],
                **_NOT_FOUND,
                429: ["rate_limited"],
            }
        ),
    )
    async def join(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        caller: CallerDep,
        data: JSONBody[JoinBody | None] = None,
    ) -> Response[MembershipAnswer]:
        """201 when newly joined, 200 for a current member joining again."""
        body = data or JoinBody()
        answer = await rooms.join(
            code, caller, password=body.password, guest_name=body.guest_name, ip=ip_of(request)
        )
        return Response(
            membership(answer, rooms.guest_tokens.ttl_s),
            status_code=201 if answer.joined else 200,
        )

    @get(
        "/{code:str}/members",
        summary="The room and its members (members only)",
        responses=problem_responses(_MEMBER_ONLY),
        security=_MEMBER_SECURITY,
    )
    async def members(
        self, request: Request[Any, Any, Any], code: FromPath[str], rooms: Rooms, caller: CallerDep
    ) -> MembershipAnswer:
        """Everyone in the room now, in join order."""
        answer = await rooms.members(code, caller, ip=ip_of(request))
        return membership(answer, rooms.guest_tokens.ttl_s)

    @post(
        "/{code:str}/guest-token",
        status_code=200,
        summary="Renew a guest token while still a member",
        security=[{GUEST_AUTH: []}],
        responses=problem_responses(
            {401: ["auth_required"], 403: ["kicked", "banned"], **_NOT_FOUND}
        ),
    )
    async def renew_guest_token(
        self, request: Request[Any, Any, Any], code: FromPath[str], rooms: Rooms, caller: CallerDep
    ) -> GuestTokenAnswer:
        """A fresh token; the old one stays valid until it expires."""
        token = await rooms.renew_guest_token(code, caller, ip=ip_of(request))
        return GuestTokenAnswer(guest_token=token, guest_token_expires_in=rooms.guest_tokens.ttl_s)

    @delete(
        "/{code:str}",
        status_code=204,
        summary="Delete a room (owner only)",
        responses=problem_responses({401: ["auth_required"], 403: ["owner_only"], **_NOT_FOUND}),
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> None:
        """Everyone is out; the code reads as not found from now on."""
        await rooms.delete(code, current_user, ip=ip_of(request))

    @post(
        "/{code:str}/leave",
        status_code=204,
        summary="Leave a room (an owner's leaving hands it on, or ends it)",
        responses=problem_responses(_MEMBER_ONLY),
        security=_MEMBER_SECURITY,
    )
    async def leave(
        self, request: Request[Any, Any, Any], code: FromPath[str], rooms: Rooms, caller: CallerDep
    ) -> None:
        """Your stay ends; a guest's token stops working."""
        await rooms.leave(code, caller, ip=ip_of(request))

    @post(
        "/{code:str}/members/{member_id:str}/kick",
        status_code=204,
        summary="Remove a member (owner only); they may join again",
        responses=problem_responses(_OWNER_ACTION),
    )
    async def kick(
        self,
        *,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        member_id: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
        data: JSONBody[ReasonBody | None] = None,
    ) -> None:
        """The member is out at once; a guest's token stops working."""
        reason = data.reason if data else ""
        await rooms.kick(code, current_user, member_id, reason=reason, ip=ip_of(request))

    @post(
        "/{code:str}/bans",
        status_code=204,
        summary="Ban a member (owner only)",
        responses=problem_responses(_OWNER_ACTION),
    )
    async def ban(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
        data: JSONBody[BanBody],
    ) -> None:
        """The member is out and may not join again."""
        await rooms.ban(code, current_user, data.member_id, reason=data.reason, ip=ip_of(request))

    @get(
        "/{code:str}/bans",
        summary="The room's bans (owner only)",
        responses=problem_responses({401: ["auth_required"], 403: ["owner_only"], **_NOT_FOUND}),
    )
    async def list_bans(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> BansAnswer:
        """Newest first."""
        rows = await rooms.bans(code, current_user, ip=ip_of(request))
        return BansAnswer(bans=[ban(r) for r in rows])

    @delete(
        "/{code:str}/bans/{ban_id:str}",
        status_code=204,
        summary="Lift a ban (owner only)",
        responses=problem_responses(
            {401: ["auth_required"], 403: ["owner_only"], 404: [*_GONE, "ban_not_found"]}
        ),
    )
    async def unban(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        ban_id: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> None:
        """They may join again."""
        await rooms.unban(code, current_user, ban_id, ip=ip_of(request))

    @post(
        "/{code:str}/owner",
        status_code=200,
        summary="Transfer ownership to another signed-in member (owner only)",
        responses=problem_responses(
            {**_OWNER_ACTION, 400: ["cannot_target_self", "guest_cannot_own"]}
        ),
    )
    async def transfer(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
        data: JSONBody[OwnerBody],
    ) -> RoomAnswer:
        """The previous owner stays as a member."""
        view = await rooms.transfer(code, current_user, data.member_id, ip=ip_of(request))
        return RoomAnswer(room=room(view))

    @get(
        "/",
        summary="Your rooms, then your room history",
        responses=problem_responses({401: ["auth_required"]}),
    )
    async def mine(self, rooms: Rooms, current_user: CurrentUser) -> MyRoomsAnswer:
        """Rooms you are in first, then rooms you left or that ended; newest first, at most 50."""
        found = await rooms.rooms_of(current_user)
        return MyRoomsAnswer(
            rooms=[
                MyRoom(
                    room=summary(RoomView(stay.room, owner, seats)),
                    role=stay.role.value,
                    joined_at=stay.joined_at,
                    left_at=stay.left_at,
                    live=stay.live,
                )
                for stay, owner, seats in found
            ]
        )

    @patch(
        "/{code:str}",
        summary="Change a room's settings (owner only)",
        responses=problem_responses(
            {
                400: [
                    "invalid_request",
                    "below_seats_taken",
                    "guest_cannot_own",
                    "cannot_target_self",
                ],
                401: ["auth_required"],
                403: ["owner_only"],
                404: [*_GONE, "member_not_found"],
            }
        ),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
        data: JSONBody[SettingsBody],
    ) -> RoomAnswer:
        """Only the fields sent change; ``password: null`` removes the password, ``delegateId:
        null`` clears the handover delegate."""
        view = await rooms.update_settings(code, current_user, data.changes(), ip=ip_of(request))
        return RoomAnswer(room=room(view, sorted(await rooms.store.controllers(view.room.id))))

    @put(
        "/{code:str}/controllers/{member_id:str}",
        status_code=204,
        summary="Let a member control playback in selected mode (owner only)",
        responses=problem_responses(_OWNER_ACTION),
    )
    async def grant(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        member_id: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> None:
        """Idempotent."""
        await rooms.set_control(code, current_user, member_id, granted=True, ip=ip_of(request))

    @delete(
        "/{code:str}/controllers/{member_id:str}",
        status_code=204,
        summary="Take back a member's control (owner only)",
        responses=problem_responses(_OWNER_ACTION),
    )
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        member_id: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
    ) -> None:
        """Idempotent."""
        await rooms.set_control(code, current_user, member_id, granted=False, ip=ip_of(request))

    @post(
        "/{code:str}/invites",
        summary="Invite a friend into the room (signed-in members)",
        responses=problem_responses(
            {
                400: ["invalid_request", "cannot_target_self"],
                401: ["auth_required"],
                403: ["not_member", "kicked", "banned", "not_friends"],
                **_NOT_FOUND,
                409: ["already_member"],
                429: ["rate_limited"],
                503: ["dependency_unavailable"],
            }
        ),
    )
    async def invite_friend(
        self,
        request: Request[Any, Any, Any],
        code: FromPath[str],
        rooms: Rooms,
        current_user: CurrentUser,
        data: JSONBody[InviteBody],
    ) -> Response[InviteAnswer]:
        """201 for a new invite; 200 with the invite already pending for that friend here."""
        found, created = await rooms.invite(code, current_user, data.user_id, ip=ip_of(request))
        return Response(InviteAnswer(invite=invite(found)), status_code=201 if created else 200)

    @get(
        "/invites",
        summary="Invites to you, for live rooms you are not in",
        responses=problem_responses({401: ["auth_required"]}),
    )
    async def my_invites(self, rooms: Rooms, current_user: CurrentUser) -> InvitesAnswer:
        """Newest first, at most 50."""
        return InvitesAnswer(invites=[invite(i) for i in await rooms.invites_for(current_user)])

    @delete(
        "/invites/{invite_id:str}",
        status_code=204,
        summary="Dismiss an invite to you",
        responses=problem_responses({401: ["auth_required"], 404: ["invite_not_found"]}),
    )
    async def dismiss_invite(
        self, invite_id: FromPath[str], rooms: Rooms, current_user: CurrentUser
    ) -> None:
        """It no longer shows in your invites."""
        await rooms.dismiss_invite(current_user, invite_id)
