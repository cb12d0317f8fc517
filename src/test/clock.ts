// The tests' one clock: 2026-06-10, the day of the runbook's investigation, in Unix milliseconds (UTC).
// Every fixed time in the test support (the engine's scenarios, the panel's and pages' fixtures, the
// browser tests' frames, the benchmarks) is a time of this day.
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = Date.UTC(2026, 5, 10);

/** A time on that day: `utc(14, 3)` is 14:03:00 UTC. */
export const utc = (hours: number, minutes = 0, seconds = 0): number =>
  DAY + hours * HOUR + minutes * MINUTE + seconds * SECOND;

/** The window the panel, page and browser tests look at: 14:00 → 15:00 UTC. */
export const FROM = utc(14);
export const TO = utc(15);
