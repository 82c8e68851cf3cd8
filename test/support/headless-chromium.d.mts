export interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}
export interface Page {
  readonly problems: string[];
  readonly requests: string[];
  open(url: string, hash?: string): Promise<void>;
  ready(timeoutMs?: number): Promise<void>;
  evaluate<T = unknown>(expression: string): Promise<T>;
  setWidth(width: number): Promise<void>;
  screenshot(): Promise<Buffer>;
}
export function findChromium(): string | undefined;
export class Browser {
  constructor(binary: string);
  send(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<Record<string, unknown>>;
  on(listener: (m: CdpMessage) => void): void;
  waitFor(predicate: (m: CdpMessage) => boolean, timeoutMs?: number): Promise<CdpMessage>;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
