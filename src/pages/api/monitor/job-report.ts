import type { NextApiRequest, NextApiResponse } from "next";
import { getSql } from "@/server/db/client";
import { nodeHeaders, readNodeBody, writeReply } from "@/server/http/reply";
import { getReporterConfig } from "@/server/ingest/config";
import { answerJobReport, methodNotAllowedReply } from "@/server/ingest/http";

// The report API is the one route every scheduled job calls, at the top of the hour all at once.
// A Pages API route reads and answers on Node's own request and response, without the App
// Router's web-stream conversions: about half the framework's cost per request. The handler is
// the same one the route tests call through a Fetch Request.
export const config = { api: { bodyParser: false } };

export default async function jobReport(request: NextApiRequest, response: NextApiResponse): Promise<void> {
  if (request.method !== "POST") return writeReply(response, methodNotAllowedReply());
  const reply = await answerJobReport(
    { headers: nodeHeaders(request), readBody: (limit) => readNodeBody(request, limit) },
    { getSql, ...(await getReporterConfig()) },
  );
  writeReply(response, reply);
}
