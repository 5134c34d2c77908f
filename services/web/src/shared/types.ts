// The API's shapes (product-spec.md). The sale-day members are optional: older servers omit them.

export interface TokenState {
  token: string;
  userId: string;
  status: "WAITING" | "ACTIVE";
  position: number | null;
  estimatedWaitSeconds: number | null;
  expiresAt: string | null;
  opensAt?: string | null;
  soldOut?: boolean;
  pollAfterSeconds?: number;
  arrivalNumber?: number | null;
}

export interface DateSummary {
  date: string;
  concertId: number;
  title: string;
  availableSeats: number;
}

export type SeatStatus = "AVAILABLE" | "HELD" | "SOLD";

export interface Seat {
  seatNo: number;
  price: number;
  status: SeatStatus;
}

export interface SeatMap {
  date: string;
  concertId: number;
  title: string;
  seats: Seat[];
}

export interface Reservation {
  reservationId: number;
  concertId: number;
  date: string;
  seatNo: number;
  price: number;
  status: "HELD" | "CONFIRMED" | "EXPIRED" | "CANCELLED";
  expiresAt: string;
}

export interface Balance {
  userId: string;
  balance: number;
}

export interface LedgerEntry {
  type: "CHARGE" | "PAYMENT" | "REFUND";
  amount: number;
  balanceAfter: number;
  createdAt: string;
}

export interface Payment {
  paymentId: string;
  reservationId: number;
  userId: string;
  amount: number;
  status: string;
  paidAt: string;
}

export interface QueueSettings {
  capacity: number;
  paused: boolean;
  active: number;
  waiting: number;
  opensAt?: string | null;
  soldOut?: boolean;
}

export interface CreatedConcert {
  concertId: number;
  title: string;
  price: number;
  dates: string[];
}
