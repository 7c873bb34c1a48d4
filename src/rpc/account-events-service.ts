import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type AccountEvent as AccountEventMessage,
  AccountEventSchema,
  type AccountEventsService,
  ListAccountEventsResponseSchema,
  WatchAccountEventsResponseSchema,
} from "@userharbor/client/userharbor/v1/events_pb.js";
import { AccountError } from "../core/errors.js";
import {
  type CursoredEvent,
  type EventsContext,
  listAccountEvents,
  watchAccountEvents,
} from "../core/use-cases/events/account-events.js";

/**
 * AccountEventsService over the core's event use cases: wire <-> domain. Only
 * `events`-scoped keys get here (api-keys.ts). Watch is a server stream, so it
 * always goes through connect-node (the gRPC fast path takes unary calls only).
 */
export function accountEventsService(
  ctx: EventsContext,
  shutdownSignal: AbortSignal,
): ServiceImpl<typeof AccountEventsService> {
  return {
    async listAccountEvents(req) {
      const page = await listAccountEvents(ctx, {
        afterCursor: req.afterCursor,
        pageSize: req.pageSize,
        types: req.types,
      });
      return create(ListAccountEventsResponseSchema, {
        events: page.events.map(eventMessage),
        nextCursor: page.nextCursor,
      });
    },

    async *watchAccountEvents(req, handler) {
      const events = watchAccountEvents(
        ctx,
        { afterCursor: req.afterCursor, types: req.types },
        handler.signal,
      );
      for await (const event of events) {
        yield create(WatchAccountEventsResponseSchema, { event: eventMessage(event) });
      }
      // The server is stopping: say so, so the client reconnects (elsewhere) from its cursor.
      if (shutdownSignal.aborted) throw new AccountError("SHUTTING_DOWN");
    },
  };
}

/** Domain -> wire. */
export function eventMessage(event: CursoredEvent): AccountEventMessage {
  return create(AccountEventSchema, {
    id: event.id,
    type: event.type,
    accountId: event.accountId,
    time: timestampFromDate(event.time),
    cursor: event.cursor,
    username: event.username,
    email: event.email,
  });
}
