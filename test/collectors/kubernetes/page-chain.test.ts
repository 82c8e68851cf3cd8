import { describe, expect, it } from 'vitest';
import { pagesOf, type FetchPage, type ListPage } from '../../../src/collectors/kubernetes/page-chain.js';

/** A scripted server: each request is recorded with the signal it got; tests resolve pages by hand. */
function scripted() {
  const requests: { token: string | undefined; offer: (t: string) => void; signal: AbortSignal; resolve: (p: ListPage) => void; reject: (e: unknown) => void }[] = [];
  const fetchPage: FetchPage<ListPage> = (token, offer, signal) =>
    new Promise<ListPage>((resolve, reject) => {
      requests.push({ token, offer, signal, resolve, reject });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { requests, fetchPage };
}
const page = (name: string, token?: string): ListPage => ({ items: [name], ...(token ? { metadata: { continue: token } } : {}) });
const tick = () => new Promise((r) => setTimeout(r, 0));

async function consume(gen: AsyncGenerator<ListPage>, out: string[]) {
  for await (const p of gen) out.push(String(p.items?.[0]));
}

describe('the page chain of one list', () => {
  it('without early tokens: each page is requested with the previous page\'s token, in order', async () => {
    const { requests, fetchPage } = scripted();
    const out: string[] = [];
    const done = consume(pagesOf(fetchPage, new AbortController().signal), out);
    await tick();
    requests[0]!.resolve(page('p1', 'a'));
    await tick();
    requests[1]!.resolve(page('p2', 'b'));
    await tick();
    requests[2]!.resolve(page('p3'));
    await done;
    expect(out).toEqual(['p1', 'p2', 'p3']);
    expect(requests.map((r) => r.token)).toEqual([undefined, 'a', 'b']);
  });

  it('an early token requests the next page before this one has arrived; one page ahead at most, a kept token used once the page is consumed', async () => {
    const { requests, fetchPage } = scripted();
    const out: string[] = [];
    const done = consume(pagesOf(fetchPage, new AbortController().signal), out);
    await tick();
    requests[0]!.offer('a');
    expect(requests.map((r) => r.token)).toEqual([undefined, 'a']);
    // page 2's token arrives while page 1 is still unconsumed: kept, not requested (two pages unconsumed)
    requests[1]!.offer('b');
    expect(requests).toHaveLength(2);
    requests[0]!.resolve(page('p1', 'a'));
    await tick();
    // page 1 consumed: page 3 goes out now, before page 2 has arrived
    expect(requests.map((r) => r.token)).toEqual([undefined, 'a', 'b']);
    requests[1]!.resolve(page('p2', 'b'));
    await tick();
    requests[2]!.resolve(page('p3'));
    await done;
    expect(out).toEqual(['p1', 'p2', 'p3']);
  });

  it('a request made with an early token the parsed page does not confirm is aborted and the page asked for again', async () => {
    const { requests, fetchPage } = scripted();
    const out: string[] = [];
    const done = consume(pagesOf(fetchPage, new AbortController().signal), out);
    await tick();
    requests[0]!.offer('x');
    requests[0]!.resolve(page('p1', 'a'));
    await tick();
    expect(requests.map((r) => r.token)).toEqual([undefined, 'x', 'a']);
    expect(requests[1]!.signal.aborted).toBe(true);
    requests[2]!.offer('b'); // prefetching still works after the mismatch
    expect(requests.map((r) => r.token)).toEqual([undefined, 'x', 'a', 'b']);
    requests[2]!.resolve(page('p2', 'b'));
    await tick();
    requests[3]!.resolve(page('p3'));
    await done;
    expect(out).toEqual(['p1', 'p2', 'p3']);
  });

  it('a failing page ends the chain with its error and aborts what is still in flight', async () => {
    const { requests, fetchPage } = scripted();
    const out: string[] = [];
    const done = consume(pagesOf(fetchPage, new AbortController().signal), out);
    await tick();
    requests[0]!.offer('a');
    requests[0]!.reject(new Error('410 Expired'));
    await expect(done).rejects.toThrow('410 Expired');
    expect(requests[1]!.signal.aborted).toBe(true);
    expect(out).toEqual([]);
  });
});
