"""The protocol's frame codec: what decodes, what is refused with which code, and the TS types."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from syncwatch.protocol import typescript, v1


def test_client_frame_decodes_to_its_struct_with_camel_case_fields() -> None:
    kind, payload, request_id = v1.decode_client_frame(
        b'{"type":"sync:seek","id":7,"data":{"targetMediaTime":1500.5,"expectedSequence":3}}'
    )
    assert kind == "sync:seek"
    assert request_id == 7
    assert isinstance(payload, v1.SyncSeek)
    assert payload.target_media_time == 1500.5
    assert payload.expected_sequence == 3
    assert payload.idempotency_key is None


def test_data_defaults_to_empty_object_and_unknown_fields_are_ignored() -> None:
    kind, payload, _ = v1.decode_client_frame('{"type":"sync:play"}')
    assert kind == "sync:play"
    assert isinstance(payload, v1.SyncPlay)
    _, payload, _ = v1.decode_client_frame('{"type":"sync:play","data":{"newField":1}}')
    assert isinstance(payload, v1.SyncPlay)


@pytest.mark.parametrize(
    ("raw", "code", "request_id"),
    [
        (b"not json", "bad_frame", None),
        (b"[1,2]", "bad_frame", None),
        (b'{"data":{}}', "bad_frame", None),
        (b'{"type":"sync:fly","id":"a"}', "unknown_type", "a"),
        (b'{"type":"sync:seek","id":"b","data":{}}', "invalid_request", "b"),
        (b'{"type":"sync:seek","id":"c","data":{"targetMediaTime":-1}}', "invalid_request", "c"),
        (b'{"type":"sync:rate","data":{"rate":9}}', "invalid_request", None),
        (
            b'{"type":"sync:source","data":{"sourceType":"ftp","sourceId":"x"}}',
            "invalid_request",
            None,
        ),
    ],
)
def test_unreadable_frames_raise_a_coded_error(raw: bytes, code: str, request_id: object) -> None:
    with pytest.raises(v1.FrameError) as caught:
        v1.decode_client_frame(raw)
    assert caught.value.code == code
    assert caught.value.request_id == request_id


def test_encode_frame_is_the_envelope_with_id_only_when_given() -> None:
    pong = v1.TimePong(t0=1.5, t1=2.25, t2=2.5)
    assert json.loads(v1.encode_frame("time:pong", pong)) == {
        "type": "time:pong",
        "data": {"t0": 1.5, "t1": 2.25, "t2": 2.5},
    }
    frame = json.loads(v1.encode_frame("ack", v1.Ack(sequence_number=4), "r1"))
    # Server payloads carry every field, defaults included.
    assert frame == {
        "type": "ack",
        "id": "r1",
        "data": {"sequenceNumber": 4, "duplicate": False, "commandId": None, "message": None},
    }
    kind, decoded, rid = v1.decode_server_frame(v1.encode_frame("ack", v1.Ack(), 9))
    assert (kind, rid) == ("ack", 9)
    assert decoded == v1.Ack()


def test_compatibility_is_by_major_version() -> None:
    assert v1.is_compatible("1.0.0")
    assert v1.is_compatible("1.7.2")
    assert not v1.is_compatible("2.0.0")
    assert not v1.is_compatible("0.9.0")
    assert not v1.is_compatible("banana")


def test_every_frame_type_has_a_struct_that_round_trips() -> None:
    for table in (v1.CLIENT_FRAMES, v1.SERVER_FRAMES):
        for name, struct in table.items():
            assert issubclass(struct, v1.Payload), name
            info = msgspec.inspect.type_info(struct)
            assert isinstance(info, msgspec.inspect.StructType)


def test_generated_typescript_is_current() -> None:
    root = Path(__file__).resolve().parents[3]
    generated = root / typescript.DEFAULT_OUT
    assert generated.read_text() == typescript.render(), "run `make proto`"
    text = typescript.render()
    assert "export interface SyncCommand {" in text
    assert "'sync:command': SyncCommand;" in text
    assert "targetMediaTime: number;" in text
