import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Long attempts run inside a step: let Vercel give the function the time (see vercel.json).
export const maxDuration = 300;

export const { GET, POST, PUT } = serve({ client: inngest, functions });
