/** The CLI's version, sent to the hub when the agent registers. */
export const VERSION = "0.1.0";
