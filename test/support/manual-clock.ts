import type { Clock } from "../../src/core/ports/clock.js";

/**
 * Real time plus an offset tests move by hand: tokens and sessions expire
 * without waiting, while everything that waits on real timers (mail retries)
 * still sees time pass.
 */
export class ManualClock implements Clock {
  #offset = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): Date {
    return new Date(this.base() + this.#offset);
  }

  advance(ms: number): void {
    this.#offset += ms;
  }
}
