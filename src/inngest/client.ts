import { Inngest } from "inngest";

/** The app's Inngest client: the dev server with INNGEST_DEV=1, Inngest Cloud with its keys. */
export const inngest = new Inngest({ id: "jobboard", isDev: process.env.INNGEST_DEV === "1" });
