import type { Clock } from "../../src/core/ports/clock.js";

/** A clock tests move by hand, to expire tokens and sessions without waiting. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
