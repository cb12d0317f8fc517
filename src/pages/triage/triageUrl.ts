import { DEFAULT_TRIAGE_HALF_WINDOW_MS, DEFAULT_TRIAGE_LOOKBACK_MS } from '../../constants';
import { chosenUser, isUserName, USER_PARAM, USER_WORDS } from '../../shared/user';

interface TriageWindow {
  from: number;
  to: number;
  leg: string | null;
  /** Whose report (issue 12): the verdict for that user; null: every user's. The probe says whether it knows them. */
  user: string | null;
  /** How the window was chosen, so the page can say so. */
  source: 'range' | 'time' | 'default';
  /** The moment asked about with `?time=` (the window's centre). */
  time: number | null;
}

type TriageParse = { ok: true; window: TriageWindow } | { ok: false; errors: string[] };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const LEG_NAME = /^[A-Za-z0-9_.-]+$/;
/** Below this a number is more likely Unix seconds than milliseconds (1973 in ms, 5138 in seconds). */
const MIN_PLAUSIBLE_MS = 1e11;

const FORMAT_HINT = 'use Unix milliseconds or an RFC 3339 time such as 2026-06-10T14:03:00Z';

/** Parses one time parameter; returns an error sentence naming the parameter when it is not a time. */
function parseTime(name: string, raw: string): number | string {
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n < MIN_PLAUSIBLE_MS) {
      return `"${name}" = ${value} looks like Unix seconds: ${FORMAT_HINT}`;
    }
    return n;
  }
  if (RFC3339.test(value)) {
    const n = Date.parse(value);
    if (Number.isFinite(n)) {
      return n;
    }
  }
  return `"${name}" is not a time: "${raw}" (${FORMAT_HINT})`;
}

/**
 * Reads the triage page's query string (design contract): `from`+`to`, or `time` (± 5 minutes), an
 * optional `leg` and an optional `user`. With none of them, the last hour up to `now`. `knownLegs`, when given, rejects a leg the
 * topology does not have. Every problem is reported, each naming the parameter.
 */
export function parseTriageParams(
  search: string | URLSearchParams,
  now: number,
  knownLegs?: readonly string[]
): TriageParse {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const errors: string[] = [];
  const get = (name: string) => {
    const v = params.get(name);
    return v === null || v.trim() === '' ? null : v;
  };
  const fromRaw = get('from');
  const toRaw = get('to');
  const timeRaw = get('time');
  const legRaw = get('leg');
  const userRaw = chosenUser(get(USER_PARAM));

  let user: string | null = null;
  if (userRaw !== null) {
    if (isUserName(userRaw)) {
      user = userRaw;
    } else {
      errors.push(USER_WORDS.notAName(userRaw));
    }
  }

  let leg: string | null = null;
  if (legRaw !== null) {
    if (!LEG_NAME.test(legRaw)) {
      errors.push(`"leg" is not a leg name: "${legRaw}"`);
    } else if (knownLegs && !knownLegs.includes(legRaw)) {
      errors.push(`"leg" = "${legRaw}" is not a leg of the topology (legs: ${knownLegs.join(', ')})`);
    } else {
      leg = legRaw;
    }
  }

  let window: Omit<TriageWindow, 'leg' | 'user'> | null = null;
  if (timeRaw !== null && (fromRaw !== null || toRaw !== null)) {
    errors.push('give either "from" and "to", or "time", not both');
  } else if (timeRaw !== null) {
    const t = parseTime('time', timeRaw);
    if (typeof t === 'string') {
      errors.push(t);
    } else {
      window = {
        from: t - DEFAULT_TRIAGE_HALF_WINDOW_MS,
        to: t + DEFAULT_TRIAGE_HALF_WINDOW_MS,
        source: 'time',
        time: t,
      };
    }
  } else if (fromRaw !== null || toRaw !== null) {
    if (fromRaw === null || toRaw === null) {
      errors.push(`"${fromRaw === null ? 'from' : 'to'}" is missing: give both "from" and "to", or "time"`);
    } else {
      const from = parseTime('from', fromRaw);
      const to = parseTime('to', toRaw);
      if (typeof from === 'string') {
        errors.push(from);
      }
      if (typeof to === 'string') {
        errors.push(to);
      }
      if (typeof from === 'number' && typeof to === 'number') {
        if (from >= to) {
          errors.push(`"from" must be before "to" (from=${fromRaw}, to=${toRaw})`);
        } else {
          window = { from, to, source: 'range', time: null };
        }
      }
    }
  } else {
    window = { from: now - DEFAULT_TRIAGE_LOOKBACK_MS, to: now, source: 'default', time: null };
  }

  if (errors.length > 0 || window === null) {
    return { ok: false, errors };
  }
  return { ok: true, window: { ...window, leg, user } };
}
