/**
 * The lab's users (LabOptions.users): each has their own `t3 serve` instance, as on devvm
 * (`t3-serve@<user>.service`, its own loopback port), a stand-in process of its own so it can be frozen or
 * killed alone. Its segment is the probe's `serve.<user>`. Dispatch's choice of instance is the devvm-net
 * relay's routing (route.ts): a request with `?user=<name>` reaches that user's instance, any other the
 * shared serve, so a user's path crosses every shared hop and then their own instance.
 */
import { userSegmentId } from '../src/attribution';

/** A user's instance as a lab segment: `serve.<user>`. */
export type InstanceSegment = `serve.${string}`;

/** The probe's user-name rule (a segment id once prefixed with `serve.`). */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,56}$/;

export function checkUsers(users: readonly string[], what: string): string[] {
  for (const user of users) {
    if (!USER_NAME.test(user)) {
      throw new Error(
        `${what}: a user name is letters, digits, '_', '.', '-' (at most 57), got ${JSON.stringify(user)}`
      );
    }
  }
  const twice = users.find((u, i) => users.indexOf(u) !== i);
  if (twice !== undefined) {
    throw new Error(`${what}: user ${JSON.stringify(twice)} is listed twice`);
  }
  return [...users];
}

export function instanceSegment(user: string): InstanceSegment {
  return userSegmentId(user) as InstanceSegment;
}

/** The user whose instance `segment` is; undefined for any other segment. */
export function userOfSegment(segment: string): string | undefined {
  return segment.startsWith('serve.') ? segment.slice('serve.'.length) : undefined;
}

/** A user's http check through the devvm-net relay (like the t3serve leg), routed to their own instance. */
export function userLegUrl(devvmNetBase: string, user: string): string {
  return `${devvmNetBase}/.well-known/t3/environment?user=${encodeURIComponent(user)}`;
}
