/** Whether the runtime knows this IANA timezone (e.g. Asia/Tokyo). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
