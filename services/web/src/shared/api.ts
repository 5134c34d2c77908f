// The one way the pages talk to the gateway: JSON in, JSON or problem+json out.
// Every failure becomes an ApiError carrying the problem's stable `code`.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${status} ${code}: ${detail}`);
  }

  // A failure where the same request may simply be sent again (with the same Idempotency-Key).
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.code === "IDEMPOTENCY_IN_PROGRESS";
  }
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  adminKey?: string;
  idempotencyKey?: string;
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.adminKey) headers["X-Admin-Key"] = options.adminKey;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "NETWORK", "the gateway could not be reached");
  }
  noteServerTime(response.headers.get("Date"));
  const text = await response.text();
  const data = text ? safeJson(text) : undefined;
  if (response.ok) return data as T;
  const problem = (data ?? {}) as { code?: unknown; detail?: unknown };
  const retryAfter = Number(response.headers.get("Retry-After"));
  throw new ApiError(
    response.status,
    typeof problem.code === "string" ? problem.code : `HTTP_${response.status}`,
    typeof problem.detail === "string" ? problem.detail : response.statusText,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// A fresh Idempotency-Key: 32 hex characters (getRandomValues works on plain http too).
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// How far this device's clock is off the server's, from each answer's Date header (whole
// seconds, so only an offset of more than 2 s counts): countdowns to the server's expiresAt and
// opensAt then run on the server's time.
let clockOffsetMs = 0;

function noteServerTime(header: string | null): void {
  const server = header ? Date.parse(header) : NaN;
  if (Number.isNaN(server)) return;
  const offset = server + 500 - Date.now();
  clockOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
}

export const serverNow = (): number => Date.now() + clockOffsetMs;
