/** IANA zone names for a timezone field's suggestions (`list={TIMEZONE_LIST}`): typing filters them. */
export const TIMEZONE_LIST = "timezone-names";

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export function TimezoneOptions() {
  return (
    <datalist id={TIMEZONE_LIST}>
      {["UTC", ...ZONES.filter((zone) => zone !== "UTC")].map((zone) => (
        <option key={zone} value={zone} />
      ))}
    </datalist>
  );
}
