import { describe, expect, it } from "vitest";
import { EventFeed } from "../../src/core/use-cases/events/feed.js";

const never = new AbortController().signal;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The watchers' doorbell: in-process wakes, a poll of the head only while someone waits. */
describe("EventFeed", () => {
  it("a local wake releases every waiter at once; a waiter that saw an older version does not wait", async () => {
    const feed = new EventFeed(async () => 0, 10_000);
    const seen = feed.version;
    const waiting = [feed.changed(seen, never), feed.changed(seen, never)];
    expect(feed.waiting).toBe(2);
    feed.wake();
    await Promise.all(waiting);
    expect(feed.waiting).toBe(0);
    await feed.changed(seen, never); // already moved past `seen`: resolves without a wake
    feed.close();
  });

  it("polls the head only while someone waits, wakes when it moves, and once more the poll after", async () => {
    let head = 5;
    let polls = 0;
    const feed = new EventFeed(async () => {
      polls++;
      return head;
    }, 20);
    await sleep(100);
    expect(polls).toBe(0); // nobody waiting: no queries
    await feed.changed(feed.version, never); // first poll: a head never seen before wakes
    let seen = feed.version;
    head = 6; // another replica committed
    const started = Date.now();
    await feed.changed(seen, never);
    expect(Date.now() - started).toBeLessThan(1_000);
    seen = feed.version;
    // A reader that raced the commit gets a second look at the next poll, not after maxWaitMs.
    const again = Date.now();
    await feed.changed(seen, never);
    expect(Date.now() - again).toBeLessThan(1_000);
    // Then quiet: the head did not move, so nobody is woken until maxWaitMs.
    const quiet = new AbortController();
    let woken = false;
    const waiting = feed.changed(feed.version, quiet.signal).then(() => {
      woken = true;
    });
    await sleep(150);
    expect(woken).toBe(false);
    quiet.abort();
    await waiting;
    const after = polls;
    await sleep(100);
    expect(polls).toBe(after); // the aborted waiter left: polling stopped
    feed.close();
  });
});
