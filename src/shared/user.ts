/**
 * Verdicts per user (issue 12) in the plugin: which user the panel (the dashboard's `user` variable), the
 * triage page and the Incidents page (their `user` URL parameter) ask about, and every sentence they say
 * about it. A user's report is judged by the probe (`user=` on /api/v1/attribution and /api/v1/incidents):
 * their own serve instance and the shared path; no user means every user, as before.
 */

/** The dashboard variable the panel reads, in the form Grafana replaces (left as is when there is none). */
export const USER_VARIABLE = '${user}';

/** The triage and Incidents pages' URL parameter. */
export const USER_PARAM = 'user';

/** What a `user` value may be: the probe's user-name rule (the segment-id rule). */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Values that mean no one user: nothing chosen, the variable's All (its text, or Grafana's `$__all`), or
 * the variable left unreplaced because the dashboard has none.
 */
const NO_USER = new Set(['', 'All', '$__all', USER_VARIABLE]);

/** The user a variable's or parameter's value names, or null for every user. */
export function chosenUser(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return NO_USER.has(v) ? null : v;
}

/** Whether a value can be a user name at all (before the probe says whether it knows that user). */
export function isUserName(value: string): boolean {
  return USER_NAME.test(value);
}

/** Every sentence and label about users, said from data. */
export const USER_WORDS = {
  field: 'User',
  fieldDescription: 'Whose report: their own serve instance and the shared path.',
  /** The empty choice of a User field. */
  everyUser: 'All users',
  /** The Incidents page's empty choice. */
  anyUser: 'Any user',
  notAName: (raw: string) => `"user" is not a user name: "${raw}"`,
  loading: (user: string) => `Asking the probe for ${user}'s verdict…`,
  failed: (user: string) => `The probe gave no verdict for ${user}`,
  source: (user: string) => `the probe's verdict for ${user}'s report`,
  /** The page's incidents heading, for one user. */
  concerning: (user: string) => ` concerning ${user}`,
  windowLine: (user: string) => ` — user ${user}`,
  /** The Prometheus verdict cannot be that user's: the app's topology setting does not know them. */
  promNotPerUser: (user: string) =>
    `The app's topology setting does not know user ${user}: this verdict weighs every user's legs, not ${user}'s alone; the probe's verdict above is ${user}'s.`,
} as const;
