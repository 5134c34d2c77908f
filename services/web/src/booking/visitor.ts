// What the browser keeps of a visitor (localStorage: a reload or a new tab keeps the place).
export interface Visitor {
  userId: string | null;
  token: string | null;
  // The first position seen with this token: where the progress bar starts.
  startPosition: number | null;
}

const KEY = "ticketing.visitor";

export function loadVisitor(): Visitor {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Visitor>;
    return {
      userId: typeof saved.userId === "string" ? saved.userId : null,
      token: typeof saved.token === "string" ? saved.token : null,
      startPosition: typeof saved.startPosition === "number" ? saved.startPosition : null,
    };
  } catch {
    return { userId: null, token: null, startPosition: null };
  }
}

export function saveVisitor(visitor: Visitor): void {
  localStorage.setItem(KEY, JSON.stringify(visitor));
}
