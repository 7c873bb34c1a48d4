import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Session as SessionMessage,
  SessionSchema,
  type User as UserMessage,
  UserSchema,
} from "@userharbor/client";
import type { Account } from "../core/domain/account.js";
import type { SessionView } from "../core/use-cases/sessions.js";

/** Domain -> wire. Only public fields cross: no hashes, no email keys. */
export function userMessage(user: Account): UserMessage {
  return create(UserSchema, {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.verified,
    createTime: timestampFromDate(user.createdAt),
  });
}

export function sessionMessage(session: SessionView): SessionMessage {
  return create(SessionSchema, {
    id: session.id,
    createTime: timestampFromDate(session.createdAt),
    lastActiveTime: timestampFromDate(session.lastActiveAt),
    expireTime: timestampFromDate(session.expiresAt),
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.current,
  });
}
