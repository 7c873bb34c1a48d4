import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AccountEvent(_message.Message):
    __slots__ = ("id", "type", "account_id", "time", "cursor", "username", "email")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    account_id: str
    time: _timestamp_pb2.Timestamp
    cursor: str
    username: str
    email: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., account_id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cursor: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class ListAccountEventsRequest(_message.Message):
    __slots__ = ("after_cursor", "page_size", "types")
    AFTER_CURSOR_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_cursor: str
    page_size: int
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, after_cursor: _Optional[str] = ..., page_size: _Optional[int] = ..., types: _Optional[_Iterable[str]] = ...) -> None: ...

class ListAccountEventsResponse(_message.Message):
    __slots__ = ("events", "next_cursor")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[AccountEvent]
    next_cursor: str
    def __init__(self, events: _Optional[_Iterable[_Union[AccountEvent, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class WatchAccountEventsRequest(_message.Message):
    __slots__ = ("after_cursor", "types")
    AFTER_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_cursor: str
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, after_cursor: _Optional[str] = ..., types: _Optional[_Iterable[str]] = ...) -> None: ...

class WatchAccountEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: AccountEvent
    def __init__(self, event: _Optional[_Union[AccountEvent, _Mapping]] = ...) -> None: ...
