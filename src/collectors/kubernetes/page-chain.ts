/**
 * The pages of one Kubernetes list, in order, each requested as early as its continue
 * token allows: the client passes a page's token on as soon as it has read it off the
 * start of the body (kube-api.ts `onContinue`), and the next page is requested right then,
 * so reading, parsing and mapping a page overlap the next round trip. The biggest type's
 * chain of pages is a live collection's critical path.
 *
 * At most one page is requested ahead of the one being consumed, so raw pages cannot pile
 * up in memory when mapping is slower than the network; a token that arrives while that
 * page is still unconsumed is kept and used the moment it is. The token of the parsed page
 * decides: a request made with an early token that differs (a retried request answered
 * differently) is aborted and the page requested again.
 */

export interface ListPage {
  readonly items?: unknown[];
  readonly metadata?: { readonly continue?: string };
}

/** Requests one page: with `continueToken` (none for the first), reporting its token early through `onContinue`. */
export type FetchPage<P> = (continueToken: string | undefined, onContinue: (token: string) => void, signal: AbortSignal) => Promise<P>;

interface Pending<P> {
  page: Promise<P>;
  readonly stop: AbortController;
  /** The continue token seen at the start of this page's body. */
  early?: string;
  /** The next page, requested with `early`. */
  next?: Pending<P>;
}

export async function* pagesOf<P extends ListPage>(fetchPage: FetchPage<P>, signal: AbortSignal): AsyncGenerator<P> {
  let unconsumed = 0;
  const outstanding = new Set<Pending<P>>();

  const request = (continueToken: string | undefined): Pending<P> => {
    unconsumed += 1;
    const pending: Pending<P> = { stop: new AbortController() } as Pending<P>;
    outstanding.add(pending);
    const offer = (token: string): void => {
      if (pending.early !== undefined) return;
      pending.early = token;
      if (unconsumed < 2) pending.next = request(token);
    };
    pending.page = fetchPage(continueToken, offer, AbortSignal.any([signal, pending.stop.signal]));
    // Awaited in turn, or dropped when the list fails or restarts: never an unhandled rejection.
    pending.page.catch(() => undefined);
    return pending;
  };

  const abandon = (pending: Pending<P> | undefined): void => {
    for (let p = pending; p; p = p.next) {
      p.stop.abort(new Error('page no longer needed'));
      if (outstanding.delete(p)) unconsumed -= 1;
    }
  };

  let current: Pending<P> | undefined = request(undefined);
  try {
    while (current) {
      const page: P = await current.page;
      outstanding.delete(current);
      unconsumed -= 1;
      const token = page.metadata?.continue || undefined;
      let next: Pending<P> | undefined;
      // current.next was requested with current's early token: it is the next page only if that is the parsed one.
      if (token !== undefined && current.next && current.early === token) next = current.next;
      else {
        abandon(current.next);
        if (token !== undefined) next = request(token);
      }
      // A token the next page reported while this one was still unconsumed: its turn now.
      if (next && next.early !== undefined && !next.next && unconsumed < 2) next.next = request(next.early);
      yield page;
      current = next;
    }
  } finally {
    for (const p of outstanding) p.stop.abort(new Error('list finished'));
  }
}
