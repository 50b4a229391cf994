/** The current time, epoch milliseconds (a port so use cases are testable without waiting). */
export interface Clock {
  now(): number;
}
