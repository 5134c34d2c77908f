// The seat and date of each paid reservation, kept on this device: a payment record carries only
// the reservation id, and reading the reservation needs a token that the payment has ended.
export interface TicketPlace {
  seatNo: number;
  date: string;
}

const KEY = "ticketing.tickets";

export function loadTickets(): Record<string, TicketPlace> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, TicketPlace>;
  } catch {
    return {};
  }
}

export function rememberTicket(reservationId: number, place: TicketPlace): void {
  localStorage.setItem(KEY, JSON.stringify({ ...loadTickets(), [reservationId]: place }));
}
