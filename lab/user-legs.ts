/**
 * The probe config's per-user part for a lab with users: an http leg `serve-<user>` with `user: <user>` per
 * monitored user, checking that user's own instance as the t3serve leg checks the shared one, and the
 * top-level `users` list for the users given as unmonitored (their instance exists, no leg watches it).
 */

interface UserLegOptions {
  /** user → URL of that user's instance check (lab.userLegUrls). */
  urls: Readonly<Record<string, string>>;
  /** Users without a leg; each must be one of `urls`. */
  unmonitored: readonly string[];
  http: { interval: string; timeout: string };
  /** The shared segments each user leg crosses besides the user's instance. */
  segments: readonly string[];
}

export function userLegs(opts: UserLegOptions): { legs: Array<Record<string, unknown>>; users: string[] } {
  const known = Object.keys(opts.urls);
  for (const user of opts.unmonitored) {
    if (!known.includes(user)) {
      throw new Error(
        `probeConfig: unmonitoredUsers names ${JSON.stringify(user)}, not a lab user (users: ${known.join(', ') || 'none'})`
      );
    }
  }
  const legs = known
    .filter((user) => !opts.unmonitored.includes(user))
    .map((user) => ({
      name: `serve-${user}`,
      type: 'http',
      url: opts.urls[user],
      interval: opts.http.interval,
      timeout: opts.http.timeout,
      segments: [...opts.segments],
      user,
    }));
  return { legs, users: [...opts.unmonitored] };
}
