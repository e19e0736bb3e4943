"""``/api/friends/*``: the friends screen's API (docs/api/auth.md)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from syncwatch.auth.adapters.http.schemas import (
    BlockedOut,
    FriendAnswer,
    FriendOut,
    FriendsOut,
    PublicUser,
    RequestCreated,
    RequestIdBody,
    RequestOut,
    SearchHitOut,
    SearchOut,
    UsernameBody,
)
from syncwatch.auth.friends import Friend, FriendRequest, FriendService
from syncwatch.core.openapi import problem_responses
from syncwatch.core.tokens import CurrentUser

Friends = NamedDependency[FriendService]
_COMMON: dict[int, list[str]] = {401: ["auth_required"], 429: ["rate_limited"]}
_BAD_BODY: dict[int, list[str]] = {400: ["invalid_request"]}


def _friend(friend: Friend) -> FriendOut:
    return FriendOut(
        user=PublicUser(id=friend.user_id, username=friend.username),
        online=friend.online,
        since=friend.since,
    )


def _request(request: FriendRequest) -> RequestOut:
    return RequestOut(
        id=request.id,
        user=PublicUser(id=request.user_id, username=request.username),
        created_at=request.created_at,
    )


class FriendsController(Controller):
    """Friends, requests and blocks of the signed-in user."""

    path = "/api/friends"
    tags = ["friends"]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get(
        "/",
        summary="Friends, requests in and out, blocked users",
        responses=problem_responses(_COMMON),
    )
    async def overview(self, current_user: CurrentUser, friends: Friends) -> FriendsOut:
        """Everything the friends screen shows; ``online`` is refreshed on every call."""
        found = await friends.overview(current_user.user_id)
        return FriendsOut(
            friends=[_friend(f) for f in found.friends],
            incoming=[_request(r) for r in found.incoming],
            outgoing=[_request(r) for r in found.outgoing],
            blocked=[
                BlockedOut(user=PublicUser(id=b.user_id, username=b.username), since=b.since)
                for b in found.blocked
            ],
        )

    @get(
        "/search",
        summary="Find users by username prefix",
        responses=problem_responses({**_BAD_BODY, **_COMMON}),
    )
    async def search(
        self,
        current_user: CurrentUser,
        friends: Friends,
        q: Annotated[
            str, QueryParameter(max_length=64, description="The start of a username, 2+ characters")
        ],
    ) -> SearchOut:
        """At most 20, never yourself nor people who blocked you."""
        hits = await friends.search(current_user.user_id, q)
        return SearchOut(
            users=[
                SearchHitOut(
                    user=PublicUser(id=h.user_id, username=h.username), relation=h.relation.value
                )
                for h in hits
            ]
        )

    @post(
        "/request",
        status_code=201,
        summary="Ask someone to be friends",
        responses={
            200: ResponseSpec(FriendAnswer, description="They had already asked you: now friends"),
            **problem_responses(
                {
                    400: ["invalid_request", "cannot_friend_self"],
                    403: ["blocked"],
                    404: ["user_not_found"],
                    409: ["already_friends", "request_exists"],
                    **_COMMON,
                }
            ),
        },
    )
    async def request(
        self, data: JSONBody[UsernameBody], current_user: CurrentUser, friends: Friends
    ) -> Response[RequestCreated | FriendAnswer]:
        """201 with the request; 200 with the friend when they had asked you first."""
        made = await friends.request(current_user.user_id, data.username)
        if isinstance(made, FriendRequest):
            return Response(RequestCreated(request=_request(made)), status_code=201)
        return Response(FriendAnswer(friend=_friend(made)), status_code=200)

    @post(
        "/accept",
        status_code=200,
        summary="Accept a request made to you",
        responses=problem_responses({**_BAD_BODY, 404: ["request_not_found"], **_COMMON}),
    )
    async def accept(
        self, data: JSONBody[RequestIdBody], current_user: CurrentUser, friends: Friends
    ) -> FriendAnswer:
        """The requester becomes your friend."""
        return FriendAnswer(
            friend=_friend(await friends.accept(current_user.user_id, data.request_id))
        )

    @post(
        "/decline",
        status_code=204,
        summary="Decline a request made to you",
        responses=problem_responses({**_BAD_BODY, 404: ["request_not_found"], **_COMMON}),
    )
    async def decline(
        self, data: JSONBody[RequestIdBody], current_user: CurrentUser, friends: Friends
    ) -> None:
        """The request disappears; the requester is not told."""
        await friends.decline(current_user.user_id, data.request_id)

    @delete(
        "/requests/{request_id:str}",
        summary="Cancel your own request",
        responses=problem_responses({404: ["request_not_found"], **_COMMON}),
    )
    async def cancel(
        self, request_id: FromPath[str], current_user: CurrentUser, friends: Friends
    ) -> None:
        """Take back a request you made."""
        await friends.cancel(current_user.user_id, request_id)

    @delete(
        "/{user_id:str}",
        summary="Remove a friend",
        responses=problem_responses({404: ["not_friends"], **_COMMON}),
    )
    async def remove(
        self, user_id: FromPath[str], current_user: CurrentUser, friends: Friends
    ) -> None:
        """End the friendship (either of you may)."""
        await friends.remove(current_user.user_id, user_id)

    @post(
        "/block",
        status_code=204,
        summary="Block a user",
        responses=problem_responses(
            {400: ["invalid_request", "cannot_block_self"], 404: ["user_not_found"], **_COMMON}
        ),
    )
    async def block(
        self, data: JSONBody[UsernameBody], current_user: CurrentUser, friends: Friends
    ) -> None:
        """Ends any friendship or request between you; they can no longer find or ask you."""
        await friends.block(current_user.user_id, data.username)

    @delete(
        "/block/{user_id:str}",
        summary="Unblock a user",
        responses=problem_responses({404: ["not_blocked"], **_COMMON}),
    )
    async def unblock(
        self, user_id: FromPath[str], current_user: CurrentUser, friends: Friends
    ) -> None:
        """Lift your block."""
        await friends.unblock(current_user.user_id, user_id)
