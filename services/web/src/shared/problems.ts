// Every problem+json code the API answers, as a sentence a person can act on, in both languages.
import { ApiError } from "./api";
import type { Lang } from "./i18n";

type Sentence = Record<Lang, string>;

const sentences: Record<string, Sentence> = {
  TOKEN_INVALID: {
    en: "Your place in line is no longer valid. Please join the line again.",
    ko: "대기열 자리가 더 이상 유효하지 않습니다. 다시 줄을 서 주세요.",
  },
  TOKEN_EXPIRED: {
    en: "Your booking time has ended. Back to the line: join it again to continue.",
    ko: "예매 시간이 끝났습니다. 다시 대기열에 들어가 주세요.",
  },
  TOKEN_NOT_ACTIVE: {
    en: "You are still waiting in line. Seats open up when it is your turn.",
    ko: "아직 대기 중입니다. 차례가 되면 좌석을 고를 수 있습니다.",
  },
  USER_NOT_FOUND: {
    en: "We do not know this user id. Check it, or join as a new visitor.",
    ko: "알 수 없는 사용자 ID입니다. 확인하시거나 새로 입장해 주세요.",
  },
  INVALID_USER_ID: {
    en: "That is not a user id. A user id looks like 0b6f…-….",
    ko: "사용자 ID 형식이 아닙니다.",
  },
  DATE_NOT_FOUND: {
    en: "There is no concert on that date.",
    ko: "그 날짜에는 공연이 없습니다.",
  },
  INVALID_DATE: {
    en: "That date is not valid (use YYYY-MM-DD, today or later).",
    ko: "올바른 날짜가 아닙니다 (YYYY-MM-DD, 오늘 이후).",
  },
  INVALID_SEAT: {
    en: "Seats are numbered 1 to 50.",
    ko: "좌석 번호는 1번부터 50번까지입니다.",
  },
  SEAT_UNAVAILABLE: {
    en: "Someone was faster: this seat was just taken. Please pick another one.",
    ko: "다른 분이 먼저 선택한 좌석입니다. 다른 좌석을 골라 주세요.",
  },
  SEAT_LIMIT_REACHED: {
    en: "You already hold or own the most seats one person may have on this date.",
    ko: "이 날짜에 한 사람이 가질 수 있는 최대 좌석 수에 도달했습니다.",
  },
  INVALID_AMOUNT: {
    en: "Enter a whole amount of points, at least 1 and not above the single-charge limit.",
    ko: "1 이상, 1회 충전 한도 이하의 정수 금액을 입력해 주세요.",
  },
  BALANCE_LIMIT_EXCEEDED: {
    en: "This charge would take your balance above the allowed maximum.",
    ko: "이 충전으로 잔액이 최대 한도를 넘게 됩니다.",
  },
  INSUFFICIENT_BALANCE: {
    en: "Not enough points for this seat. Charge points, then pay again: your hold stays.",
    ko: "포인트가 부족합니다. 포인트를 충전한 뒤 다시 결제해 주세요. 좌석은 유지됩니다.",
  },
  RESERVATION_EXPIRED: {
    en: "Your hold lapsed before payment, and nothing was charged. Please pick a seat again.",
    ko: "결제 전에 좌석 선점 시간이 끝났습니다. 요금은 청구되지 않았습니다. 좌석을 다시 골라 주세요.",
  },
  RESERVATION_CANCELLED: {
    en: "This hold was released. Please pick a seat again.",
    ko: "이 좌석 선점은 해제되었습니다. 좌석을 다시 골라 주세요.",
  },
  ALREADY_PAID: {
    en: "This seat is already paid for. Your tickets are listed below.",
    ko: "이미 결제된 좌석입니다. 아래 예매 내역을 확인해 주세요.",
  },
  RESERVATION_NOT_FOUND: {
    en: "We cannot find this hold. Please pick a seat again.",
    ko: "좌석 선점 내역을 찾을 수 없습니다. 좌석을 다시 골라 주세요.",
  },
  PAYMENT_NOT_FOUND: {
    en: "We cannot find this payment.",
    ko: "결제 내역을 찾을 수 없습니다.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: "This attempt was already used for a different request. Please start again.",
    ko: "이 요청 키는 다른 요청에 이미 쓰였습니다. 처음부터 다시 시도해 주세요.",
  },
  IDEMPOTENCY_IN_PROGRESS: {
    en: "Your earlier attempt is still being processed. Retry in a moment: it will not be charged twice.",
    ko: "이전 요청을 처리하고 있습니다. 잠시 후 다시 시도해 주세요. 두 번 청구되지 않습니다.",
  },
  INVALID_REQUEST: {
    en: "The request was not understood. Please check what you entered.",
    ko: "요청을 이해할 수 없습니다. 입력한 내용을 확인해 주세요.",
  },
  NOT_FOUND: { en: "This was not found.", ko: "찾을 수 없습니다." },
  METHOD_NOT_ALLOWED: { en: "That action is not possible here.", ko: "여기서는 할 수 없는 작업입니다." },
  PAYLOAD_TOO_LARGE: { en: "What you sent is too large.", ko: "보낸 내용이 너무 큽니다." },
  URI_TOO_LONG: { en: "The address is too long.", ko: "주소가 너무 깁니다." },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { en: "The request is too large.", ko: "요청이 너무 큽니다." },
  REQUEST_TIMEOUT: {
    en: "The request took too long to arrive. Please try again.",
    ko: "요청이 제시간에 도착하지 않았습니다. 다시 시도해 주세요.",
  },
  HTTP_VERSION_NOT_SUPPORTED: { en: "Your browser's request was not understood.", ko: "브라우저 요청을 처리할 수 없습니다." },
  ADMIN_KEY_INVALID: {
    en: "The admin key is wrong (or the admin API is turned off).",
    ko: "관리자 키가 올바르지 않습니다 (또는 관리자 API가 꺼져 있습니다).",
  },
  DATE_TAKEN: {
    en: "One of these dates already has a concert, so nothing was created. Remove that date and try again.",
    ko: "이미 공연이 있는 날짜가 있어 아무것도 만들지 않았습니다. 그 날짜를 빼고 다시 시도해 주세요.",
  },
  SERVICE_UNAVAILABLE: {
    en: "The service is busy or restarting. Please try again in a moment.",
    ko: "서비스가 바쁘거나 재시작 중입니다. 잠시 후 다시 시도해 주세요.",
  },
  BAD_GATEWAY: {
    en: "The service could not be reached. Please try again in a moment.",
    ko: "서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
  },
  GATEWAY_TIMEOUT: {
    en: "The service did not answer in time. Please try again: a retry is safe.",
    ko: "서비스가 제시간에 응답하지 않았습니다. 다시 시도해도 안전합니다.",
  },
  INTERNAL_ERROR: {
    en: "Something went wrong on our side. Please try again: a retry is safe.",
    ko: "서버에서 문제가 생겼습니다. 다시 시도해도 안전합니다.",
  },
  NETWORK: {
    en: "No connection to the server. Check your network and try again: a retry is safe.",
    ko: "서버에 연결되지 않습니다. 네트워크를 확인하고 다시 시도해 주세요. 다시 시도해도 안전합니다.",
  },
};

// The sentence for a failure; RATE_LIMITED names the seconds from Retry-After.
export function describeProblem(error: unknown, lang: Lang): string {
  if (!(error instanceof ApiError)) {
    return lang === "ko" ? "예상치 못한 오류가 발생했습니다." : "Something unexpected went wrong.";
  }
  if (error.code === "RATE_LIMITED") {
    const seconds = error.retryAfterSeconds ?? 1;
    return lang === "ko"
      ? `요청이 너무 많습니다. ${seconds}초 후에 다시 시도해 주세요.`
      : `Too many requests. Please wait ${seconds} s and try again.`;
  }
  const known = sentences[error.code];
  if (known) return known[lang];
  return lang === "ko"
    ? `요청이 실패했습니다 (${error.status} ${error.code}).`
    : `The request failed (${error.status} ${error.code}).`;
}

export const knownProblemCodes = (): string[] => [...Object.keys(sentences), "RATE_LIMITED"];
