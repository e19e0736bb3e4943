"""The gateway's calls to the chat service (gRPC ``syncwatch.chat.v1.ChatService``).

Messages come back as protocol ``ChatMessage`` Structs, the shape browsers get. Failures arrive
as typed errors (``rate_limited`` with its retry-after, ``forbidden``, ``message_not_found``,
``unavailable``) and travel on to the browser as ``room:error``.
"""

from __future__ import annotations

import datetime as dt

from google.protobuf.timestamp_pb2 import Timestamp

from syncwatch.core.grpc import create_channel
from syncwatch.proto.chat.v1 import chat_pb2, chat_pb2_grpc
from syncwatch.protocol.v1 import ChatMessage

CALL_TIMEOUT_S = 5.0


def _iso(stamp: Timestamp) -> str:
    return stamp.ToDatetime(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


def message_of(pb: chat_pb2.Message) -> ChatMessage:
    """The protocol's view of a stored message."""
    return ChatMessage(
        id=pb.id,
        room_id=pb.room_id,
        seq=pb.seq,
        kind="system" if pb.kind == "system" else "user",
        author_user_id=pb.author_user_id,
        author_name=pb.author_name,
        content=pb.content,
        system_kind=pb.system_kind or None,
        system_data=dict(pb.system_data),
        client_message_id=pb.client_message_id or None,
        created_at=_iso(pb.create_time),
        deleted=pb.deleted,
        deleted_at=_iso(pb.delete_time) if pb.HasField("delete_time") else None,
    )


class ChatClient:
    """A channel to the chat service (built in the running loop), closed on shutdown."""

    def __init__(self, address: str) -> None:
        self._channel = create_channel(address)
        self.stub: chat_pb2_grpc.ChatServiceAsyncStub = chat_pb2_grpc.ChatServiceStub(self._channel)

    async def close(self) -> None:
        await self._channel.close(None)

    async def post(
        self, room_id: str, user_id: str, name: str, content: str, client_message_id: str
    ) -> tuple[ChatMessage, bool]:
        """Store a member's message (answers after the commit); ``(message, replayed)``."""
        answer = await self.stub.PostMessage(
            chat_pb2.PostMessageRequest(
                room_id=room_id,
                author_user_id=user_id,
                author_name=name,
                content=content,
                client_message_id=client_message_id,
            ),
            timeout=CALL_TIMEOUT_S,
        )
        return message_of(answer.message), answer.replayed

    async def page(
        self,
        room_id: str,
        *,
        before_id: str | None = None,
        after_id: str | None = None,
        limit: int = 50,
    ) -> tuple[list[ChatMessage], bool]:
        """Oldest first; ``(messages, has_more)``."""
        answer = await self.stub.ListMessages(
            chat_pb2.ListMessagesRequest(
                room_id=room_id, before_id=before_id or "", after_id=after_id or "", limit=limit
            ),
            timeout=CALL_TIMEOUT_S,
        )
        return [message_of(m) for m in answer.messages], answer.has_more

    async def delete(
        self, room_id: str, message_id: str, actor_user_id: str, is_owner: bool
    ) -> ChatMessage:
        answer = await self.stub.DeleteMessage(
            chat_pb2.DeleteMessageRequest(
                room_id=room_id,
                message_id=message_id,
                actor_user_id=actor_user_id,
                actor_is_owner=is_owner,
            ),
            timeout=CALL_TIMEOUT_S,
        )
        return message_of(answer.message)
