import { describe, expect, it } from 'vitest';
import { EXPIRED_GRACE_MS, TicketStore } from './tickets';

describe('TicketStore', () => {
  it('lets a ticket be redeemed any number of times within its ttl (not single-use)', () => {
    let now = 1_000;
    const store = new TicketStore(300_000, () => now);
    const { ticket } = store.issue();
    for (let i = 0; i < 5; i++) {
      expect(store.redeem(ticket)).toBe('ok');
      now += 60_000;
    }
    expect(now - 1_000).toBe(300_000);
    expect(store.redeem(ticket)).toBe('ok'); // at exactly the ttl: still valid
    now += 1;
    expect(store.redeem(ticket)).toBe('expired');
  });

  it('tells missing and unknown tickets apart', () => {
    const store = new TicketStore(1_000);
    expect(store.redeem(null)).toBe('missing');
    expect(store.redeem(undefined)).toBe('missing');
    expect(store.redeem('')).toBe('missing');
    expect(store.redeem('nope')).toBe('unknown');
  });

  it('expires a ticket after its ttl and reports expiresAt in RFC 3339', () => {
    let now = 1_700_000_000_000;
    const store = new TicketStore(5_000, () => now);
    const a = store.issue();
    const b = store.issue();
    expect(a.expiresAt).toBe(new Date(now + 5_000).toISOString());
    expect(a.ticket).not.toBe(b.ticket);
    now += 5_000;
    expect(store.redeem(a.ticket)).toBe('ok'); // still valid at the last millisecond
    now += 1;
    expect(store.redeem(b.ticket)).toBe('expired');
  });

  it('applies a changed ttl to tickets issued afterwards', () => {
    let now = 0;
    const store = new TicketStore(10_000, () => now);
    store.setTtl(100);
    const { ticket } = store.issue();
    now = 101;
    expect(store.redeem(ticket)).toBe('expired');
  });

  it('forgets tickets expired for longer than the grace, when the next one is issued', () => {
    let now = 0;
    const store = new TicketStore(1_000, () => now);
    const old = store.issue();
    now = 1_000 + EXPIRED_GRACE_MS;
    store.issue();
    expect(store.size).toBe(2); // at the grace's last millisecond it is still remembered
    expect(store.redeem(old.ticket)).toBe('expired');
    now += 1;
    const fresh = store.issue();
    expect(store.size).toBe(2);
    expect(store.redeem(old.ticket)).toBe('unknown');
    expect(store.redeem(fresh.ticket)).toBe('ok');
  });

  it('remembers at most maxTickets, dropping the oldest first', () => {
    const store = new TicketStore(300_000, () => 0, { maxTickets: 3 });
    const issued = [1, 2, 3, 4, 5].map(() => store.issue().ticket);
    expect(store.size).toBe(3);
    expect(issued.map((t) => store.redeem(t))).toEqual(['unknown', 'unknown', 'ok', 'ok', 'ok']);
  });

  it('revokes every ticket at once', () => {
    const store = new TicketStore(1_000);
    const { ticket } = store.issue();
    store.revokeAll();
    expect(store.redeem(ticket)).toBe('unknown');
    expect(store.size).toBe(0);
  });

  it('rejects a ttl that is not a positive number and a bad cap', () => {
    expect(() => new TicketStore(0)).toThrow('ticket ttlMs must be a positive number, got 0');
    expect(() => new TicketStore(1).setTtl(Number.NaN)).toThrow('got NaN');
    expect(() => new TicketStore(1, Date.now, { maxTickets: 0 })).toThrow(
      'ticket maxTickets must be a positive integer, got 0'
    );
  });
});
