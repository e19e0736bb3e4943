"""gRPC ``syncwatch.chat.v1.ChatService``: the sync gateway posts, reads and deletes messages here.

Failures are raised as our typed errors; the server's interceptor turns them into status codes with
the ``syncwatch-error-bin`` trailer (``invalid_request``, ``rate_limited`` with the retry-after,
``forbidden``, ``message_not_found``, ``unavailable``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from syncwatch.chat.adapters.postgres import MessageRow
from syncwatch.chat.messages import ChatService
from syncwatch.core.grpc import Registration
from syncwatch.proto.chat.v1 import chat_pb2, chat_pb2_grpc

SERVICE_NAME = chat_pb2.DESCRIPTOR.services_by_name["ChatService"].full_name

Context = grpc.aio.ServicerContext[Any, Any]


def _timestamp(at: dt.datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def to_proto(row: MessageRow) -> chat_pb2.Message:
    """A stored message as the proto ``Message``."""
    message = chat_pb2.Message(
        id=row.id,
        room_id=row.room_id,
        seq=row.seq,
        kind=row.kind.value,
        author_user_id=row.author_user_id or "",
        author_name=row.author_name,
        content=row.content,
        system_kind=row.system_kind or "",
        system_data=row.system_data,
        client_message_id=row.client_message_id or "",
        create_time=_timestamp(row.created_at),
        deleted=row.deleted,
    )
    if row.deleted_at is not None:
        message.delete_time.CopyFrom(_timestamp(row.deleted_at))
    return message


class ChatServicer(chat_pb2_grpc.ChatServiceServicer):
    """The RPCs, over the chat use cases."""

    def __init__(self, chat: ChatService) -> None:
        self._chat = chat

    async def PostMessage(
        self, request: chat_pb2.PostMessageRequest, context: Context
    ) -> chat_pb2.PostMessageResponse:
        """Store a member's message; answers after the commit."""
        posted = await self._chat.post(
            room_id=request.room_id,
            author_user_id=request.author_user_id,
            author_name=request.author_name,
            content=request.content,
            client_message_id=request.client_message_id,
        )
        return chat_pb2.PostMessageResponse(
            message=to_proto(posted.message), replayed=posted.replayed
        )

    async def PostSystemMessage(
        self, request: chat_pb2.PostSystemMessageRequest, context: Context
    ) -> chat_pb2.PostSystemMessageResponse:
        """Store a system message once per dedup key."""
        posted = await self._chat.post_system(
            room_id=request.room_id,
            kind=request.kind,
            actor_name=request.actor_name,
            data=dict(request.data),
            dedup_key=request.dedup_key,
        )
        return chat_pb2.PostSystemMessageResponse(
            message=to_proto(posted.message), replayed=posted.replayed
        )

    async def ListMessages(
        self, request: chat_pb2.ListMessagesRequest, context: Context
    ) -> chat_pb2.ListMessagesResponse:
        """A page of history, oldest first."""
        page = await self._chat.history(
            request.room_id,
            before_id=request.before_id,
            after_id=request.after_id,
            limit=request.limit,
        )
        return chat_pb2.ListMessagesResponse(
            messages=[to_proto(m) for m in page.messages], has_more=page.has_more
        )

    async def DeleteMessage(
        self, request: chat_pb2.DeleteMessageRequest, context: Context
    ) -> chat_pb2.DeleteMessageResponse:
        """Tombstone a message (owner: any; member: their own)."""
        row = await self._chat.delete(
            room_id=request.room_id,
            message_id=request.message_id,
            actor_user_id=request.actor_user_id,
            actor_is_owner=request.actor_is_owner,
        )
        return chat_pb2.DeleteMessageResponse(message=to_proto(row))


def registration(servicer: ChatServicer) -> Registration:
    """Adds the servicer to a server (``ServiceDefinition.grpc_registrations``)."""

    def register(server: grpc.aio.Server) -> None:
        chat_pb2_grpc.add_ChatServiceServicer_to_server(servicer, server)

    return register
