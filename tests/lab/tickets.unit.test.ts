import { describe, expect, it } from 'vitest';
import { TicketStore } from './tickets';

describe('TicketStore', () => {
  it('issues a ticket that works exactly once', () => {
    const store = new TicketStore(1_000);
    const { ticket } = store.issue();
    expect(store.redeem(ticket)).toBe('ok');
    expect(store.redeem(ticket)).toBe('used');
  });

  it('tells missing and unknown tickets apart', () => {
    const store = new TicketStore(1_000);
    expect(store.redeem(null)).toBe('missing');
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

  it('rejects a ttl that is not a positive number', () => {
    expect(() => new TicketStore(0)).toThrow('ticket ttlMs must be a positive number, got 0');
    expect(() => new TicketStore(1).setTtl(Number.NaN)).toThrow('got NaN');
  });
});
